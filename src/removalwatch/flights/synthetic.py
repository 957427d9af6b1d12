"""Synthetic flights for fixtures, the demo and benchmarks: realistic tracks between two airports.

A track taxis, takes off, climbs at a steady rate to cruise, follows the great circle, descends and
lands, with fixes every few seconds and gaps where no receiver hears it (the ocean, and random
short dropouts). Seeded, so the same arguments give the same track.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from removalwatch.flights import airports as ap
from removalwatch.flights.positions import SCHEMA, table

EARTH_NM = 3440.065


def _great_circle(lat1, lon1, lat2, lon2, fraction):
    p1, l1, p2, l2 = map(np.radians, (lat1, lon1, lat2, lon2))
    d = 2 * np.arcsin(np.sqrt(np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2))
    if d == 0:
        return np.full_like(fraction, lat1), np.full_like(fraction, lon1), 0.0
    a = np.sin((1 - fraction) * d) / np.sin(d)
    b = np.sin(fraction * d) / np.sin(d)
    x = a * np.cos(p1) * np.cos(l1) + b * np.cos(p2) * np.cos(l2)
    y = a * np.cos(p1) * np.sin(l1) + b * np.cos(p2) * np.sin(l2)
    z = a * np.sin(p1) + b * np.sin(p2)
    return np.degrees(np.arctan2(z, np.hypot(x, y))), np.degrees(np.arctan2(y, x)), d * EARTH_NM


def synthetic_flight(origin: str, destination: str, departure: dt.datetime, *, icao24: str, callsign: str,
                     cruise_ft: float = 33000, cruise_kt: float = 450, step_s: float = 5.0,
                     ocean_gap: tuple[float, float] | None = None, dropouts: int = 3, stop_at: float = 1.0,
                     seed: int = 0) -> pa.Table:
    """Positions of one flight from `origin` to `destination` (ICAO codes).

    `ocean_gap` = (start, end) fractions of the route with no reception; `stop_at` < 1 ends the
    track mid-route (a flight still in the air, or one whose landing no receiver saw)."""
    rng = np.random.default_rng(seed)
    a, b = ap.lookup(origin), ap.lookup(destination)
    if a is None or b is None:
        raise ValueError(f"unknown airport {origin if a is None else destination}")
    _, _, distance_nm = _great_circle(a["lat"], a["lon"], b["lat"], b["lon"], np.array([0.0]))
    climb_fpm, descent_fpm, taxi_s = 2000.0, 1800.0, 300.0
    climb_s = cruise_ft / climb_fpm * 60
    descent_s = cruise_ft / descent_fpm * 60
    airborne_s = distance_nm / cruise_kt * 3600 + (climb_s + descent_s) * 0.25  # slower when climbing/descending
    total = taxi_s + airborne_s + taxi_s
    t = np.arange(0.0, total, step_s)
    air_t = np.clip(t - taxi_s, 0, airborne_s)
    fraction = air_t / airborne_s
    lat, lon, _ = _great_circle(a["lat"], a["lon"], b["lat"], b["lon"], fraction)
    elev_a, elev_b = float(a["elevation"] or 0), float(b["elevation"] or 0)
    altitude = np.minimum.reduce([np.full_like(t, cruise_ft), elev_a + air_t / 60 * climb_fpm,
                                  elev_b + (airborne_s - air_t) / 60 * descent_fpm])
    on_ground = (t < taxi_s) | (t > taxi_s + airborne_s)
    altitude = np.where(on_ground, np.nan, altitude)
    speed = np.where(on_ground, 15.0, np.minimum(cruise_kt, 160 + altitude / cruise_ft * (cruise_kt - 160)))
    heading = np.degrees(np.arctan2(np.gradient(lon) * np.cos(np.radians(lat)), np.gradient(lat))) % 360
    vrate = np.gradient(np.nan_to_num(altitude), t) * 60
    keep = t <= total * stop_at
    if ocean_gap:
        keep &= ~((fraction > ocean_gap[0]) & (fraction < ocean_gap[1]))
    for _ in range(dropouts):  # short losses of reception
        at = rng.uniform(0.05, 0.95) * total
        keep &= ~((t > at) & (t < at + rng.uniform(30, 240)))
    lat = lat + rng.normal(0, 0.0002, len(t))
    lon = lon + rng.normal(0, 0.0002, len(t))
    n = int(keep.sum())
    times = (departure.timestamp() + t[keep]) * 1000
    return table({
        "icao24": [icao24] * n,
        "time": pa.array(times.astype(np.int64)).cast(pa.timestamp("ms", tz="UTC")),
        "lat": lat[keep], "lon": lon[keep], "altitude_ft": altitude[keep], "ground_speed_kt": speed[keep],
        "track": heading[keep], "vertical_rate_fpm": vrate[keep], "callsign": [callsign] * n,
        "on_ground": on_ground[keep], "source": ["synthetic"] * n,
    }, n)


def demo_flights() -> list[pa.Table]:
    """The demo's flights: a US Air Force C-17 ("RCH") from Kelly Field to Misrata, Libya, crossing the
    Atlantic out of receiver range; a GlobalX A320 from Harlingen to San Salvador; an airliner."""
    return [
        synthetic_flight("KSKF", "HLMS", dt.datetime(2025, 5, 7, 14, 0, tzinfo=dt.timezone.utc), icao24="ae07e1",
                         callsign="RCH4451", cruise_ft=31000, cruise_kt=430, step_s=10, ocean_gap=(0.3, 0.75), seed=1),
        synthetic_flight("KHRL", "MSLP", dt.datetime(2025, 3, 15, 16, 30, tzinfo=dt.timezone.utc), icao24="a2c4e0",
                         callsign="GXA6712", seed=2),
        synthetic_flight("KDEN", "KORD", dt.datetime(2025, 5, 7, 15, 0, tzinfo=dt.timezone.utc), icao24="a1b2c3",
                         callsign="UAL1234", seed=3),
    ]


__all__ = ["SCHEMA", "synthetic_flight", "demo_flights", "sbs_lines"]


def sbs_lines(positions: pa.Table) -> list[str]:
    """The positions as SBS-1 (BaseStation) messages, in time order: an identification message
    (MSG,1) when an aircraft's callsign is first heard, then one airborne or surface position
    message (MSG,3) per position — what a receiver's port 30003 would have sent."""
    rows = positions.sort_by([("time", "ascending")]).to_pylist()
    named, lines = set(), []
    for r in rows:
        when = r["time"].astimezone(dt.timezone.utc)
        stamp = f"{when:%Y/%m/%d},{when:%H:%M:%S}.{when.microsecond // 1000:03d}"
        if r["callsign"] and r["icao24"] not in named:
            named.add(r["icao24"])
            lines.append(f"MSG,1,1,1,{r['icao24'].upper()},1,{stamp},{stamp},{r['callsign']},,,,,,,,,,,")
        altitude = "" if r["altitude_ft"] is None or r["altitude_ft"] != r["altitude_ft"] else f"{r['altitude_ft']:.0f}"
        ground = "-1" if r["on_ground"] else "0"
        speed = "" if r["ground_speed_kt"] is None else f"{r['ground_speed_kt']:.0f}"
        track = "" if r["track"] is None else f"{r['track']:.1f}"
        lines.append(f"MSG,3,1,1,{r['icao24'].upper()},1,{stamp},{stamp},,{altitude},{speed},{track},"
                     f"{r['lat']:.5f},{r['lon']:.5f},,,0,0,0,{ground}")
    return lines
