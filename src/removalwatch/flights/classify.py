"""The removal score of a mission as a documented function of its reasons, and whether a
destination is a third country. Which missions are removal patterns is missions.py's call."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from pathlib import Path

from removalwatch.errors import InputError

# Each reason a mission may be a removal, with its weight. The score is 1 - prod(1 - w) over the
# reasons that hold (a "noisy or": every reason adds, none can lower it, and no sum passes 1).
WEIGHTS = {
    "watched aircraft": 0.5,     # on the watchlist on that day
    "listed": 0.5,               # a row of a table of removal-contractor flights
    "address block": 0.4,        # a watched class of addresses (US military)
    "callsign": 0.4,             # a callsign of a removal-flight operator
    "staging airport": 0.3,      # left from an airport ICE stages removal flights from
    "leaves the US": 0.2,        # from the US to another country
}
IDENTITY = ("watched aircraft", "listed", "address block", "callsign")


def kind_of(reason: str) -> str:
    """The weight a watchlist reason carries (see `Watchlist.match`)."""
    if reason.startswith("watched aircraft"):
        return "watched aircraft"
    if reason.startswith("callsign"):
        return "callsign"
    if reason.startswith("listed in"):
        return "listed"
    return "address block"


def score(kinds: list[str]) -> float:
    """The documented function of the reasons: 1 - prod(1 - WEIGHTS[k])."""
    remaining = 1.0
    for k in dict.fromkeys(kinds):
        remaining *= 1.0 - WEIGHTS[k]
    return round(1.0 - remaining, 3)


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


def third_country_reasons(country: str | None, extra: frozenset[str] = frozenset()) -> list[str]:
    """Why a destination country is a third country for a removal from the US (empty: it is not):
    a country known to receive other countries' deportees, or one outside the usual destinations."""
    if country is None or country == "US":
        return []
    groups = destination_groups()
    if country in groups["third"] | extra:
        return [f"{country} has received deportees of other nationalities (third-country list)"]
    if country not in groups["usual"]:
        return [f"{country} is not a usual removal destination"]
    return []


def removal_destinations() -> frozenset[str]:
    groups = destination_groups()
    return frozenset(groups["third"] | groups["usual"])
