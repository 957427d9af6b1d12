"""`removalwatch flights import`: inputs → position archive → flights in the evidence store.

Positions go to the day-partitioned archive; the days an import touched (and the day after, where
a flight over midnight continues) are segmented again and their flights replaced. Flight tables
(ICE Air data) go straight to the store. Re-importing the same input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.errors import InputError
from removalwatch.flights import archive
from removalwatch.flights.build import build_flights
from removalwatch.flights.classify import user_third_countries
from removalwatch.flights.positions import ReadReport
from removalwatch.flights.readers import read_positions, sniff
from removalwatch.flights.readers.ice_air import read_table
from removalwatch.flights.watchlist import Watchlist
from removalwatch.store.flights import add_flights, replace_flights


@dataclass
class ImportResult:
    source: str
    kind: str
    positions_read: int = 0
    positions_written: int = 0
    flights_read: int = 0     # rows of a flight table
    flights_added: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def _expand(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        else:
            out.append(p)
    return out


def import_flights(engine: Engine, home: Path, paths: list[str], watchlist: Watchlist,
                   on_file: Callable[[Path, int], None] | None = None) -> tuple[list[ImportResult], int]:
    """Import every input; a bad one is reported, not fatal. Returns per-input results and the
    number of flights (re)built from positions."""
    results, touched = [], set()
    files = _expand(paths)
    for path in files:
        if on_file:
            on_file(path, len(files))
        try:
            kind = sniff(path)
            if kind == "ice-air-table":
                table = read_table(path, watchlist)
                results.append(ImportResult(str(path), kind, flights_read=len(table.flights),
                                            flights_added=add_flights(engine, table.flights),
                                            rejected=dict(table.rejected)))
                continue
            report: ReadReport = read_positions(path)
        except InputError as exc:
            results.append(ImportResult(str(path), "unknown", error=exc.reason))
            continue
        written, days = archive.write(home, report.positions)
        touched.update(days)
        results.append(ImportResult(str(path), kind, report.kept, written, 0, dict(report.rejected)))
    extra = user_third_countries(home)
    return results, rebuild_flights(engine, home, watchlist, sorted(touched), extra) if touched else 0


def rebuild_flights(engine: Engine, home: Path, watchlist: Watchlist, days: list[dt.date] | None = None,
                    extra_third: frozenset[str] = frozenset()) -> int:
    """Segment the archive's days again (all, or `days` with the day before and after each, where a
    flight over midnight may continue) and replace their flights in one transaction."""
    available = archive.days(home)
    if days is not None:
        wanted = {d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)}
        available = [d for d in available if d in wanted]
    if not available:
        return 0
    flights, carry = [], None
    for i, (day, positions) in enumerate(archive.iter_days(home, available)):
        end = dt.datetime.combine(day, dt.time(), dt.timezone.utc) + dt.timedelta(days=1)
        following = i + 1 < len(available) and available[i + 1] == day + dt.timedelta(days=1)
        built, carry = build_flights(positions, watchlist, carry=carry, day_end=end if following else None,
                                     extra_third=extra_third)
        flights += built
    start = dt.datetime.combine(available[0], dt.time(), dt.timezone.utc)
    end = dt.datetime.combine(available[-1], dt.time(), dt.timezone.utc) + dt.timedelta(days=1)
    return replace_flights(engine, flights, start, end, "adsb")


def summarise(results: list[ImportResult]) -> Counter:
    total: Counter = Counter()
    for r in results:
        total.update(r.rejected)
    return total
