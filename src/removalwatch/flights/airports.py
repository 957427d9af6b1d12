"""Airports from `airportsdata`, nearest-airport search, and destination prediction from a course."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import airportsdata
import numpy as np
from scipy.spatial import cKDTree
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARTH_KM = 6371.0


@dataclass(frozen=True, eq=False)
class AirportTable:
    icao: np.ndarray
    iata: np.ndarray
    elevation_ft: np.ndarray
    name: np.ndarray
    country: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    tree: cKDTree

    @functools.cached_property
    def radians(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        phi, lam = np.radians(self.lat), np.radians(self.lon)
        return phi, lam, np.sin(phi), np.cos(phi)


def _unit(lat, lon):
    lat, lon = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


@functools.lru_cache(maxsize=2)
def airports(major_only: bool = True) -> AirportTable:
    """Airports with an ICAO code; `major_only` keeps those with an IATA code too (airline and
    military fields that handle charters), so a heliport beside a runway does not win."""
    rows = [a for a in _by_icao().values()
            if a["lat"] is not None and (a["iata"] or not major_only) and len(a["icao"]) == 4]
    lat = np.array([a["lat"] for a in rows], dtype=float)
    lon = np.array([a["lon"] for a in rows], dtype=float)
    return AirportTable(np.array([a["icao"] for a in rows]), np.array([a["iata"] or "" for a in rows]),
                        np.array([float(a["elevation"] or 0) for a in rows]),
                        np.array([a["name"] for a in rows]), np.array([a["country"] for a in rows]),
                        lat, lon, cKDTree(_unit(lat, lon)))


@functools.lru_cache(maxsize=1)
def _by_icao() -> dict[str, dict]:
    return airportsdata.load("ICAO")  # ~0.1 s: load once


def lookup(icao: str) -> dict | None:
    return _by_icao().get(icao.upper())


@functools.lru_cache(maxsize=1)
def _by_iata() -> dict[str, dict]:
    return {a["iata"]: a for a in _by_icao().values() if a["iata"]}


def resolve(code: str) -> dict | None:
    """An airport by its ICAO code, or by its IATA code when that is all a table gives."""
    code = code.strip().upper()
    return _by_icao().get(code) or (_by_iata().get(code) if len(code) == 3 else None)


# US territories: a flight from the US to one of them does not leave the US.
US_TERRITORIES = frozenset({"PR", "VI", "GU", "MP", "AS", "UM"})


def country(icao: str | None) -> str | None:
    """The airport's country; US territories count as the US."""
    airport = _by_icao().get(icao) if icao else None
    if airport is None:
        return None
    return "US" if airport["country"] in US_TERRITORIES else airport["country"]


@functools.lru_cache(maxsize=None)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def local_day(icao: str | None, when: dt.datetime) -> dt.date:
    """The date at `icao` (its time zone) at the moment `when`; the UTC date when the zone is unknown."""
    airport = _by_icao().get(icao) if icao else None
    zone = _zone(airport["tz"]) if airport and airport.get("tz") else dt.timezone.utc
    return when.astimezone(zone).date()


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (scalars or numpy arrays)."""
    p1, l1, p2, l2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def bearing(lat1, lon1, lat2, lon2):
    """Initial great-circle course from the first point to the second, degrees from north."""
    p1, l1, p2, l2 = map(np.radians, (lat1, lon1, lat2, lon2))
    y = np.sin(l2 - l1) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(l2 - l1)
    return np.degrees(np.arctan2(y, x)) % 360


def within(lat: float, lon: float, radius_km: float, major_only: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Indices into `airports(major_only)` of the airports within `radius_km`, and their distances."""
    table = airports(major_only)
    chord = 2 * np.sin(min(radius_km, np.pi * EARTH_KM) / (2 * EARTH_KM))
    idx = np.array(table.tree.query_ball_point(_unit(np.array([lat]), np.array([lon]))[0], chord), dtype=int)
    if len(idx) == 0:
        return idx, np.zeros(0)
    return idx, distance_km(lat, lon, table.lat[idx], table.lon[idx])


@dataclass(frozen=True)
class Nearest:
    icao: np.ndarray      # "" where nothing is within reach
    distance_km: np.ndarray
    elevation_ft: np.ndarray


def nearest(lat: np.ndarray, lon: np.ndarray, max_km: float = 15.0) -> Nearest:
    """The nearest airport to each point (vectorised), preferring major airports unless a
    smaller field is much closer."""
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    points = _unit(lat, lon)
    out_icao = np.full(len(lat), "", dtype=object)
    out_km = np.full(len(lat), np.inf)
    out_elev = np.zeros(len(lat))
    if len(lat) == 0:
        return Nearest(out_icao, out_km, out_elev)
    for table, factor in ((airports(True), 1.0), (airports(False), 3.0)):
        chord, idx = table.tree.query(points)
        km = 2 * EARTH_KM * np.arcsin(np.clip(chord / 2, 0, 1))
        # a minor field must be three times closer than the major airport to win
        better = (km * factor < out_km) & (km <= max_km)
        out_icao[better] = table.icao[idx[better]]
        out_km[better] = km[better] * factor
        out_elev[better] = table.elevation_ft[idx[better]]
    out_km[out_icao == ""] = np.nan
    with np.errstate(invalid="ignore"):
        out_km = np.where(out_icao != "", out_km, np.nan)
    return Nearest(out_icao, out_km, out_elev)


@dataclass(frozen=True)
class Candidate:
    icao: str
    country: str
    distance_km: float
    off_course_deg: float
    score: float


def predict_destination(lat: float, lon: float, track: float, *, altitude_ft: float | None = None,
                        descending: bool = False, preferred: frozenset[str] = frozenset(), limit: int = 5
                        ) -> list[Candidate]:
    """Airports ahead of one aircraft on its great-circle course, best first (see predict_destinations)."""
    return predict_destinations(np.array([lat]), np.array([lon]), np.array([track]),
                                np.array([altitude_ft or 0.0]), np.array([descending]), preferred, limit=limit)[0]


def predict_destinations(lat: np.ndarray, lon: np.ndarray, track: np.ndarray, altitude_ft: np.ndarray,
                         descending: np.ndarray, preferred: frozenset[str] = frozenset(), *, max_km: float = 9000.0,
                         max_off_course: float = 12.0, limit: int = 5) -> list[list[Candidate]]:
    """For each aircraft, the airports ahead on its great-circle course, best first. Close to the
    course line scores high; a descending aircraft is near its destination (about 3 NM per 1,000 ft);
    airports in `preferred` countries (where removal flights go) get a bonus. Vectorised over
    aircraft and airports together, a few hundred aircraft at a time."""
    table = airports(True)
    phi2, lam2, sin2, cos2 = table.radians
    bonus = _preferred_bonus(table, preferred)
    out: list[list[Candidate]] = []
    for k in range(0, len(lat), 256):
        phi1 = np.radians(lat[k:k + 256])[:, None]
        dlam = lam2[None, :] - np.radians(lon[k:k + 256])[:, None]
        bearing = np.degrees(np.arctan2(np.sin(dlam) * cos2, np.cos(phi1) * sin2 - np.sin(phi1) * cos2 * np.cos(dlam))) % 360
        a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * cos2 * np.sin(dlam / 2) ** 2
        dist = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        off = np.abs((bearing - track[k:k + 256, None] + 180) % 360 - 180)
        ok = (off <= max_off_course) & (dist <= max_km) & (dist >= 50)
        for row in range(ok.shape[0]):
            idx = np.flatnonzero(ok[row])
            if len(idx) == 0:
                out.append([])
                continue
            d, o = dist[row, idx], off[row, idx]
            score = np.exp(-np.abs(d * np.sin(np.radians(o))) / 150.0)
            alt = altitude_ft[k + row]
            if descending[k + row] and alt:
                expected = max(30.0, alt / 1000.0 * 3 * 1.852)
                score *= np.exp(-np.abs(d - expected) / max(40.0, expected / 2))
            score = np.minimum(1.0, score * bonus[idx])
            top = np.argsort(-score)[:limit]
            out.append([Candidate(str(table.icao[i]), "US" if table.country[i] in US_TERRITORIES else str(table.country[i]),
                                  float(dd), float(oo), float(ss))
                        for i, dd, oo, ss in zip(idx[top], d[top], o[top], score[top])])
    return out


def _preferred_bonus(table: AirportTable, preferred: frozenset[str]) -> np.ndarray:
    return np.where(np.isin(table.country, list(preferred)), 1.25, 1.0) if preferred else np.ones(len(table.icao))


@functools.lru_cache(maxsize=1)
def staging_airports() -> dict[str, str]:
    """ICAO code → name of the US airports ICE Air stages removal flights from (data file with sources)."""
    with resources.files("removalwatch.data").joinpath("flights", "staging_airports.csv").open(encoding="utf-8") as f:
        return {r["icao"]: r["name"] for r in csv.DictReader(f)}
