"""OpenSky state vectors: CSV or Parquet as exported from its historical database (or pyopensky's
Trino history), and JSON records as the `traffic` library writes them.

OpenSky's own columns are SI (m, m/s); `traffic`'s are aviation units (ft, kt, ft/min). Both are
recognised by their column names.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport, clean, table

M_TO_FT = 3.28084
MS_TO_KT = 1.943844
MS_TO_FPM = 196.850394


def _column(t: pa.Table, *names: str):
    for name in names:
        if name in t.column_names:
            return t[name]
    return None


def from_table(raw: pa.Table, source: str) -> ReadReport:
    """Positions from a table with OpenSky (time, lat, lon, baroaltitude, velocity, heading, vertrate,
    onground), traffic-style (timestamp, latitude, longitude, altitude, groundspeed, track,
    vertical_rate) or RemovalWatch's own (altitude_ft, ground_speed_kt, ...) columns."""
    n = raw.num_rows
    if "icao24" not in raw.column_names:
        raise InputError(source, "no icao24 column", field="icao24")
    time = _column(raw, "time", "timestamp")
    if time is None:
        raise InputError(source, "no time or timestamp column", field="time")
    if pa.types.is_integer(time.type) or pa.types.is_floating(time.type):
        # seconds (OpenSky) or milliseconds (traffic JSON)
        scale = 1000 if pc.max(time).as_py() is not None and pc.max(time).as_py() < 1e11 else 1
        time = pc.cast(pc.multiply(pc.cast(time, pa.float64()), scale), pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
    elif pa.types.is_string(time.type):
        time = pc.strptime(time, format="%Y-%m-%d %H:%M:%S", unit="ms", error_is_null=True).cast(
            pa.timestamp("ms", tz="UTC"))
    else:
        time = time.cast(pa.timestamp("ms", tz="UTC"))
    si = "baroaltitude" in raw.column_names or "velocity" in raw.column_names

    def scaled(col, factor):
        return None if col is None else pc.multiply(pc.cast(col, pa.float64()), factor if si else 1.0)

    altitude = _column(raw, "baroaltitude", "altitude", "altitude_ft")
    on_ground = _column(raw, "onground", "on_ground")
    if on_ground is not None and not pa.types.is_boolean(on_ground.type):
        on_ground = pc.equal(pc.utf8_lower(pc.cast(on_ground, pa.string())), "true")
    callsign = _column(raw, "callsign")
    columns = {
        "icao24": pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(raw["icao24"], pa.string()))),
        "time": time,
        "lat": _column(raw, "lat", "latitude"),
        "lon": _column(raw, "lon", "longitude"),
        "altitude_ft": scaled(altitude, M_TO_FT),
        "ground_speed_kt": scaled(_column(raw, "velocity", "groundspeed", "ground_speed_kt"), MS_TO_KT),
        "track": _column(raw, "heading", "track"),
        "vertical_rate_fpm": scaled(_column(raw, "vertrate", "vertical_rate", "vertical_rate_fpm"), MS_TO_FPM),
        "callsign": None if callsign is None else pc.utf8_trim_whitespace(pc.cast(callsign, pa.string())),
        "squawk": None if _column(raw, "squawk") is None else pc.cast(_column(raw, "squawk"), pa.string()),
        "on_ground": on_ground,
        "source": pa.array([f"opensky:{Path(source).name}"] * n, pa.string()) if n else None,
    }
    rejected: Counter = Counter()
    return ReadReport(source, clean(table(columns, n), rejected), rejected)


def read_csv(path: Path) -> ReadReport:
    try:
        raw = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={"icao24": pa.string(), "callsign": pa.string(), "squawk": pa.string()},
            strings_can_be_null=True))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(str(path), f"not a readable CSV file: {exc}") from None
    return from_table(raw, str(path))


def read_parquet(path: Path) -> ReadReport:
    try:
        raw = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(str(path), f"not a readable Parquet file: {exc}") from None
    return from_table(raw, str(path))


def read_json(path: Path) -> ReadReport:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            records = json.load(f)
    except (json.JSONDecodeError, EOFError, OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not a JSON list of position records: {exc}") from None
    if not isinstance(records, list):
        raise InputError(str(path), "not a JSON list of position records")
    rows = [r for r in records if isinstance(r, dict)]
    report = from_table(pa.Table.from_pylist(rows), str(path)) if rows else ReadReport(str(path), table({}, 0))
    if len(rows) != len(records):
        report.rejected["not a record"] += len(records) - len(rows)
    return report


FT_PER_M, KT_PER_MS, FPM_PER_MS = 3.28084, 1.943844, 196.8504


def state_vectors(data, where: str) -> ReadReport:
    """Positions in an answer of OpenSky's REST API (`/api/states/all`): {"time": s, "states": [[icao24,
    callsign, origin_country, time_position, last_contact, lon, lat, baro_altitude m, on_ground,
    velocity m/s, true_track, vertical_rate m/s, sensors, geo_altitude, squawk, ...], ...]}."""
    if not isinstance(data, dict) or not isinstance(data.get("states") or [], list):
        raise InputError(where, "not an OpenSky state-vector answer: no 'states' list", field="states")
    rejected: Counter = Counter()
    rows = []
    for s in data.get("states") or []:
        if not isinstance(s, list) or len(s) < 15 or s[5] is None or s[6] is None:
            rejected["no position"] += 1
            continue
        when = s[3] if isinstance(s[3], (int, float)) else s[4]
        if not isinstance(when, (int, float)):
            rejected["bad time"] += 1
            continue

        def scaled(value, factor):
            return value * factor if isinstance(value, (int, float)) else None

        rows.append({"icao24": str(s[0]).lower(), "time": int(when * 1000), "lat": s[6], "lon": s[5],
                     "altitude_ft": scaled(s[7], FT_PER_M), "on_ground": bool(s[8]),
                     "ground_speed_kt": scaled(s[9], KT_PER_MS), "track": s[10],
                     "vertical_rate_fpm": scaled(s[11], FPM_PER_MS), "callsign": (s[1] or "").strip() or None,
                     "squawk": s[14]})
    n = len(rows)
    cols = {k: [r[k] for r in rows] for k in rows[0]} if rows else {}
    if rows:
        cols["time"] = pa.array(cols["time"], pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
        cols["source"] = ["opensky-rest"] * n
    return ReadReport(where, clean(table(cols, n), rejected), rejected)
