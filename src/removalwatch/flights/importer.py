"""`removalwatch flights import` and `flights rebuild`: inputs → position archive → legs, sightings and
missions in the evidence store.

Positions go to the day-partitioned archive; the days an import touched (and the days either side,
where a leg over midnight continues) are segmented again and their legs replaced. Flight tables go
straight to the store, each leg once. Then the missions of every aircraft touched are assembled
again. Re-importing the same input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
from sqlalchemy import Engine

from removalwatch.errors import InputError
from removalwatch.flights import archive
from removalwatch.flights.build import build_flights
from removalwatch.flights.classify import user_third_countries
from removalwatch.flights.missions import MissionRules, assemble
from removalwatch.flights.readers import TABLES, read_flight_table, read_positions, sniff
from removalwatch.flights.watchlist import Watchlist
from removalwatch.store.flights import add_flights, legs_of, replace_flights, save_missions

ADSB = "adsb"


@dataclass
class ImportResult:
    source: str
    kind: str
    positions_read: int = 0
    positions_written: int = 0
    flights_read: int = 0     # legs of a flight table
    flights_added: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    aircraft: list[str] = field(default_factory=list)
    note: str | None = None   # why positions gave no leg, when they gave none


@dataclass
class Rebuilt:
    flights: int
    sightings: int
    missions: int
    aircraft_with_legs: set[str]


def _expand(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        else:
            out.append(p)
    return out


def import_flights(engine: Engine, home: Path, paths: list[str], watchlist: Watchlist,
                   on_file: Callable[[Path, int], None] | None = None,
                   rules: MissionRules | None = None) -> tuple[list[ImportResult], Rebuilt]:
    """Import every input; a bad one is reported, not fatal."""
    rules = rules or MissionRules(extra_third=user_third_countries(home))
    results, touched, tables = [], set(), set()
    files = _expand(paths)
    for path in files:
        if on_file:
            on_file(path, len(files))
        try:
            kind = sniff(path)
            if kind in TABLES:
                table = read_flight_table(path, kind)
                results.append(ImportResult(str(path), kind, flights_read=len(table.flights),
                                            flights_added=add_flights(engine, table.flights),
                                            rejected=dict(table.rejected), notes=dict(table.notes)))
                tables.add(table.source)
                continue
            report = read_positions(path)
        except InputError as exc:
            results.append(ImportResult(str(path), "unknown", error=exc.reason))
            continue
        written, days = archive.write(home, report.positions)
        touched.update(days)
        aircraft = pc.unique(report.positions["icao24"]).to_pylist() if report.kept else []
        results.append(ImportResult(str(path), kind, report.kept, written, rejected=dict(report.rejected),
                                    aircraft=aircraft, note=_why_no_leg(report.positions) if report.kept else
                                    "no usable position"))
    rebuilt = rebuild_flights(engine, home, watchlist, sorted(touched), rules) if touched else Rebuilt(0, 0, 0, set())
    for r in results:
        if r.aircraft and set(r.aircraft) & rebuilt.aircraft_with_legs:
            r.note = None  # the explanation is only for inputs that gave no leg
    missions = rebuilt.missions
    for source in sorted(tables):
        missions += refresh_missions(engine, source, watchlist, rules)
    return results, Rebuilt(rebuilt.flights, rebuilt.sightings, missions, rebuilt.aircraft_with_legs)


def _why_no_leg(positions) -> str:
    """Why positions may give no leg: one per aircraft, only on the ground, or too far apart."""
    t = positions["time"].cast("int64").to_numpy() / 1000.0
    codes = pc.dictionary_encode(positions["icao24"]).combine_chunks().indices.to_numpy(zero_copy_only=False)
    steps = np.diff(t)[codes[1:] == codes[:-1]]
    if len(steps) == 0:
        return "no leg built: one position per aircraft"
    if pc.all(pc.fill_null(positions["on_ground"], False)).as_py():
        return "no leg built: the aircraft were only seen on the ground (watched ones are kept as sightings)"
    return (f"no leg built: positions are {np.median(steps) / 60:.0f} min apart (median), too sparse to follow a "
            f"takeoff or landing; watched aircraft are kept as sightings (removalwatch flights sightings)")


def rebuild_flights(engine: Engine, home: Path, watchlist: Watchlist, days: list[dt.date] | None = None,
                    rules: MissionRules = MissionRules()) -> Rebuilt:
    """Segment the archive's days again (all, or `days` with the day before and after each, where a
    leg over midnight may continue), replace their legs and sightings in one transaction, and assemble
    the missions of the aircraft concerned again."""
    available = archive.days(home)
    if days is not None:
        wanted = {d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)}
        available = [d for d in available if d in wanted]
    if not available:
        return Rebuilt(0, 0, 0, set())
    flights, sightings, carry = [], [], None
    for i, (day, positions) in enumerate(archive.iter_days(home, available)):
        end = dt.datetime.combine(day, dt.time(), dt.timezone.utc) + dt.timedelta(days=1)
        following = i + 1 < len(available) and available[i + 1] == day + dt.timedelta(days=1)
        built = build_flights(positions, watchlist, carry=carry, day_end=end if following else None)
        flights += built.flights
        sightings += built.sightings
        carry = built.carry
    start = dt.datetime.combine(available[0], dt.time(), dt.timezone.utc)
    end = dt.datetime.combine(available[-1], dt.time(), dt.timezone.utc) + dt.timedelta(days=1)
    replace_flights(engine, flights, start, end, ADSB, sightings)
    aircraft = {f.icao24 for f in flights}
    missions = refresh_missions(engine, ADSB, watchlist, rules, aircraft) if aircraft else 0
    return Rebuilt(len(flights), len(sightings), missions, aircraft)


def refresh_missions(engine: Engine, source: str, watchlist: Watchlist, rules: MissionRules,
                     icao24s: set[str] | None = None) -> int:
    """Assemble the missions of `source` (of the given aircraft, or all) again from the stored legs."""
    legs, missions = assemble(legs_of(engine, source, icao24s), watchlist, rules)
    save_missions(engine, source, legs, missions, icao24s)
    return len(missions)
