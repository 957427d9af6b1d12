"""readsb / tar1090 JSON: `trace_full_<icao>.json` files and `aircraft.json` snapshots."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport, clean, table

NEW_LEG = 2  # readsb's trace flag: a new leg (flight) starts at this point


def _load(path: Path):
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    except (json.JSONDecodeError, EOFError, OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"truncated or invalid JSON: {exc}") from None


def _altitude(value):
    """Barometric altitude in feet, and whether the aircraft is on the ground ("ground" altitude)."""
    if value == "ground":
        return 0.0, True
    if isinstance(value, (int, float)):
        return float(value), False
    return None, None


def read_trace(path: Path) -> ReadReport:
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("trace"), list):
        raise InputError(str(path), "not a readsb trace: no 'trace' list", field="trace")
    icao = str(data.get("icao", "")).lower().lstrip("~")
    base = data.get("timestamp")
    if not isinstance(base, (int, float)):
        raise InputError(str(path), "no numeric 'timestamp'", field="timestamp")
    rejected: Counter = Counter()
    cols = {k: [] for k in ("time", "lat", "lon", "altitude_ft", "ground_speed_kt", "track", "vertical_rate_fpm",
                            "callsign", "squawk", "on_ground", "leg_start")}
    callsign = squawk = None
    for point in data["trace"]:
        if not isinstance(point, list) or len(point) < 8 or not all(isinstance(v, (int, float)) for v in point[:3]):
            rejected["malformed trace point"] += 1
            continue
        details = point[8] if len(point) > 8 and isinstance(point[8], dict) else {}
        callsign = (details.get("flight") or "").strip() or callsign
        squawk = details.get("squawk") or squawk
        altitude, on_ground = _altitude(point[3])
        flags = point[6] if isinstance(point[6], int) else 0
        cols["time"].append(int((base + point[0]) * 1000))
        cols["lat"].append(float(point[1]))
        cols["lon"].append(float(point[2]))
        cols["altitude_ft"].append(altitude)
        cols["ground_speed_kt"].append(point[4] if isinstance(point[4], (int, float)) else None)
        cols["track"].append(point[5] if isinstance(point[5], (int, float)) else None)
        cols["vertical_rate_fpm"].append(point[7] if isinstance(point[7], (int, float)) else None)
        cols["callsign"].append(callsign)
        cols["squawk"].append(squawk)
        cols["on_ground"].append(on_ground)
        cols["leg_start"].append(bool(flags & NEW_LEG))
    n = len(cols["time"])
    cols["time"] = pa.array(cols["time"], pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
    cols["icao24"] = [icao] * n
    cols["source"] = [f"readsb:{path.name}"] * n
    return ReadReport(str(path), clean(table(cols, n), rejected), rejected)


def read_aircraft_json(path: Path) -> ReadReport:
    return aircraft_snapshot(_load(path), str(path), f"readsb:{path.name}")


def aircraft_snapshot(data, where: str, source: str) -> ReadReport:
    """Positions in one `aircraft.json` snapshot (a file, or a receiver's or an API's answer)."""
    if not isinstance(data, dict) or not isinstance(data.get("aircraft", data.get("ac")), list):
        raise InputError(where, "not an aircraft.json snapshot: no 'aircraft' list", field="aircraft")
    if "aircraft" not in data:  # adsb.lol and airplanes.live answer with 'ac' and a 'now' in milliseconds
        if not isinstance(data.get("now"), (int, float)):
            raise InputError(where, "no numeric 'now'", field="now")
        data = {"aircraft": data["ac"], "now": data["now"] / 1000}
    now = data.get("now")
    if not isinstance(now, (int, float)):
        raise InputError(where, "no numeric 'now'", field="now")
    rejected: Counter = Counter()
    rows = []
    for ac in data["aircraft"]:
        if not isinstance(ac, dict) or "lat" not in ac or "lon" not in ac:
            rejected["no position"] += 1
            continue
        altitude, on_ground = _altitude(ac.get("alt_baro"))
        seen = ac.get("seen_pos", ac.get("seen", 0)) or 0
        rows.append({
            "icao24": str(ac.get("hex", "")).lower().lstrip("~"),
            "time": int((now - seen) * 1000), "lat": ac["lat"], "lon": ac["lon"], "altitude_ft": altitude,
            "ground_speed_kt": ac.get("gs"), "track": ac.get("track"), "vertical_rate_fpm": ac.get("baro_rate"),
            "callsign": (ac.get("flight") or "").strip() or None, "squawk": ac.get("squawk"), "on_ground": on_ground,
        })
    n = len(rows)
    cols = {k: [r[k] for r in rows] for k in rows[0]} if rows else {}
    if rows:
        cols["time"] = pa.array(cols["time"], pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
        cols["source"] = [source] * n
    return ReadReport(where, clean(table(cols, n), rejected), rejected)
