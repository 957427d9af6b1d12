"""Positions → flights: where one flight ends and the next begins. Pure numpy, no I/O.

A new flight starts where the aircraft changes, where the feed marks a new leg, at a takeoff
(ground → air), and at a gap in the data that the aircraft cannot have spent flying on: longer
than GAP_S with a low altitude on either side, or so slow across the gap that it must have
stopped. A long gap at cruise altitude (an ocean with no receivers) does not split a flight.
"""

from __future__ import annotations

import numpy as np

GAP_S = 600.0            # shorter gaps never split a flight
MAX_GAP_S = 12 * 3600.0  # longer gaps always do
LOW_FT = 5000.0          # below this on either side of a gap, the aircraft may have landed
STOPPED_KT = 150.0       # slower than this across a gap: it stopped somewhere


def ground_state(on_ground: np.ndarray, altitude_ft: np.ndarray) -> np.ndarray:
    """On the ground where the feed says so; where it says nothing, an altitude at or below 0 ft."""
    known = on_ground >= 0
    return np.where(known, on_ground == 1, np.nan_to_num(altitude_ft, nan=1e9) <= 0)


def flight_starts(aircraft: np.ndarray, t: np.ndarray, altitude_ft: np.ndarray, ground: np.ndarray,
                  leg_start: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Indices where a flight starts, for positions sorted by aircraft then time."""
    n = len(t)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.zeros(n, dtype=bool)
    start[0] = True
    start[1:] = aircraft[1:] != aircraft[:-1]
    start |= leg_start
    start[1:] |= ground[:-1] & ~ground[1:]                      # takeoff
    gap = np.zeros(n)
    gap[1:] = t[1:] - t[:-1]
    long_gap = gap > GAP_S
    if long_gap.any():
        i = np.flatnonzero(long_gap)
        i = i[i > 0]
        low = (np.nan_to_num(altitude_ft[i - 1], nan=0) < LOW_FT) | (np.nan_to_num(altitude_ft[i], nan=0) < LOW_FT)
        low |= ground[i - 1] | ground[i]
        from removalwatch.flights.positions import great_circle_nm
        speed = great_circle_nm(lat[i - 1], lon[i - 1], lat[i], lon[i]) / (gap[i] / 3600.0)
        speed = np.nan_to_num(speed, nan=0.0)
        split = low | (speed < STOPPED_KT) | (gap[i] > MAX_GAP_S)
        start[i[split]] = True
    return np.flatnonzero(start)


def segments(starts: np.ndarray, n: int) -> list[tuple[int, int]]:
    ends = np.append(starts[1:], n)
    return list(zip(starts.tolist(), ends.tolist()))


def simplify(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, alt: np.ndarray, max_points: int = 120) -> list:
    """A track of at most `max_points` points for display: evenly spaced in time, ends kept."""
    n = len(t)
    if n <= max_points:
        idx = np.arange(n)
    else:  # strictly increasing: the spacing is at least one point
        idx = np.linspace(0, n - 1, max_points).round().astype(int)
    points = np.column_stack([t[idx], np.round(lat[idx], 5), np.round(lon[idx], 5), alt[idx]]).tolist()
    if np.isnan(alt[idx]).any():  # JSON has no NaN: an unknown altitude is None
        for p in points:
            if p[3] != p[3]:
                p[3] = None
    return points
