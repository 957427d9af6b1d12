"""A day of positions → Flights: segmentation, airports with confidence, predicted destinations,
watchlist matches and removal scores. Flights still in the air at the end of the day are carried
into the next day's call, so a flight over midnight stays one flight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from removalwatch.domain import Flight, PredictedDestination
from removalwatch.flights import airports as ap
from removalwatch.flights.classify import is_third_country, removal_destinations, removal_score
from removalwatch.flights.nnumber import icao_to_n_number
from removalwatch.flights.segment import MAX_GAP_S, flight_starts, ground_state, segments, simplify
from removalwatch.flights.watchlist import Watchlist

LOW_FT = 1500.0  # a fix below this near an airport counts as the takeoff or landing


@dataclass
class Columns:
    icao: np.ndarray   # integer code of each position's aircraft
    names: np.ndarray  # code -> icao24
    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    alt: np.ndarray
    track: np.ndarray
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
            ground=ground_state(og, alt),
            leg=pc.fill_null(positions["leg_start"], False).to_numpy(zero_copy_only=False),
            **_codes(positions["callsign"]),
        )._take(order)

    def _take(self, order: np.ndarray | None) -> "Columns":
        if order is None:
            return self
        for name in ("icao", "t", "lat", "lon", "alt", "track", "ground", "leg", "callsign"):
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


def build_flights(positions: pa.Table, watchlist: Watchlist, *, carry: pa.Table | None = None,
                  day_end: dt.datetime | None = None, extra_third: frozenset[str] = frozenset(),
                  source: str = "adsb") -> tuple[list[Flight], pa.Table | None]:
    """Flights in `positions` (sorted by icao24, time). With `day_end`, flights still open at the end
    of the day are not returned but carried (returned as the second value) into the next call."""
    order = None
    if carry is not None and carry.num_rows:
        # The carried positions precede the day's in time: a stable sort on integer aircraft codes
        # puts each aircraft's rows together and keeps them in time order, far cheaper than a sort
        # on names and times. Segmentation needs aircraft contiguous, not alphabetical.
        positions = pa.concat_tables([carry, positions])
        codes = pc.dictionary_encode(positions["icao24"]).combine_chunks().indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
    if positions.num_rows == 0:
        return [], None
    c = Columns.of(positions, order)
    has_fix = ~np.isnan(c.lat) & ~np.isnan(c.lon)
    starts = flight_starts(c.icao, c.t, c.alt, c.ground, c.leg, np.where(has_fix, c.lat, 0), np.where(has_fix, c.lon, 0))
    spans = segments(starts, len(c.t))
    last_of_aircraft = {}
    for k, (s, e) in enumerate(spans):
        last_of_aircraft[c.icao[s]] = k
    end_s = day_end.timestamp() if day_end else None

    kept, carried = [], []
    for k, (s, e) in enumerate(spans):
        fixes = np.flatnonzero(has_fix[s:e]) + s
        airborne = fixes[~c.ground[fixes]]
        if len(airborne) < 2:
            continue
        landed = c.ground[airborne[-1] + 1:e].any() if airborne[-1] + 1 < e else False
        # still in the air at its last fix, and recently enough that the next day may continue it
        # (an ocean crossing can leave hours without a fix)
        if end_s is not None and last_of_aircraft[c.icao[s]] == k and not landed and c.t[e - 1] > end_s - MAX_GAP_S:
            carried.append((s, e))
            continue
        kept.append((s, e, fixes, airborne, landed))

    flights = _describe(c, kept, watchlist, extra_third, source)
    carry_table = None
    if carried:
        idx = np.concatenate([np.arange(s, e) for s, e in carried])
        carry_table = positions.take(pa.array(idx if order is None else order[idx]))
    return flights, carry_table


def _describe(c: Columns, kept, watchlist: Watchlist, extra_third: frozenset[str], source: str) -> list[Flight]:
    if not kept:
        return []
    first = np.array([air[0] for _, _, _, air, _ in kept])
    last = np.array([fixes[-1] if landed else air[-1] for _, _, fixes, air, landed in kept])
    takeoff = ap.nearest(c.lat[first], c.lon[first])
    landing = ap.nearest(c.lat[last], c.lon[last])
    table = ap.airports(False)
    country_of = dict(zip(table.icao, table.country))
    flights = []
    for j, (s, e, fixes, airborne, landed) in enumerate(kept):
        icao = str(c.names[c.icao[s]])
        callsign = _callsign(c, s, e)
        day = _time(c.t[s]).date()
        f_alt = np.nan_to_num(c.alt[first[j]], nan=0.0) - takeoff.elevation_ft[j]  # height above the field
        takeoff_seen = bool(takeoff.icao[j]) and (f_alt < LOW_FT or c.ground[max(s, first[j] - 1)])
        l_alt = np.nan_to_num(c.alt[last[j]], nan=1e9) - landing.elevation_ft[j]
        landing_seen = bool(landing.icao[j]) and (landed or l_alt < LOW_FT)
        t_conf = ap.confidence(takeoff.distance_km[j], f_alt, False) if takeoff_seen else 0.0
        l_conf = ap.confidence(landing.distance_km[j], l_alt, landed) if landing_seen else 0.0
        takeoff_airport = str(takeoff.icao[j]) if takeoff_seen else None
        landing_airport = str(landing.icao[j]) if landing_seen else None
        origin = country_of.get(takeoff_airport) if takeoff_airport else None
        predicted: list[PredictedDestination] = []
        destination = country_of.get(landing_airport) if landing_airport else None
        if not landing_seen:
            a = airborne[-1]
            heading = c.track[a] if not np.isnan(c.track[a]) else _bearing(c, airborne)
            recent = airborne[-min(len(airborne), 6):]
            descending = bool(np.nan_to_num(c.alt[recent[0]] - c.alt[recent[-1]], nan=0) > 500)
            if heading is not None:
                predicted = [PredictedDestination(airport=p.icao, country=p.country, score=round(p.score, 3))
                             for p in ap.predict_destination(c.lat[a], c.lon[a], float(heading),
                                                             altitude_ft=float(np.nan_to_num(c.alt[a], nan=0)),
                                                             descending=descending, preferred=removal_destinations())]
                destination = predicted[0].country if predicted else None
        watch = watchlist.match(icao, callsign, day)
        score, reasons = removal_score(watch, takeoff_airport, origin, destination)
        if not landing_seen and predicted:
            reasons.append(f"landing not observed; heading for {predicted[0].airport} ({predicted[0].country})")
        entry = watchlist.aircraft.get(icao)
        flights.append(Flight(
            icao24=icao, callsign=callsign,
            registration=(entry.registration if entry else None) or icao_to_n_number(icao),
            operator=watchlist.operator(icao, callsign),
            first_seen=_time(c.t[s]), last_seen=_time(c.t[e - 1]),
            takeoff_airport=takeoff_airport, takeoff_time=_time(c.t[airborne[0]]) if takeoff_seen else None,
            landing_airport=landing_airport, landing_time=_time(c.t[last[j]]) if landing_seen else None,
            landing_observed=bool(landing_seen),
            airport_confidence=round(min(x for x in (t_conf, l_conf) if x) if (t_conf or l_conf) else 0.0, 3),
            origin_country=origin, destination_country=destination, predicted=predicted,
            removal_score=round(score, 3), reasons=reasons,
            third_country=is_third_country(destination, score, extra_third),
            positions=int(e - s), track=simplify(c.t[fixes], c.lat[fixes], c.lon[fixes], c.alt[fixes]),
            source=source,
        ))
    return flights


def _bearing(c: Columns, airborne: np.ndarray) -> float | None:
    if len(airborne) < 2:
        return None
    a, b = airborne[-2], airborne[-1]
    phi1, phi2 = np.radians(c.lat[a]), np.radians(c.lat[b])
    dlam = np.radians(c.lon[b] - c.lon[a])
    return float(np.degrees(np.arctan2(np.sin(dlam) * np.cos(phi2),
                                       np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlam))) % 360)
