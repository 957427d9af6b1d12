"""Events ↔ flights: which observed flights may be the removal flight that reports speak of.

A link needs the flight's destination (observed, or the first predicted when the landing was not
seen) to be the event's, and its day to fall between a few days before the event's first report
and three weeks after its last ("planned" flights leave weeks later, if at all). A link is
evidence that the two may be one event, with its reasons; it is not proof.

When the reports say who was aboard and they are not nationals of the destination ("Venezuelans to
El Salvador"), the flight is a third-country removal by the reports' account, and the link says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from removalwatch.domain import REMOVAL_CANDIDATE_SCORE, Flight
from removalwatch.evidence.summary import reports
from removalwatch.store.events import StoredEvent

BEFORE = dt.timedelta(days=3)     # a report may trail the flight it announces by a few days
AFTER = dt.timedelta(days=21)


@dataclass(frozen=True)
class FlightLink:
    event: StoredEvent
    flight: Flight
    score: float
    reasons: list[str]
    third_country: str | None = None  # why reports say the people aboard are not the destination's nationals


def destination_of(flight: Flight) -> tuple[str | None, str]:
    """The flight's destination country and how it is known."""
    if flight.destination_country:
        return flight.destination_country, flight.landing_basis or "known"
    if flight.predicted:
        return flight.predicted[0].country, "predicted"
    return None, "not known"


def third_country_reason(event: StoredEvent) -> str | None:
    destination = event.key
    others = [c for c in event.attributes.get("nationalities") or [] if c != destination]
    if event.type != "removal_flight" or not others:
        return None
    return (f"reports say the people aboard are nationals of {', '.join(others)}, not of {destination} "
            f"(event {event.id}, {reports(event.documents)})")


def link_events_to_flights(events: list[StoredEvent], flights: list[Flight]) -> list[FlightLink]:
    links = []
    for event in events:
        if event.type != "removal_flight" or event.first_day is None:
            continue
        start, end = event.first_day - BEFORE, (event.last_day or event.first_day) + AFTER
        window = f"{BEFORE.days} days before to {AFTER.days} after the reports ({event.first_day} to {event.last_day})"
        for flight in flights:
            destination, how = destination_of(flight)
            day = flight.first_seen.date()
            if destination != event.key or flight.removal_score < REMOVAL_CANDIDATE_SCORE or not start <= day <= end:
                continue
            reasons = [f"destination {destination} ({how})", f"flight on {day}, within {window}"]
            origin = event.attributes.get("origin")
            if origin and flight.origin_country == origin:
                reasons.append(f"origin {origin}")
            if event.attributes.get("aircraft") == "military" and any("military" in r for r in flight.reasons):
                reasons.append("military aircraft, as reported")
            score = min(1.0, 0.5 + 0.15 * (len(reasons) - 2) + (0.1 if flight.landing_observed else 0.0))
            links.append(FlightLink(event, flight, round(score, 2), reasons, third_country_reason(event)))
    return sorted(links, key=lambda link: (-link.score, link.flight.first_seen))
