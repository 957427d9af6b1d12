"""Gaps in a track, and the places an aircraft could have been during one.

Where receivers are thin (oceans, much of Africa), a gap is often the finding itself. Each gap
is reported as it is: when and where coverage was lost and regained, altitude and vertical rate
on both sides, and the envelope of airports reachable in it, for a range of assumed ground
times: an ellipse from where the track was lost to where it reappeared (a round trip when that
is the same place). A descent under way when coverage ended bounds the first landing more
tightly (the descent reach). No single destination is ever stated as fact.
"""

from __future__ import annotations

import math

import numpy as np

from removalwatch.domain import Gap, Reach, TrackPoint
from removalwatch.flights import airports as ap
from removalwatch.flights.ends import KM_PER_1000_FT

REPORT_S = 600.0                  # a stretch without positions longer than this is a gap
GROUND_HOURS = (1.0, 6.0, 24.0)   # assumed time on the ground: a fuel stop, a drop-off, a night
TURN_HOURS = 0.5                  # descent, approach, taxi and climb cost this on top of the ground time
CRUISE_KT = 450.0                 # when the track gives no ground speed
DESCENDING_FPM = -500.0
NEAREST = 5


def _km(a: TrackPoint, b: TrackPoint) -> float:
    return float(ap.distance_km(a.lat, a.lon, b.lat, b.lon))


def _speed_kt(a: TrackPoint, b: TrackPoint | None) -> float:
    speeds = [p.ground_speed_kt for p in (a, b) if p is not None and p.ground_speed_kt and p.ground_speed_kt > 150]
    return max(speeds) if speeds else CRUISE_KT


def _countries(idx: np.ndarray, cost_km: np.ndarray) -> tuple[list[str], list[str]]:
    table = ap.airports(True)
    order = idx[np.argsort(cost_km)]
    countries = list(dict.fromkeys(str(c) for c in table.country[order]))
    return countries, [str(c) for c in table.icao[order[:NEAREST]]]


def reach_between(opened: TrackPoint, closed: TrackPoint, seconds: float, speed_kt: float) -> list[Reach]:
    """Airports A with a flight opened → A, `ground` hours there, A → closed, fitting in `seconds`."""
    table = ap.airports(True)
    out = []
    for ground in GROUND_HOURS:
        budget_km = (seconds / 3600.0 - ground - TURN_HOURS) * speed_kt * 1.852
        if budget_km <= 0:
            break
        # the ellipse lies within budget_km of the point where coverage was lost
        idx, to_a = ap.within(opened.lat, opened.lon, budget_km)
        if len(idx) == 0:
            break
        cost = to_a + ap.distance_km(table.lat[idx], table.lon[idx], closed.lat, closed.lon)
        ok = cost <= budget_km
        if not ok.any():
            break
        countries, nearest = _countries(idx[ok], cost[ok])
        out.append(Reach(ground_hours=ground, airports=int(ok.sum()), countries=countries, nearest=nearest))
    return out


def descent_radius_km(point: TrackPoint) -> float | None:
    """How far a descent under way at `point` can go: the usual 3 NM per 1,000 ft, half as much again
    for vectoring and holds, plus 20 NM. None when the aircraft was not descending."""
    if point.vertical_rate_fpm is None or point.vertical_rate_fpm > DESCENDING_FPM or point.altitude_ft is None:
        return None
    return point.altitude_ft / 1000.0 * KM_PER_1000_FT * 1.5 + 20 * 1.852


def descent_reach(point: TrackPoint) -> Reach | None:
    """Airports within the descent radius of `point`, not behind the aircraft."""
    radius = descent_radius_km(point)
    if radius is None:
        return None
    table = ap.airports(True)
    idx, km = ap.within(point.lat, point.lon, radius)
    if len(idx) and point.track is not None and not math.isnan(point.track):
        to_a = ap.bearing(point.lat, point.lon, table.lat[idx], table.lon[idx])
        off = np.abs((to_a - point.track + 180) % 360 - 180)
        keep = (off <= 90) | (km < 30)
        idx, km = idx[keep], km[keep]
    if len(idx) == 0:
        return Reach(ground_hours=0.0, airports=0, countries=[], nearest=[])
    countries, nearest = _countries(idx, km)
    return Reach(ground_hours=0.0, airports=len(idx), countries=countries, nearest=nearest)


def _where(p: TrackPoint) -> str:
    alt = "?" if p.altitude_ft is None else f"{p.altitude_ft:,.0f} ft"
    rate = p.vertical_rate_fpm
    motion = ("level" if rate is None or abs(rate) < 300 else
              f"climbing {rate:,.0f} ft/min" if rate > 0 else f"descending {-rate:,.0f} ft/min")
    return f"{p.lat:.2f}, {p.lon:.2f} at {alt}, {motion}, {p.time:%Y-%m-%d %H:%MZ}"


def _hours(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def in_flight(opened: TrackPoint, closed: TrackPoint) -> Gap:
    """A gap between two airborne fixes of one leg."""
    seconds = (closed.time - opened.time).total_seconds()
    speed = _speed_kt(opened, closed)
    envelope = reach_between(opened, closed, seconds, speed)
    direct = _km(opened, closed)
    if envelope:
        found = ", ".join(envelope[0].countries[:8])
        verdict = f"a landing fits in it ({envelope[0].airports} airports, in {found})"
    else:
        verdict = f"{direct:,.0f} km at {speed:.0f} kt fills it: no landing possible"
    return Gap(kind="in flight", opened=opened, closed=closed, seconds=seconds, landing_possible=bool(envelope),
               envelope=envelope, summary=f"{_hours(seconds)} without positions from {_where(opened)} "
                                          f"to {_where(closed)}; {verdict}")


def after_last_fix(opened: TrackPoint, closed: TrackPoint | None) -> Gap:
    """Coverage lost at the end of a leg: until the aircraft's next fix (`closed`), or for good."""
    descent = descent_reach(opened)
    parts = [f"coverage ended {_where(opened)}"]
    if descent is not None:
        parts.append(f"a descent from there ends within reach of {descent.airports} airports "
                     f"({', '.join(descent.countries) or 'none'})" if descent.airports else
                     "no airport in reach of that descent")
    if closed is None:
        parts.append("no later position of this aircraft")
        return Gap(kind="after last fix", opened=opened, descent_reach=descent, summary="; ".join(parts))
    seconds = (closed.time - opened.time).total_seconds()
    envelope = reach_between(opened, closed, seconds, _speed_kt(opened, closed))
    parts.append(f"next seen {_hours(seconds)} later at {_where(closed)}")
    if envelope:
        parts.append("; ".join(f"with {r.ground_hours:g} h on the ground, {r.airports} airports in "
                               f"{len(r.countries)} countries" for r in envelope))
    return Gap(kind="after last fix", opened=opened, closed=closed, seconds=seconds,
               landing_possible=bool(envelope) or descent is not None, descent_reach=descent,
               envelope=envelope, summary="; ".join(parts))
