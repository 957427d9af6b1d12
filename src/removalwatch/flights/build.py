"""A day of positions → legs (Flights): segmentation, takeoff and landing airports with how they are
known, predicted destinations, gaps; and sightings of watched aircraft where no leg can be built.
Legs still in the air at the end of the day are carried into the next day's call, so a leg over
midnight stays one leg. Missions, roles and removal scores come later (missions.py), once the
aircraft's neighbouring legs are known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from typing import NamedTuple

from removalwatch.domain import Flight, Gap, PredictedDestination, Sighting, TrackPoint
from removalwatch.flights import airports as ap
from removalwatch.flights import ends, gaps
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
    callsign: np.ndarray       # integer code of each position's callsign, -1 for none
    callsign_names: np.ndarray

    @classmethod
    def of(cls, positions: pa.Table, order: np.ndarray | None = None) -> "Columns":
        """Columns of `positions`, rows taken in `order` when given (cheaper than reordering the table)."""
        def num(name):
            return positions[name].to_numpy(zero_copy_only=False).astype(float)
        on_ground = positions["on_ground"]
        og = np.where(pc.is_null(on_ground).to_numpy(zero_copy_only=False), -1,
                      pc.fill_null(on_ground, False).to_numpy(zero_copy_only=False).astype(np.int8))
        alt = num("altitude_ft")
        # integer codes compare and slice far faster than strings; the dictionary maps them back
        icao = pc.dictionary_encode(positions["icao24"]).combine_chunks()
        return cls(
            icao=icao.indices.to_numpy(zero_copy_only=False), names=icao.dictionary.to_numpy(zero_copy_only=False),
            t=positions["time"].cast(pa.int64()).to_numpy() / 1000.0,
            lat=num("lat"), lon=num("lon"), alt=alt, track=num("track"),
            speed=num("ground_speed_kt"), vrate=num("vertical_rate_fpm"), ground=ground_state(og, alt),
            leg=pc.fill_null(positions["leg_start"], False).to_numpy(zero_copy_only=False),
            **_codes(positions["callsign"]),
        )._take(order)

    def _take(self, order: np.ndarray | None) -> "Columns":
        if order is None:
            return self
        for name in ("icao", "t", "lat", "lon", "alt", "track", "speed", "vrate", "ground", "leg", "callsign"):
            setattr(self, name, getattr(self, name)[order])
        return self


def _codes(column) -> dict:
    encoded = pc.dictionary_encode(column).combine_chunks()
    return {"callsign": pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64),
            "callsign_names": encoded.dictionary.to_numpy(zero_copy_only=False)}


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def _callsign(c: "Columns", s: int, e: int) -> str | None:
    """The callsign heard most often during the flight."""
    codes = c.callsign[s:e]
    codes = codes[codes >= 0]
    return str(c.callsign_names[np.bincount(codes).argmax()]) or None if len(codes) else None


class Built(NamedTuple):
    flights: list[Flight]
    carry: pa.Table | None      # positions of legs still open at the end of the day
    sightings: list[Sighting]   # watched aircraft seen where no leg could be built


def build_flights(positions: pa.Table, watchlist: Watchlist, *, carry: pa.Table | None = None,
                  day_end: dt.datetime | None = None, source: str = "adsb") -> Built:
    """Legs in `positions` (sorted by icao24, time). With `day_end`, legs still open at the end of
    the day are not returned but carried into the next call."""
    order = None
    if carry is not None and carry.num_rows:
        # The carried positions precede the day's in time: a stable sort on integer aircraft codes
        # puts each aircraft's rows together and keeps them in time order, far cheaper than a sort
        # on names and times. Segmentation needs aircraft contiguous, not alphabetical.
        positions = pa.concat_tables([carry, positions])
        codes = pc.dictionary_encode(positions["icao24"]).combine_chunks().indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
    if positions.num_rows == 0:
        return Built([], None, [])
    c = Columns.of(positions, order)
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
    carry_table = None
    if carried:
        idx = np.concatenate([np.arange(s, e) for s, e in carried])
        carry_table = positions.take(pa.array(idx if order is None else order[idx]))
    return Built(flights, carry_table, _sightings(c, unflown, watchlist, source))


def _sightings(c: Columns, unflown: list[np.ndarray], watchlist: Watchlist, source: str) -> list[Sighting]:
    """Watched aircraft in segments too short for a leg (a fix or two, or only on the ground), one
    sighting per place: consecutive segments at the same field merge."""
    out: list[Sighting] = []
    for fixes in unflown:
        icao = str(c.names[c.icao[fixes[0]]])
        callsign = _callsign(c, fixes[0], fixes[-1] + 1)
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
    flights = []
    for j, (s, e, fixes, airborne, landed) in enumerate(kept):
        icao = str(c.names[c.icao[s]])
        callsign = _callsign(c, s, e)
        a, z = int(first[j]), int(last[j])
        takeoff = ends.takeoff(_fix(c, a), _near(near_first, j), on_ground_before=bool(c.ground[max(s, a - 1)]),
                               climb_fpm=_climb(c, a, airborne, forward=True))
        landing = ends.landing(_fix(c, z), _near(near_last, j), landed=bool(landed),
                               climb_fpm=_climb(c, z, airborne, forward=False))
        predicted: list[PredictedDestination] = []
        landing_basis, landing_evidence = landing.basis, landing.evidence
        if landing.basis is None:
            predicted, landing_evidence = _prediction(c, airborne)
            landing_basis = "predicted" if predicted else None
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
    return TrackPoint(time=_time(c.t[i]), lat=round(float(c.lat[i]), 5), lon=round(float(c.lon[i]), 5),
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


def _prediction(c: Columns, airborne: np.ndarray) -> tuple[list[PredictedDestination], str | None]:
    a = airborne[-1]
    heading = c.track[a] if not np.isnan(c.track[a]) else _bearing(c, airborne)
    if heading is None:
        return [], None
    recent = airborne[-min(len(airborne), 6):]
    descending = bool(np.nan_to_num(c.alt[recent[0]] - c.alt[recent[-1]], nan=0) > 500) or c.vrate[a] < -500
    found = ap.predict_destination(c.lat[a], c.lon[a], float(heading), altitude_ft=float(np.nan_to_num(c.alt[a], nan=0)),
                                   descending=descending, preferred=removal_destinations())
    predicted = [PredictedDestination(airport=p.icao, country=p.country, score=round(p.score, 3)) for p in found]
    if not predicted:
        return [], None
    best = found[0]
    motion = "descending" if descending else "at"
    altitude = "?" if np.isnan(c.alt[a]) else f"{c.alt[a]:,.0f} ft"
    return predicted, (f"landing not observed: coverage ended {motion} {altitude} on course {heading:.0f}°, "
                       f"{best.distance_km:,.0f} km short of {best.icao} ({best.country}); predicted from the course")


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
