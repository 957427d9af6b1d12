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

from removalwatch.domain import REMOVAL_CANDIDATE_SCORE, Flight
from removalwatch.evidence.events import OPPOSES, STATUSES, SUPPORTS
from removalwatch.evidence.links import FlightLink, destination_of, link_events_to_flights
from removalwatch.evidence.summary import event_summary, reports, route
from removalwatch.store.events import StoredEvent, Voice

FLIGHTS_NAMED = 10  # the latest flights a status names one by one; the rest are counted
COUNTRY_STATUSES = ("no evidence", *STATUSES, "flight observed", "flight observed despite denial")


@dataclass(frozen=True)
class Contradiction:
    """One event, and the voices on each side of it."""

    event: StoredEvent
    supporting: list[Voice]
    opposing: list[Voice]


@dataclass(frozen=True)
class TimelineEntry:
    """A voice's first statement on an event (with how many followed), or a flight seen."""

    day: dt.date | None
    kind: str  # "statement" or "flight"
    text: str
    stance: str | None = None
    source: str | None = None
    more: str | None = None  # "and 4 more statements in 3 reports, the latest on 2025-05-09"


@dataclass(frozen=True)
class CountryStatus:
    """A line of the overview: a country, its status and how much evidence there is."""

    country: str
    name: str
    status: str
    events: int
    flights: int
    contradictions: int


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


def contradiction(event: StoredEvent, voices: list[Voice]) -> Contradiction | None:
    supporting = [v for v in voices if v.stance in SUPPORTS]
    opposing = [v for v in voices if v.stance in OPPOSES]
    return Contradiction(event, supporting, opposing) if supporting and opposing else None


def build_dossier(country: str, events: list[StoredEvent], voices: dict[int, list[Voice]],
                  flights: list[Flight]) -> CountryDossier:
    """The dossier of `country` from the events that concern it, the voices on each, and the
    candidate flights seen."""
    flights = [f for f in flights if destination_of(f)[0] == country and f.removal_score >= REMOVAL_CANDIDATE_SCORE]
    links = link_events_to_flights(events, flights)
    contradictions = [c for c in (contradiction(e, voices.get(e.id, [])) for e in events) if c]
    reasons, reached = [], "no evidence"
    for event in events:
        if COUNTRY_STATUSES.index(event.status) > COUNTRY_STATUSES.index(reached):
            reached = event.status
        reasons.append(f"{event.status}: {event_summary(event)} — {event.supporting} statements assert or confirm, "
                       f"{event.opposing} deny or reject, in {reports(event.documents)}")
    if flights:
        denied = reached in ("denied", "contested")
        reached = "flight observed despite denial" if denied else "flight observed"
        latest = sorted(flights, key=lambda f: f.first_seen)[-FLIGHTS_NAMED:]
        reasons += [f"flight observed: {f.callsign or f.icao24} {route(f)}" for f in latest]
        if len(flights) > len(latest):
            reasons.append(f"and {len(flights) - len(latest)} earlier removal-candidate flights observed")
    timeline = [TimelineEntry(v.first.document_published, "statement", f"{v.speaker}: “{v.first.content}”", v.stance,
                              v.first.document_title or v.first.document_source, _more(v))
                for e in events for v in voices.get(e.id, [])]
    timeline += [TimelineEntry(f.first_seen.date(), "flight", f"{f.callsign or f.icao24} {route(f)}",
                               source=f.source) for f in flights]
    timeline.sort(key=lambda t: (t.day or dt.date.min, t.kind))
    return CountryDossier(country, country_name(country), reached, reasons, events, flights, links,
                          contradictions, timeline)


def _more(voice: Voice) -> str | None:
    if voice.statements == 1:
        return None
    return (f"and {voice.statements - 1} more statement{'s' * (voice.statements > 2)} in {reports(voice.reports)}, "
            f"the latest stored from {voice.latest.document_published or 'an undated report'}")
