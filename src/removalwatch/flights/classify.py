"""Is a flight a removal candidate, and is it going to a third country? Scores with reasons."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from pathlib import Path

from removalwatch.errors import InputError

from removalwatch.flights.airports import staging_airports

WEIGHTS = {"watched": 0.5, "class": 0.3, "callsign": 0.3, "staging": 0.3, "leaves_us": 0.1}
CANDIDATE = 0.5


@functools.lru_cache(maxsize=1)
def destination_groups() -> dict[str, set[str]]:
    """{"third": countries known to receive third-country deportees, "usual": usual removal destinations}."""
    with resources.files("removalwatch.data").joinpath("flights", "destinations.csv").open(encoding="utf-8") as f:
        return _groups(csv.DictReader(f), "destinations.csv")


def _groups(rows, where: str) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {"third": set(), "usual": set()}
    for line, row in enumerate(rows, start=2):
        if row.get("group") not in groups or not re.fullmatch(r"[A-Z]{2}", row.get("country") or ""):
            raise InputError(f"{where}, line {line}", "needs country (ISO 3166 alpha-2) and group (third or usual)")
        groups[row["group"]].add(row["country"])
    return groups


def user_third_countries(home: Path | None) -> frozenset[str]:
    """Countries the user adds to the third-country set, from HOME/destinations.csv (same columns as
    the package's file: country, group, source)."""
    path = Path(home) / "destinations.csv" if home else None
    if path is None or not path.exists():
        return frozenset()
    with open(path, encoding="utf-8", newline="") as f:
        return frozenset(_groups(csv.DictReader(f), str(path))["third"])


def removal_score(watch_reasons: list[str], takeoff_airport: str | None, origin_country: str | None,
                  destination_country: str | None) -> tuple[float, list[str]]:
    """Score in [0, 1] and the reasons behind it."""
    score, reasons = 0.0, []
    for reason in watch_reasons:
        kind = "watched" if reason.startswith("watched aircraft") else "callsign" if reason.startswith("callsign") else "class"
        score += WEIGHTS[kind]
        reasons.append(reason)
    if takeoff_airport and takeoff_airport in staging_airports():
        score += WEIGHTS["staging"]
        reasons.append(f"departed staging airport {takeoff_airport} ({staging_airports()[takeoff_airport]})")
    if origin_country == "US" and destination_country and destination_country != "US":
        score += WEIGHTS["leaves_us"]
        reasons.append(f"from the US to {destination_country}")
    return min(score, 1.0), reasons


def is_third_country(destination_country: str | None, score: float, extra: frozenset[str] = frozenset()) -> bool:
    """A removal candidate bound for a country in the third-country set (data plus `extra`), or for one
    outside the usual removal destinations."""
    if destination_country is None or destination_country == "US" or score < CANDIDATE:
        return False
    groups = destination_groups()
    return destination_country in groups["third"] | extra or destination_country not in groups["usual"]


def removal_destinations() -> frozenset[str]:
    groups = destination_groups()
    return frozenset(groups["third"] | groups["usual"])
