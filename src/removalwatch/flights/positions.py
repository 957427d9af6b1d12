"""The one position schema every reader produces, and the checks every batch goes through.

Positions travel as pyarrow tables, never as Python objects one by one: a
reader builds columns, `clean` drops what cannot be true and counts why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SCHEMA = pa.schema([
    ("icao24", pa.string()),            # 24-bit address, lower-case hex
    ("time", pa.timestamp("ms", tz="UTC")),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("altitude_ft", pa.float32()),      # barometric
    ("ground_speed_kt", pa.float32()),
    ("track", pa.float32()),
    ("vertical_rate_fpm", pa.float32()),
    ("callsign", pa.string()),
    ("squawk", pa.string()),
    ("on_ground", pa.bool_()),
    ("leg_start", pa.bool_()),          # the feed says a new flight starts here (readsb's new-leg flag)
    ("source", pa.string()),
])

MAX_SPEED_KT = 1500        # faster than this between two fixes is a bad position, not a flight
FUTURE_SLACK = dt.timedelta(minutes=10)


@dataclass
class ReadReport:
    """What one input gave: positions kept, and rejected ones counted by reason."""

    source: str
    positions: pa.Table
    rejected: Counter = field(default_factory=Counter)

    @property
    def kept(self) -> int:
        return self.positions.num_rows


def empty() -> pa.Table:
    return SCHEMA.empty_table()


def table(columns: dict, n: int) -> pa.Table:
    """A table in SCHEMA from whatever columns a reader has; missing ones are null."""
    arrays = []
    for f in SCHEMA:
        value = columns.get(f.name)
        if value is None:
            arrays.append(pa.nulls(n, f.type))
        else:
            arrays.append(pa.array(value, type=f.type) if not isinstance(value, (pa.Array, pa.ChunkedArray))
                          else value.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def clean(positions: pa.Table, rejected: Counter, *, now: dt.datetime | None = None) -> pa.Table:
    """Drop positions that cannot be true, counting each reason in `rejected`:
    no address or time, latitude or longitude out of range, times in the future,
    exact duplicates, and jumps faster than MAX_SPEED_KT from the aircraft's previous fix."""
    if positions.num_rows == 0:
        return positions
    now = now or dt.datetime.now(dt.timezone.utc)
    icao_ok = pc.fill_null(pc.match_substring_regex(positions["icao24"], r"^[0-9a-f]{6}$"), False)
    checks = [
        ("no valid icao24 address", icao_ok),
        ("no time", pc.is_valid(positions["time"])),
        ("latitude out of range", pc.fill_null(pc.less_equal(pc.abs(positions["lat"]), 90), True)),
        ("longitude out of range", pc.fill_null(pc.less_equal(pc.abs(positions["lon"]), 180), True)),
        ("time in the future", pc.fill_null(pc.less_equal(positions["time"], pa.scalar(now + FUTURE_SLACK,
                                                                                            pa.timestamp("ms", tz="UTC"))), True)),
    ]
    keep = pa.array(np.ones(positions.num_rows, dtype=bool))
    for reason, ok in checks:
        ok = pc.fill_null(ok, False)
        bad = pc.and_(keep, pc.invert(ok))
        n = pc.sum(bad).as_py() or 0
        if n:
            rejected[reason] += n
        keep = pc.and_(keep, ok)
    positions = positions.filter(keep)
    if not _sorted(positions):  # feeds usually arrive sorted by aircraft already; sorting is the costly part
        positions = positions.sort_by([("icao24", "ascending"), ("time", "ascending")])
    positions = drop_duplicates(positions, rejected)
    return _drop_jumps(positions, rejected)


def _sorted(positions: pa.Table) -> bool:
    icao = pc.dictionary_encode(positions["icao24"]).combine_chunks()
    names = icao.dictionary.to_numpy(zero_copy_only=False)
    if len(names) > 1 and not (names[:-1] < names[1:]).all():
        return False  # codes follow first appearance; sorted input has them in name order
    codes = icao.indices.to_numpy(zero_copy_only=False)
    t = positions["time"].cast(pa.int64()).to_numpy()
    return bool(((codes[1:] > codes[:-1]) | ((codes[1:] == codes[:-1]) & (t[1:] >= t[:-1]))).all())


def drop_duplicates(positions: pa.Table, rejected: Counter) -> pa.Table:
    if positions.num_rows < 2:
        return positions
    icao = positions["icao24"].to_numpy(zero_copy_only=False)
    t = positions["time"].cast(pa.int64()).to_numpy()
    lat = positions["lat"].to_numpy(zero_copy_only=False)
    lon = positions["lon"].to_numpy(zero_copy_only=False)
    same = np.zeros(len(t), dtype=bool)
    same[1:] = (icao[1:] == icao[:-1]) & (t[1:] == t[:-1]) & (
        (lat[1:] == lat[:-1]) | (np.isnan(lat[1:]) & np.isnan(lat[:-1]))) & (
        (lon[1:] == lon[:-1]) | (np.isnan(lon[1:]) & np.isnan(lon[:-1])))
    if same.any():
        rejected["duplicate message"] += int(same.sum())
        positions = positions.filter(pa.array(~same))
    return positions


def _drop_jumps(positions: pa.Table, rejected: Counter) -> pa.Table:
    """A fix further from the aircraft's last good fix than MAX_SPEED_KT allows is dropped
    (a 2,000 km jump in a minute is a decoding error, not a flight)."""
    icao = positions["icao24"].to_numpy(zero_copy_only=False)
    t = positions["time"].cast(pa.int64()).to_numpy() / 1000.0
    lat = positions["lat"].to_numpy(zero_copy_only=False)
    lon = positions["lon"].to_numpy(zero_copy_only=False)
    has = ~np.isnan(lat) & ~np.isnan(lon)
    idx = np.flatnonzero(has)
    if len(idx) < 2:
        return positions
    keep = np.ones(len(t), dtype=bool)
    # Vectorised first pass against the previous fix; the rare suspects are checked one by one
    # against the last *kept* fix, so one bad fix does not also condemn the good one after it.
    a, b = idx[:-1], idx[1:]
    same = icao[a] == icao[b]
    # A flat-earth distance, close to the great circle over the short hops between fixes, screens
    # every pair cheaply at half the limit; only the pairs it flags are measured properly.
    rough_nm = 60 * np.hypot(lat[b] - lat[a], (lon[b] - lon[a]) * np.cos(np.radians(lat[a])))
    dt_s = np.maximum(t[b] - t[a], 1.0)
    suspect = same & (rough_nm / dt_s * 3600 > MAX_SPEED_KT * 0.5) & (rough_nm > 2.5)
    if suspect.any():
        dist_nm = great_circle_nm(lat[a[suspect]], lon[a[suspect]], lat[b[suspect]], lon[b[suspect]])
        suspect[np.flatnonzero(suspect)] = (dist_nm / dt_s[suspect] * 3600 > MAX_SPEED_KT) & (dist_nm > 5)
    if not suspect.any():
        return positions
    last = {}
    for i in idx[np.isin(icao[idx], np.unique(icao[a][suspect]))]:
        prev = last.get(icao[i])
        if prev is not None:
            d = great_circle_nm(lat[prev], lon[prev], lat[i], lon[i])
            if d > 5 and d / max(t[i] - t[prev], 1.0) * 3600 > MAX_SPEED_KT:
                keep[i] = False
                continue
        last[icao[i]] = i
    dropped = int((~keep).sum())
    if dropped:
        rejected["impossible jump"] += dropped
    return positions.filter(pa.array(keep))


def great_circle_nm(lat1, lon1, lat2, lon2):
    """Great-circle distance in nautical miles (works on scalars and numpy arrays)."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3440.065 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
