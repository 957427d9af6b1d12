"""Stored legs, missions and sightings: replace those of a time window, add table rows once, list them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Engine, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from removalwatch.domain import REMOVAL_CANDIDATE_SCORE, Flight, Mission, Sighting
from removalwatch.errors import InputError
from removalwatch.store.schema import flights, missions, sightings

_FIELDS = [c.name for c in flights.columns if c.name != "id"]
_MISSION_FIELDS = [c.name for c in missions.columns if c.name != "id"]
_SIGHTING_FIELDS = [c.name for c in sightings.columns if c.name != "id"]
# what mission assembly changes on a leg
_ASSEMBLED = ["takeoff_airport", "takeoff_basis", "takeoff_confidence", "takeoff_evidence", "origin_country",
              "landing_airport", "landing_basis", "landing_confidence", "landing_evidence", "destination_country",
              "local_day", "gaps", "role", "mission", "removal_score", "reasons", "third_country"]
_UTC_COLUMNS = ("first_seen", "last_seen", "takeoff_time", "landing_time", "start", "end")


def _insert(engine: Engine):
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert


def _row(f: Flight) -> dict:
    row = f.model_dump(mode="json", include=set(_FIELDS))
    for key in ("first_seen", "last_seen", "takeoff_time", "landing_time", "local_day"):
        row[key] = getattr(f, key)
    return row


def _utc(data: dict) -> dict:
    for key in _UTC_COLUMNS:
        if data.get(key) is not None and data[key].tzinfo is None:
            data[key] = data[key].replace(tzinfo=dt.timezone.utc)  # SQLite keeps no zone; we store UTC
    return data


def _flight(row) -> Flight:
    data = _utc({k: row[k] for k in ["id", *_FIELDS] if k in row})
    data["track"] = [tuple(p) for p in data.get("track", [])]
    return Flight(**data)


_WITHOUT_TRACK = [c for c in flights.c if c.name != "track"]


def replace_flights(engine: Engine, new: list[Flight], start: dt.datetime, end: dt.datetime, source: str,
                    new_sightings: Iterable[Sighting] = ()) -> int:
    """Replace the legs (and sightings) of one source that began in [start, end) by `new`, in one
    transaction: re-segmenting after more positions arrived never leaves both versions."""
    with engine.begin() as conn:
        conn.execute(delete(flights).where(and_(flights.c.source == source, flights.c.first_seen >= start,
                                                flights.c.first_seen < end)))
        conn.execute(delete(sightings).where(and_(sightings.c.source == source, sightings.c.first_seen >= start,
                                                  sightings.c.first_seen < end)))
        if new:
            conn.execute(insert(flights), [_row(f) for f in new])
        rows = [s.model_dump(include=set(_SIGHTING_FIELDS)) for s in new_sightings]
        if rows:
            conn.execute(insert(sightings), rows)
    return len(new)


def add_flights(engine: Engine, new: list[Flight]) -> int:
    """Insert legs not stored yet (same source and leg key: aircraft, time, both airports). Returns how many were new."""
    if not new:
        return 0
    stmt = _insert(engine)(flights).on_conflict_do_nothing(index_elements=["source", "leg_key"])
    count = select(func.count()).select_from(flights)
    with engine.begin() as conn:
        before = conn.execute(count).scalar_one()
        conn.execute(stmt, [_row(f) for f in new])
        return conn.execute(count).scalar_one() - before


def legs_of(engine: Engine, source: str, icao24s: set[str] | None = None) -> list[Flight]:
    """Every stored leg of `source` (of the given aircraft only, when named)."""
    query = select(flights).where(flights.c.source == source).order_by(flights.c.first_seen, flights.c.id)
    with engine.connect() as conn:
        if icao24s is None:
            return [_flight(r) for r in conn.execute(query).mappings()]
        out = []
        names = sorted(icao24s)
        for i in range(0, len(names), 500):
            out += [_flight(r) for r in conn.execute(query.where(flights.c.icao24.in_(names[i:i + 500]))).mappings()]
        return out


def save_missions(engine: Engine, source: str, legs: list[Flight], found: list[Mission],
                  icao24s: set[str] | None = None) -> None:
    """Write what mission assembly found: each leg's role, mission, score, inferred ends and gaps; and
    the missions of `source` (of the given aircraft, or all), replaced in one transaction."""
    params = []
    for leg in legs:
        row = _row(leg)
        params.append({"leg_id": leg.id, **{f"v_{k}": row[k] for k in _ASSEMBLED}})
    stmt = update(flights).where(flights.c.id == bindparam("leg_id")).values(
        **{k: bindparam(f"v_{k}") for k in _ASSEMBLED})
    with engine.begin() as conn:
        if params:
            conn.execute(stmt, params)
        where = missions.c.source == source
        if icao24s is not None:
            where = and_(where, missions.c.icao24.in_(sorted(icao24s)))
        conn.execute(delete(missions).where(where))
        rows = [{**m.model_dump(mode="json", include=set(_MISSION_FIELDS)), "start": m.start, "end": m.end,
                 "local_day": m.local_day} for m in found]
        if rows:
            conn.execute(insert(missions), rows)


def month_range(month: str) -> tuple[dt.date, dt.date]:
    try:
        start = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise InputError("--month", f"expected YYYY-MM, got {month!r}") from None
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def _in_month(local_day, began, month: str):
    """Legs and missions count in the month of their departure's local day (the UTC day when unknown)."""
    start, end = month_range(month)
    utc = [dt.datetime.combine(d, dt.time(), dt.timezone.utc) for d in (start, end)]
    return or_(and_(local_day >= start, local_day < end),
               and_(local_day.is_(None), began >= utc[0], began < utc[1]))


def list_flights(engine: Engine, *, candidates_only: bool = False, month: str | None = None,
                 source: str | None = None, destination: str | None = None, limit: int | None = None,
                 after_id: int | None = None, tracks: bool = True) -> list[Flight]:
    """Legs in time order; with `after_id`, a page in the order they were stored. `destination`: legs
    that landed in that country, or, landing unseen, whose likeliest predicted destination is there
    (as evidence.links.destination_of reads them). `tracks=False` leaves the tracks (most of a
    leg's bytes) unread."""
    columns = flights.c if tracks else _WITHOUT_TRACK
    query = select(*columns).order_by(flights.c.first_seen, flights.c.id) if after_id is None else \
        select(*columns).where(flights.c.id > after_id).order_by(flights.c.id)
    if candidates_only:
        query = query.where(flights.c.removal_score >= REMOVAL_CANDIDATE_SCORE)
    if month:
        query = query.where(_in_month(flights.c.local_day, flights.c.first_seen, month))
    if source:
        query = query.where(flights.c.source == source)
    if destination:
        query = query.where(or_(flights.c.destination_country == destination, and_(
            flights.c.destination_country.is_(None), flights.c.predicted[0]["country"].as_string() == destination)))
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [_flight(r) for r in conn.execute(query).mappings()]


def candidate_flights(conn) -> list[Flight]:
    """Removal-candidate legs, read inside the caller's transaction."""
    rows = conn.execute(select(flights).where(flights.c.removal_score >= REMOVAL_CANDIDATE_SCORE).order_by(flights.c.first_seen))
    return [_flight(r) for r in rows.mappings()]


def get_flight(engine: Engine, flight_id: int) -> Flight | None:
    with engine.connect() as conn:
        row = conn.execute(select(flights).where(flights.c.id == flight_id)).mappings().first()
    return _flight(row) if row else None


def list_missions(engine: Engine, *, candidates_only: bool = False, month: str | None = None,
                  keys: Iterable[str] | None = None, limit: int | None = None) -> list[Mission]:
    """Missions with their legs, in time order (only those with the given keys, when named)."""
    query = select(missions).order_by(missions.c.start, missions.c.id)
    if keys is not None:
        query = query.where(missions.c.key.in_(sorted(set(keys))))
    if candidates_only:
        query = query.where(missions.c.candidate.is_(True))
    if month:
        query = query.where(_in_month(missions.c.local_day, missions.c.start, month))
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        keys = [r["key"] for r in rows]
        legs: dict[str, list[Flight]] = defaultdict(list)
        for i in range(0, len(keys), 500):
            leg_query = select(flights).where(flights.c.mission.in_(keys[i:i + 500])).order_by(flights.c.first_seen)
            for r in conn.execute(leg_query).mappings():
                legs[r["mission"]].append(_flight(r))
    return [Mission(**_utc({k: r[k] for k in _MISSION_FIELDS}), legs=legs[r["key"]]) for r in rows]


def list_sightings(engine: Engine, *, limit: int | None = None) -> list[Sighting]:
    query = select(sightings).order_by(sightings.c.first_seen, sightings.c.id)
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [Sighting(**_utc({k: r[k] for k in _SIGHTING_FIELDS})) for r in conn.execute(query).mappings()]


def sources(engine: Engine) -> list[str]:
    """The sources legs came from: adsb, and each family of flight tables."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(flights.c.source).distinct()).scalars())
