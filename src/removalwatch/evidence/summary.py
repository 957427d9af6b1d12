"""One-line descriptions of stored claims, in the users' words."""

from __future__ import annotations

from removalwatch.reports.extract.claims import summarise
from removalwatch.store.records import StoredClaim


def claim_summary(claim: StoredClaim) -> str:
    return summarise(claim.type, claim.attributes)


def route(flight) -> str:
    """"KSKF → HLMS (LY), 2025-05-07 14:05", saying how an end not observed is known."""
    if flight.landing_airport:
        how = "" if flight.landing_basis in ("observed", "reported") else f", {flight.landing_basis}"
        end = f"{flight.landing_airport} ({flight.destination_country}{how})"
    elif flight.predicted:
        end = f"landing not observed, heading for {flight.predicted[0].airport} ({flight.predicted[0].country})"
    else:
        end = "landing not observed"
    return f"{flight.takeoff_airport or '?'} → {end}, {flight.first_seen:%Y-%m-%d %H:%M}"
