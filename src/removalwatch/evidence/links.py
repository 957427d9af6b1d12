"""Claims ↔ flights: which observed flights may be the removal flight a report speaks of.

A link needs the same destination country and a flight time the claim allows: within the dates
its "when" resolves to, or, without those, within a window around the report's publication.
A link is evidence that the two may be one event, with its reasons; it is not proof.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from removalwatch.domain import Flight
from removalwatch.store.records import StoredClaim

BEFORE = dt.timedelta(days=3)     # a report may trail the flight it announces by a few days
AFTER = dt.timedelta(days=21)     # "planned" flights leave weeks later, if at all


@dataclass(frozen=True)
class FlightLink:
    claim: StoredClaim
    flight: Flight
    score: float
    reasons: list[str]


def link_claims_to_flights(claims: list[StoredClaim], flights: list[Flight]) -> list[FlightLink]:
    links = []
    for claim in claims:
        destination = claim.attributes.get("destination") if claim.type == "removal_flight" else None
        if not destination:
            continue
        dates = claim.attributes.get("when_dates")
        if dates:
            start = dt.date.fromisoformat(dates[0]) - BEFORE
            end = dt.date.fromisoformat(dates[1]) + BEFORE
            window = f"within {claim.attributes.get('when')!r} ({dates[0]} to {dates[1]})"
        elif claim.document_published:
            start, end = claim.document_published - BEFORE, claim.document_published + AFTER
            window = f"within {BEFORE.days} days before and {AFTER.days} after the report ({claim.document_published})"
        else:
            continue
        for flight in flights:
            if flight.destination_country != destination or flight.removal_score < 0.5:
                continue
            day = flight.first_seen.date()
            if not start <= day <= end:
                continue
            reasons = [f"destination {destination} {flight.landing_basis or 'not known'}", f"flight on {day} {window}"]
            origin = claim.attributes.get("origin")
            if origin and flight.origin_country == origin:
                reasons.append(f"origin {origin}")
            aircraft = claim.attributes.get("aircraft")
            if aircraft == "military" and any("military" in r for r in flight.reasons):
                reasons.append("military aircraft, as reported")
            score = min(1.0, 0.5 + 0.15 * (len(reasons) - 2) + (0.1 if flight.landing_observed else 0.0))
            links.append(FlightLink(claim, flight, round(score, 2), reasons))
    return sorted(links, key=lambda link: -link.score)
