"""Where a leg began and ended, how that is known, and how sure it is.

Receivers rarely hear an aircraft on the runway: coverage often starts in the climb and ends in
the descent. An end is

- observed: the aircraft was on the ground, or below OBSERVED_FT over the field;
- extrapolated: the first fix is climbing (the last descending) below EXTRAPOLATE_FT, with a
  field behind it (ahead of it) close enough for that climb (descent): the takeoff (landing) was
  not seen, the field is inferred, and the confidence says how far it was carried;
- predicted: the last fix is higher; the ranked candidates come from the course (airports.py).

Pure functions over one leg's first or last fixes; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from removalwatch.flights import airports as ap

OBSERVED_FT = 1500.0      # below this over a field, the takeoff or landing counts as seen
OBSERVED_KM = 15.0
EXTRAPOLATE_FT = 12000.0  # a climb or descent seen below this is traced back to (on to) a field
CLIMB_FPM = 300.0         # faster than this is climbing (or, negative, descending)
KM_PER_1000_FT = 3 * 1.852  # the usual 3 NM of track per 1,000 ft of climb or descent


@dataclass(frozen=True)
class Fix:
    """One position with what the ends need; altitude in feet above sea level."""

    lat: float
    lon: float
    altitude_ft: float | None
    track: float | None


@dataclass(frozen=True)
class End:
    airport: str | None
    basis: str | None          # observed | extrapolated | predicted (None: nothing near)
    confidence: float
    evidence: str | None


NONE = End(None, None, 0.0, None)


def confidence(distance_km: float, height_ft: float) -> float:
    """Near and low is sure; every 40 km or 15,000 ft further away divides it by e."""
    return float(math.exp(-max(distance_km, 0.0) / 40.0) * math.exp(-max(height_ft, 0.0) / 15000.0))


def label(value: float) -> str:
    return "high" if value >= 0.7 else "medium" if value >= 0.35 else "low"


def _fmt_ft(value: float) -> str:
    return f"{value:,.0f} ft"


@dataclass(frozen=True)
class Near:
    """The nearest field within OBSERVED_KM of a fix ("" when none), as `airports.nearest` finds it."""

    icao: str
    km: float
    elevation_ft: float


def takeoff(first: Fix, near: Near, *, on_ground_before: bool, climb_fpm: float | None) -> End:
    """The takeoff airport of a leg whose first airborne fix is `first`."""
    return _end(first, near, on_ground_before, climb_fpm, taking_off=True)


def landing(last: Fix, near: Near, *, landed: bool, climb_fpm: float | None) -> End:
    """The landing airport of a leg whose last airborne fix is `last` (`climb_fpm` negative: descending)."""
    return _end(last, near, landed, climb_fpm, taking_off=False)


def _end(fix: Fix, near: Near, on_ground: bool, climb_fpm: float | None, *, taking_off: bool) -> End:
    word = "takeoff" if taking_off else "landing"
    code, km, elevation = near.icao, near.km, near.elevation_ft
    altitude = 0.0 if fix.altitude_ft is None or math.isnan(fix.altitude_ft) else fix.altitude_ft
    if code and (on_ground or altitude - elevation < OBSERVED_FT):
        height = 0.0 if on_ground else max(0.0, altitude - elevation)
        where = "on the ground" if on_ground else f"{km:.1f} km away at {_fmt_ft(height)} above the field"
        sure = confidence(km, height)
        return End(code, "observed", round(sure, 3),
                   f"{word} at {code} observed: {where} ({label(sure)} confidence)")
    moving = climb_fpm is not None and (climb_fpm > CLIMB_FPM if taking_off else climb_fpm < -CLIMB_FPM)
    if not moving or altitude > EXTRAPOLATE_FT + 2000:
        return NONE
    found = _field(fix, altitude, behind=taking_off)
    if found is None:
        return NONE
    code, km, height = found
    sure = confidence(km, height)
    verb = "climbing" if taking_off else "descending"
    seen = "coverage started after the takeoff" if taking_off else "coverage ended before the landing"
    first_last = "first" if taking_off else "last"
    return End(code, "extrapolated", round(sure, 3),
               f"{word} at {code} extrapolated: {first_last} fix {km:.1f} km from it at {_fmt_ft(height)} above "
               f"the field, {verb} {abs(climb_fpm):,.0f} ft/min; {seen} ({label(sure)} confidence)")


def _field(fix: Fix, altitude: float, *, behind: bool) -> tuple[str, float, float] | None:
    """The field a climb (behind the aircraft) or descent (ahead of it) at `fix` most likely
    started from or leads to: the nearest in reach, major airports first."""
    reach = 15.0 + altitude / 1000.0 * KM_PER_1000_FT * 1.5
    for major in (True, False):
        table = ap.airports(major)
        idx, km = ap.within(fix.lat, fix.lon, reach, major_only=major)
        if len(idx) == 0:
            continue
        height = altitude - table.elevation_ft[idx]
        ok = (height > -500) & (height <= EXTRAPOLATE_FT)
        if fix.track is not None and not math.isnan(fix.track):
            to_field = ap.bearing(fix.lat, fix.lon, table.lat[idx], table.lon[idx])
            course = (fix.track + 180) % 360 if behind else fix.track
            off = np.abs((to_field - course + 180) % 360 - 180)
            ok &= (off <= (100 if behind else 60)) | (km < 10)  # a climb may turn; a descent heads in
        if not ok.any():
            continue
        best = np.flatnonzero(ok)[np.argmin(km[ok])]
        return str(table.icao[idx[best]]), float(km[best]), float(max(0.0, height[best]))
    return None
