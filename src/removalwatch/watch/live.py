"""Flights of watched aircraft built as positions arrive: only the aircraft the watchlist names
(or whose callsign a watched class claims) are kept, for the last day, and only the aircraft
with new positions are segmented again — the archive is not re-read."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from removalwatch.domain import Flight
from removalwatch.flights.build import build_flights
from removalwatch.flights.missions import MissionRules, assemble
from removalwatch.flights.watchlist import Watchlist

KEEP = dt.timedelta(hours=24)
KEEP_AT_MOST = dt.timedelta(hours=48)


def _recent(positions: pa.Table) -> pa.Table:
    """An aircraft's positions of the last day, cut where it stood on the ground, never inside a
    leg: a leg whose start was cut would look like a new flight (and alert again under a new key)."""
    kind = positions.schema.field("time").type
    newest = pc.max(positions["time"]).as_py()
    old = pc.less(positions["time"], pa.scalar(newest - KEEP, kind))
    grounded = positions.filter(pc.and_(old, pc.fill_null(positions["on_ground"], False)))
    if grounded.num_rows:
        cut = pc.max(grounded["time"])
    else:  # never seen on the ground for a day: keep up to two days of it
        cut = pa.scalar(newest - KEEP_AT_MOST, kind)
    return positions.filter(pc.greater_equal(positions["time"], cut))


class LiveFlights:
    def __init__(self, watchlist: Watchlist, rules: MissionRules):
        self.watchlist, self.rules = watchlist, rules
        self.watched: dict[tuple[str, str | None], bool] = {}
        self.positions: dict[str, pa.Table] = {}

    def _is_watched(self, icao24: str, callsign: str | None, day: dt.date) -> bool:
        key = (icao24, callsign)
        if key not in self.watched:
            self.watched[key] = bool(self.watchlist.match(icao24, callsign, day))
        return self.watched[key]

    def add(self, positions: pa.Table) -> set[str]:
        """Keep the watched aircraft's positions; returns the aircraft that have new ones."""
        if positions.num_rows == 0:
            return set()
        pairs = pc.unique(pc.binary_join_element_wise(positions["icao24"], pc.fill_null(positions["callsign"], ""),
                                                       "|")).to_pylist()
        day = positions["time"][0].as_py().date()
        wanted = {p.split("|")[0] for p in pairs if self._is_watched(p.split("|")[0], p.split("|")[1] or None, day)}
        # a watched class is known by callsign: an aircraft once matched stays watched
        wanted |= {icao for (icao, _), yes in self.watched.items() if yes} & set(pc.unique(positions["icao24"]).to_pylist())
        if not wanted:
            return set()
        mine = positions.filter(pc.is_in(positions["icao24"], pa.array(sorted(wanted))))
        for icao in wanted:
            rows = mine.filter(pc.equal(mine["icao24"], icao))
            known = self.positions.get(icao)
            merged = pa.concat_tables([known, rows]) if known is not None else rows
            self.positions[icao] = _recent(merged)
        return wanted

    def legs(self, aircraft: set[str]) -> list[Flight]:
        """The legs of these aircraft as seen so far, scored (staging airport, destination ...)."""
        if not aircraft:
            return []
        positions = pa.concat_tables([self.positions[a] for a in sorted(aircraft)]).sort_by(
            [("icao24", "ascending"), ("time", "ascending")])
        built = build_flights(positions, self.watchlist)
        legs, _ = assemble(built.flights, self.watchlist, self.rules)
        return legs
