"""Monthly statistics like the ICE Air flight reports, with every leg counted in one place:
removals (legs of removal missions that reach a destination), technical-stop and onward legs,
returns, domestic and positioning legs, shuttle charters, and legs whose role is unknown.

A removal is counted per destination reached: a mission that leaves people in Honduras and then
in El Salvador counts once for each. A leg whose landing was not seen counts for its predicted
country, and is counted apart so the figure never hides that."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from removalwatch.domain import Flight, Mission


@dataclass(frozen=True)
class MonthlyStats:
    month: str
    legs: int
    by_role: dict[str, int]                   # every leg of the month by what it is
    removals: int                             # legs of candidate missions that reach a destination
    removals_predicted: int                   # ... of which the destination was predicted, not seen or reported
    removals_by_country: dict[str, int]
    removals_by_operator: dict[str, int]
    removals_by_staging_airport: dict[str, int]
    third_country: int                        # removals to a third country
    shuttles_by_country: dict[str, int]       # shuttles and other charters abroad, not removals


def removal_legs(missions: list[Mission]) -> list[tuple[Mission, Flight]]:
    """Legs of candidate missions that arrive at one of the mission's destinations."""
    out = []
    for m in missions:
        if not m.candidate:
            continue
        destinations = {(s.airport, s.country) for s in m.destinations}
        for leg in m.legs:
            arrives = (leg.landing_airport or (leg.predicted[0].airport if leg.predicted else None),
                       leg.destination_country)
            if leg.role in ("outbound", "onward") and arrives in destinations:
                out.append((m, leg))
    return out


def same_flight(leg: Flight) -> tuple:
    """What makes legs from different sources (ADS-B, a table, sightings) the same flight."""
    return (leg.registration or leg.icao24 or leg.callsign, leg.local_day, leg.takeoff_airport, leg.landing_airport)


def _once(legs: list[Flight]) -> list[Flight]:
    """Each flight once when several sources report it: observed (ADS-B) before a flight table,
    tables in name order. Within one source every leg counts (a shuttle flies one route twice a day)."""
    first_source: dict[tuple, str] = {}
    kept = []
    for leg in sorted(legs, key=lambda f: (f.source != "adsb", f.source)):
        key = same_flight(leg)
        if None in key[:2] or first_source.setdefault(key, leg.source) == leg.source:
            kept.append(leg)
    return kept


def monthly_stats(month: str, legs: list[Flight], missions: list[Mission]) -> MonthlyStats:
    """`legs`: every leg whose departure falls in the month (its local day); `missions`: theirs.
    A flight reported by several sources counts once."""
    legs = _once(legs)
    in_month = {leg.leg_key for leg in legs}
    removals = [(m, leg) for m, leg in removal_legs(missions) if leg.leg_key in in_month]
    removal_keys = {leg.leg_key for _, leg in removals}
    roles = Counter("removal" if leg.leg_key in removal_keys else
                    "technical stop / onward" if leg.role in ("outbound", "onward") else leg.role for leg in legs)
    shuttles = Counter(leg.destination_country or "?" for leg in legs if leg.role in ("shuttle", "charter")
                       and leg.origin_country == "US" and leg.destination_country != "US")
    return MonthlyStats(
        month=month, legs=len(legs), by_role=dict(roles.most_common()), removals=len(removals),
        removals_predicted=sum(leg.landing_basis == "predicted" for _, leg in removals),
        removals_by_country=dict(Counter(leg.destination_country or "?" for _, leg in removals).most_common()),
        removals_by_operator=dict(Counter(m.operator or leg.operator or "unknown" for m, leg in removals).most_common()),
        removals_by_staging_airport=dict(Counter(m.departure_airport for m, _ in removals
                                                 if m.from_staging_airport).most_common()),
        third_country=sum(leg.third_country for _, leg in removals),
        shuttles_by_country=dict(shuttles.most_common()),
    )
