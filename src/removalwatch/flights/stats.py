"""Monthly statistics like the ICE Air flight reports: removal flights per destination country,
operator and staging airport."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from removalwatch.domain import Flight
from removalwatch.flights.airports import staging_airports


@dataclass(frozen=True)
class MonthlyStats:
    month: str
    flights: int
    international: int
    by_destination_country: dict[str, int]
    by_operator: dict[str, int]
    by_staging_airport: dict[str, int]
    third_country: int


def monthly_stats(month: str, flights: list[Flight]) -> MonthlyStats:
    """Counts over removal candidates of one month. A flight whose landing was not seen counts for
    its predicted destination country, as the data allow no better."""
    candidates = [f for f in flights if f.removal_score >= 0.5]
    abroad = [f for f in candidates if f.destination_country and f.destination_country != "US"]
    staging = staging_airports()
    return MonthlyStats(
        month=month, flights=len(candidates), international=len(abroad),
        by_destination_country=dict(Counter(f.destination_country for f in abroad).most_common()),
        by_operator=dict(Counter(f.operator or "unknown" for f in candidates).most_common()),
        by_staging_airport=dict(Counter(f.takeoff_airport for f in candidates if f.takeoff_airport in staging).most_common()),
        third_country=sum(f.third_country for f in candidates),
    )
