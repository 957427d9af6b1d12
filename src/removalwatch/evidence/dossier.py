"""A country's dossier: what reports say about removals to it, what was seen flying there, and one
status read from both.

The status ladder (each step needs more than the one before; the highest reached is the status):

    no evidence → reported → confirmed by a party → denied → contested
                → flight observed → flight observed despite denial

"reported": someone says it (a removal flight, an agreement ...); "confirmed by a party": a speaker
of the country itself confirms or asserts it; "denied": only denials and rejections; "contested":
statements on both sides; "flight observed": a removal-candidate flight to the country was seen
(or predicted when its landing was not); "... despite denial": and reports deny or contest it.
Contradictions are listed side by side and never resolved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pycountry

from removalwatch.domain import Flight
from removalwatch.evidence.events import OPPOSES, STATUSES, SUPPORTS
from removalwatch.evidence.links import FlightLink, destination_of, link_events_to_flights
from removalwatch.evidence.summary import event_summary, reports, route
from removalwatch.store.events import StoredEvent
from removalwatch.store.records import StoredStatement

COUNTRY_STATUSES = ("no evidence", *STATUSES, "flight observed", "flight observed despite denial")


@dataclass(frozen=True)
class Contradiction:
    """One event, and the statements on each side of it."""

    event: StoredEvent
    supporting: list[StoredStatement]
    opposing: list[StoredStatement]


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date | None
    kind: str  # "statement" or "flight"
    text: str
    stance: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CountryDossier:
    country: str
    name: str
    status: str
    status_reasons: list[str]
    events: list[StoredEvent]
    flights: list[Flight]
    links: list[FlightLink]
    contradictions: list[Contradiction]
    timeline: list[TimelineEntry]

    @property
    def empty(self) -> bool:
        return not self.events and not self.flights


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or (found.name if found else code)


def contradiction(event: StoredEvent) -> Contradiction | None:
    supporting = [s for s in event.statements if s.stance in SUPPORTS]
    opposing = [s for s in event.statements if s.stance in OPPOSES]
    return Contradiction(event, supporting, opposing) if supporting and opposing else None


def build_dossier(country: str, events: list[StoredEvent], flights: list[Flight]) -> CountryDossier:
    """The dossier of `country` from the events that concern it and the candidate flights seen."""
    flights = [f for f in flights if destination_of(f)[0] == country and f.removal_score >= 0.5]
    links = link_events_to_flights(events, flights)
    contradictions = [c for c in map(contradiction, events) if c]
    reasons, reached = [], "no evidence"
    for event in events:
        if COUNTRY_STATUSES.index(event.status) > COUNTRY_STATUSES.index(reached):
            reached = event.status
        reasons.append(f"{event.status}: {event_summary(event)} — {event.supporting} statements assert or confirm, "
                       f"{event.opposing} deny or reject, in {reports(event.documents)}")
    if flights:
        denied = reached in ("denied", "contested")
        reached = "flight observed despite denial" if denied else "flight observed"
        reasons += [f"flight observed: {f.callsign or f.icao24} {route(f)}" for f in flights]
    timeline = [TimelineEntry(s.document_published, "statement", f"{s.speaker}: “{s.content}”", s.stance,
                              s.document_title or s.document_source)
                for s in _unique(st for e in events for st in e.statements)]
    timeline += [TimelineEntry(f.first_seen.date(), "flight", f"{f.callsign or f.icao24} {route(f)}",
                               source=f.source) for f in flights]
    timeline.sort(key=lambda t: (t.day or dt.date.min, t.kind))
    return CountryDossier(country, country_name(country), reached, reasons, events, flights, links,
                          contradictions, timeline)


def _unique(statements) -> list[StoredStatement]:
    return list({s.id: s for s in statements}.values())
