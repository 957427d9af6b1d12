"""One-line descriptions of stored claims, in the users' words."""

from __future__ import annotations

from removalwatch.reports.extract.claims import summarise
from removalwatch.store.records import StoredClaim


def reports(n: int) -> str:
    return f"{n} report{'s' * (n != 1)}"


def claim_summary(claim: StoredClaim) -> str:
    return summarise(claim.type, claim.attributes)


def event_summary(event) -> str:
    """"removal flight US → LY (planned, military aircraft), 2025-05-05 to 2025-05-09"."""
    days = ""
    if event.first_day:
        days = f", {event.first_day}" + (f" to {event.last_day}" if event.last_day != event.first_day else "")
    return summarise(event.type, event.attributes) + days


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
