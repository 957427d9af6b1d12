"""A day of positions → legs (Flights): segmentation, takeoff and landing airports with how they are
known, predicted destinations, gaps; and sightings of watched aircraft where no leg can be built.
Legs still in the air at the end of the day are carried into the next day's call, so a leg over
midnight stays one leg. Missions, roles and removal scores come later (missions.py), once the
aircraft's neighbouring legs are known."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from typing import NamedTuple

from removalwatch.domain import Flight, Gap, PredictedDestination, Sighting, TrackPoint
from removalwatch.flights import airports as ap
from removalwatch.flights import ends, gaps
from removalwatch.flights.collector import collector_paused
from removalwatch.flights.classify import removal_destinations
from removalwatch.flights.nnumber import icao_to_n_number
from removalwatch.flights.segment import MAX_GAP_S, flight_starts, ground_state, segments, simplify
from removalwatch.flights.watchlist import Watchlist

SIGHTING_KM = 5.0          # a sighting on the ground or low this near a field is "at" it
SIGHTING_LOW_FT = 3000.0


@dataclass
class Columns:
    icao: np.ndarray   # integer code of each position's aircraft
    names: np.ndarray  # code -> icao24
    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    alt: np.ndarray
    track: np.ndarray
    speed: np.ndarray
    vrate: np.ndarray
    ground: np.ndarray
    leg: np.ndarray
    callsigns: pa.ChunkedArray        # read for a few rows of each leg only: decoding every one is costly
    order: np.ndarray | None          # row i of these columns is row order[i] of `callsigns`

    @classmethod
    def of(cls, positions: pa.Table, icao: pa.DictionaryArray, order: np.ndarray | None = None) -> "Columns":
        """Columns of `positions`, rows taken in `order` when given (cheaper than reordering the table)."""
        def num(name):
            # in the schema's own type: float32 holds altitudes, speeds and rates well enough
            values = positions[name].to_numpy(zero_copy_only=False)
            return values if order is None else values[order]
        on_ground = positions["on_ground"]
        og = np.where(pc.is_null(on_ground).to_numpy(zero_copy_only=False), -1,
                      pc.fill_null(on_ground, False).to_numpy(zero_copy_only=False).astype(np.int8))
        alt = num("altitude_ft")
        codes = icao.indices.to_numpy(zero_copy_only=False)
        leg = pc.fill_null(positions["leg_start"], False).to_numpy(zero_copy_only=False)
        t = positions["time"].cast(pa.int64()).to_numpy() / 1000.0
        if order is not None:
            codes, og, leg, t = codes[order], og[order], leg[order], t[order]
        return cls(icao=codes, names=icao.dictionary.to_numpy(zero_copy_only=False), t=t,
                   lat=num("lat"), lon=num("lon"), alt=alt, track=num("track"), speed=num("ground_speed_kt"),
                   vrate=num("vertical_rate_fpm"), ground=ground_state(og, alt), leg=leg,
                   callsigns=positions["callsign"], order=order)

    def callsigns_at(self, rows: np.ndarray) -> list[str | None]:
        taken = self.callsigns.take(pa.array(rows if self.order is None else self.order[rows]))
        return taken.to_pylist()


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


SAMPLES = 9  # a leg's callsign is the one heard most often at this many points spread over it


def _callsigns(c: Columns, spans: list[tuple[int, int]]) -> list[str | None]:
    """The callsign heard most often in each span of rows, from a few rows spread over it."""
    if not spans:
        return []
    rows = np.concatenate([np.linspace(s, e - 1, SAMPLES).round().astype(np.int64) for s, e in spans])
    heard = c.callsigns_at(rows)
    out = []
    for k in range(len(spans)):
        names = [x for x in heard[k * SAMPLES:(k + 1) * SAMPLES] if x]
        out.append(Counter(names).most_common(1)[0][0] if names else None)
    return out


class Built(NamedTuple):
    flights: list[Flight]
    carry: pa.Table | None      # positions of legs still open at the end of the day
    sightings: list[Sighting]   # watched aircraft seen where no leg could be built


def build_flights(positions: pa.Table, watchlist: Watchlist, *, carry: pa.Table | None = None,
                  day_end: dt.datetime | None = None, source: str = "adsb") -> Built:
    """Legs in `positions` (sorted by icao24, time). With `day_end`, legs still open at the end of
    the day are not returned but carried into the next call."""
    with collector_paused():
        return _build(positions, watchlist, carry, day_end, source)


def _build(positions: pa.Table, watchlist: Watchlist, carry: pa.Table | None, day_end: dt.datetime | None,
           source: str) -> Built:
    order = None
    if carry is not None and carry.num_rows:
        positions = pa.concat_tables([carry, positions])
    if positions.num_rows == 0:
        return Built([], None, [])
    # integer codes compare and slice far faster than strings; the dictionary maps them back
    icao = pc.dictionary_encode(positions["icao24"]).combine_chunks()
    if carry is not None and carry.num_rows:
        # The carried positions precede the day's in time: a stable sort on integer aircraft codes
        # puts each aircraft's rows together and keeps them in time order, far cheaper than a sort
        # on names and times. Segmentation needs aircraft contiguous, not alphabetical.
        order = np.argsort(icao.indices.to_numpy(zero_copy_only=False), kind="stable")
    c = Columns.of(positions, icao, order)
    has_fix = ~np.isnan(c.lat) & ~np.isnan(c.lon)
    starts = flight_starts(c.icao, c.t, c.alt, c.ground, c.leg, np.where(has_fix, c.lat, 0), np.where(has_fix, c.lon, 0))
    spans = segments(starts, len(c.t))
    last_of_aircraft = {}
    for k, (s, e) in enumerate(spans):
        last_of_aircraft[c.icao[s]] = k
    end_s = day_end.timestamp() if day_end else None

    kept, carried, unflown = [], [], []
    for k, (s, e) in enumerate(spans):
        fixes = np.flatnonzero(has_fix[s:e]) + s
        airborne = fixes[~c.ground[fixes]]
        if len(airborne) < 2:
            if len(fixes):
                unflown.append(fixes)
            continue
        landed = c.ground[airborne[-1] + 1:e].any() if airborne[-1] + 1 < e else False
        # still in the air at its last fix, and recently enough that the next day may continue it
        # (an ocean crossing can leave hours without a fix)
        if end_s is not None and last_of_aircraft[c.icao[s]] == k and not landed and c.t[e - 1] > end_s - MAX_GAP_S:
            carried.append((s, e))
            continue
        kept.append((s, e, fixes, airborne, landed))

    flights = _describe(c, kept, watchlist, source)
    return Built(flights, _carry(positions, order, carried), _sightings(c, unflown, watchlist, source))


def _carry(positions: pa.Table, order: np.ndarray | None, carried: list[tuple[int, int]]) -> pa.Table | None:
    """The rows of the legs still open, as zero-copy slices of `positions`: an aircraft's rows are at
    most two runs there (what was carried in, and the day's), so no row is copied."""
    if not carried:
        return None
    idx = np.concatenate([np.arange(s, e) for s, e in carried])
    rows = idx if order is None else order[idx]
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(rows)]])
    return pa.concat_tables([positions.slice(int(rows[a]), int(b - a)) for a, b in zip(starts, ends)])


def _sightings(c: Columns, unflown: list[np.ndarray], watchlist: Watchlist, source: str) -> list[Sighting]:
    """Watched aircraft in segments too short for a leg (a fix or two, or only on the ground), one
    sighting per place: consecutive segments at the same field merge."""
    out: list[Sighting] = []
    heard = c.callsigns_at(np.array([fixes[-1] for fixes in unflown], dtype=np.int64)) if unflown else []
    for fixes, callsign in zip(unflown, heard):
        icao = str(c.names[c.icao[fixes[0]]])
        callsign = callsign or None
        day = _time(c.t[fixes[0]]).date()
        if not watchlist.match(icao, callsign, day):
            continue
        i = fixes[-1]
        on_ground = bool(c.ground[fixes].all())
        near = ap.nearest(c.lat[i:i + 1], c.lon[i:i + 1], max_km=SIGHTING_KM)
        low = on_ground or np.nan_to_num(c.alt[i], nan=1e9) - near.elevation_ft[0] < SIGHTING_LOW_FT
        airport = str(near.icao[0]) if near.icao[0] and low else None
        previous = out[-1] if out else None
        if previous and previous.icao24 == icao and airport and previous.airport == airport \
                and previous.on_ground == on_ground:
            out[-1] = previous.model_copy(update={"last_seen": _time(c.t[i]),
                                                  "positions": previous.positions + len(fixes)})
            continue
        entry = watchlist.entry(icao, day)
        out.append(Sighting(icao24=icao, registration=(entry.registration if entry else None) or icao_to_n_number(icao),
                            callsign=callsign, first_seen=_time(c.t[fixes[0]]), last_seen=_time(c.t[i]),
                            positions=len(fixes), lat=round(float(c.lat[i]), 5), lon=round(float(c.lon[i]), 5),
                            altitude_ft=_num(c.alt[i]), on_ground=on_ground, airport=airport, source=source))
    return out


def _describe(c: Columns, kept, watchlist: Watchlist, source: str) -> list[Flight]:
    if not kept:
        return []
    first = np.array([air[0] for _, _, _, air, _ in kept])
    last = np.array([fixes[-1] if landed else air[-1] for _, _, fixes, air, landed in kept])
    near_first = ap.nearest(c.lat[first], c.lon[first], max_km=ends.OBSERVED_KM)
    near_last = ap.nearest(c.lat[last], c.lon[last], max_km=ends.OBSERVED_KM)
    found = []
    for j, (s, e, fixes, airborne, landed) in enumerate(kept):
        a, z = int(first[j]), int(last[j])
        takeoff = ends.takeoff(_fix(c, a), _near(near_first, j), on_ground_before=bool(c.ground[max(s, a - 1)]),
                               climb_fpm=_climb(c, a, airborne, forward=True))
        landing = ends.landing(_fix(c, z), _near(near_last, j), landed=bool(landed),
                               climb_fpm=_climb(c, z, airborne, forward=False))
        found.append((takeoff, landing))
    # one batch for every leg whose landing was not seen: the airports ahead on its course
    unseen = [j for j, (_, landing) in enumerate(found) if landing.basis is None]
    predictions = dict(zip(unseen, _predictions(c, [kept[j][3] for j in unseen])))
    flights = []
    callsigns = _callsigns(c, [(s, e) for s, e, *_ in kept])
    for j, (s, e, fixes, airborne, landed) in enumerate(kept):
        icao = str(c.names[c.icao[s]])
        callsign = callsigns[j]
        a, z = int(first[j]), int(last[j])
        takeoff, landing = found[j]
        predicted, landing_evidence = predictions.get(j, ([], landing.evidence))
        landing_basis = landing.basis or ("predicted" if predicted else None)
        takeoff_time = _time(c.t[airborne[0]]) if takeoff.airport else None
        entry = watchlist.entry(icao, takeoff_time.date() if takeoff_time else _time(c.t[s]).date())
        flights.append(Flight(
            icao24=icao, callsign=callsign,
            registration=(entry.registration if entry else None) or icao_to_n_number(icao),
            operator=watchlist.operator(icao, callsign, _time(c.t[s]).date()),
            first_seen=_time(c.t[s]), last_seen=_time(c.t[e - 1]),
            local_day=ap.local_day(takeoff.airport, takeoff_time or _time(c.t[s])),
            takeoff_airport=takeoff.airport, takeoff_time=takeoff_time, takeoff_basis=takeoff.basis,
            takeoff_confidence=takeoff.confidence, takeoff_evidence=takeoff.evidence,
            landing_airport=landing.airport, landing_time=_time(c.t[z]) if landing.airport else None,
            landing_basis=landing_basis, landing_confidence=landing.confidence, landing_evidence=landing_evidence,
            landing_observed=landing.basis == "observed",
            origin_country=ap.country(takeoff.airport),
            destination_country=ap.country(landing.airport) if landing.airport else
            (predicted[0].country if predicted else None),
            predicted=predicted, first_fix=_point(c, a), last_fix=_point(c, airborne[-1]), gaps=_gaps(c, fixes),
            positions=int(e - s), track=simplify(c.t[fixes], c.lat[fixes], c.lon[fixes], c.alt[fixes]),
            source=source, leg_key=f"{icao}|{_time(c.t[s]).isoformat()}",
        ))
    return flights


def _near(near: ap.Nearest, j: int) -> ends.Near:
    return ends.Near(str(near.icao[j]), float(near.distance_km[j]), float(near.elevation_ft[j]))


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _fix(c: Columns, i: int) -> ends.Fix:
    return ends.Fix(float(c.lat[i]), float(c.lon[i]), _num(c.alt[i]), _num(c.track[i]))


def _point(c: Columns, i: int) -> TrackPoint:
    # built from checked positions: construct without validating again (thousands per day)
    return TrackPoint.model_construct(time=_time(c.t[i]), lat=round(float(c.lat[i]), 5), lon=round(float(c.lon[i]), 5),
                      altitude_ft=_num(c.alt[i]), vertical_rate_fpm=_num(c.vrate[i]),
                      ground_speed_kt=_num(c.speed[i]), track=_num(c.track[i]))


def _climb(c: Columns, i: int, airborne: np.ndarray, *, forward: bool) -> float | None:
    """Vertical rate at fix `i` in ft/min: the feed's, else from the altitudes of the next (or the
    previous) fixes within five minutes."""
    if not np.isnan(c.vrate[i]):
        return float(c.vrate[i])
    k = int(np.searchsorted(airborne, i))
    others = airborne[k + 1:k + 4] if forward else airborne[max(0, k - 3):k]
    others = others[np.abs(c.t[others] - c.t[i]) <= 300]
    if len(others) == 0 or np.isnan(c.alt[i]):
        return None
    j = others[-1] if forward else others[0]
    if np.isnan(c.alt[j]) or c.t[j] == c.t[i]:
        return None
    return float((c.alt[j] - c.alt[i]) / (c.t[j] - c.t[i]) * 60) * (1 if forward else -1)


def _predictions(c: Columns, legs: list[np.ndarray]) -> list[tuple[list[PredictedDestination], str | None]]:
    """For each leg (its airborne fixes) whose landing was not seen: ranked destinations from its last
    course, and the evidence in words."""
    last = np.array([air[-1] for air in legs], dtype=int)
    headings = np.array([c.track[a] if not np.isnan(c.track[a]) else (_bearing(c, air) or np.nan)
                         for a, air in zip(last, legs)])
    descending = np.array([bool(np.nan_to_num(c.alt[air[-min(len(air), 6)]] - c.alt[air[-1]], nan=0) > 500)
                           or c.vrate[air[-1]] < -500 for air in legs], dtype=bool)
    known = ~np.isnan(headings)
    found = ap.predict_destinations(c.lat[last[known]], c.lon[last[known]], headings[known],
                                    np.nan_to_num(c.alt[last[known]], nan=0), descending[known],
                                    removal_destinations()) if known.any() else []
    ranked = iter(found)
    out = []
    for a, heading, down, ok in zip(last, headings, descending, known):
        candidates = next(ranked) if ok else []
        if not candidates:
            out.append(([], None))
            continue
        best = candidates[0]
        altitude = "?" if np.isnan(c.alt[a]) else f"{c.alt[a]:,.0f} ft"
        out.append(([PredictedDestination.model_construct(airport=p.icao, country=p.country, score=round(p.score, 3))
                     for p in candidates],
                    f"landing not observed: coverage ended {'descending' if down else 'at'} {altitude} on course "
                    f"{heading:.0f}°, {best.distance_km:,.0f} km short of {best.icao} ({best.country}); "
                    f"predicted from the course"))
    return out


def _gaps(c: Columns, fixes: np.ndarray) -> list[Gap]:
    """Gaps of more than REPORT_S between airborne fixes of the leg."""
    if len(fixes) < 2:
        return []
    dt_s = np.diff(c.t[fixes])
    at = np.flatnonzero(dt_s > gaps.REPORT_S)
    return [gaps.in_flight(_point(c, fixes[k]), _point(c, fixes[k + 1])) for k in at
            if not c.ground[fixes[k]] and not c.ground[fixes[k + 1]]]
def _bearing(c: Columns, airborne: np.ndarray) -> float | None:
    if len(airborne) < 2:
        return None
    a, b = airborne[-2], airborne[-1]
    phi1, phi2 = np.radians(c.lat[a]), np.radians(c.lat[b])
    dlam = np.radians(c.lon[b] - c.lon[a])
    return float(np.degrees(np.arctan2(np.sin(dlam) * np.cos(phi2),
                                       np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlam))) % 360)
