"""Stored flights: replace those of a time window, list them, read them for statistics."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, and_, delete, insert, select

from removalwatch.domain import Flight
from removalwatch.store.schema import flights

_FIELDS = [c.name for c in flights.columns if c.name != "id"]


def _row(f: Flight) -> dict:
    row = f.model_dump(mode="python")
    row["predicted"] = [p.model_dump() for p in f.predicted]
    row["track"] = [list(p) for p in f.track]
    return {k: row[k] for k in _FIELDS}


def replace_flights(engine: Engine, new: list[Flight], start: dt.datetime, end: dt.datetime, source: str) -> int:
    """Replace the flights of one source that began in [start, end) by `new`, in one transaction:
    re-segmenting after more positions arrived never leaves both the old and the new version."""
    with engine.begin() as conn:
        conn.execute(delete(flights).where(and_(flights.c.source == source, flights.c.first_seen >= start,
                                                flights.c.first_seen < end)))
        if new:
            conn.execute(insert(flights), [_row(f) for f in new])
    return len(new)


def add_flights(engine: Engine, new: list[Flight]) -> int:
    """Insert flights that are not stored yet (same aircraft, start, source and callsign). Returns how many were new."""
    added = 0
    with engine.begin() as conn:
        for f in new:
            same_callsign = flights.c.callsign.is_(None) if f.callsign is None else flights.c.callsign == f.callsign
            exists = conn.execute(select(flights.c.id).where(and_(
                flights.c.icao24 == f.icao24, flights.c.first_seen == f.first_seen, flights.c.source == f.source,
                same_callsign))).first()
            if exists is None:
                conn.execute(insert(flights).values(**_row(f)))
                added += 1
    return added


def list_flights(engine: Engine, *, candidates_only: bool = False, month: str | None = None,
                 source: str | None = None, limit: int | None = None) -> list[Flight]:
    query = select(flights).order_by(flights.c.first_seen)
    if candidates_only:
        query = query.where(flights.c.removal_score >= 0.5)
    if month:
        start = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.timezone.utc)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        query = query.where(and_(flights.c.first_seen >= start, flights.c.first_seen < end))
    if source:
        query = query.where(flights.c.source == source)
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    out = []
    for r in rows:
        data = {k: r[k] for k in _FIELDS}
        for key in ("first_seen", "last_seen", "takeoff_time", "landing_time"):
            if data[key] is not None and data[key].tzinfo is None:
                data[key] = data[key].replace(tzinfo=dt.timezone.utc)  # SQLite keeps no zone; we store UTC
        data["track"] = [tuple(p) for p in data["track"]]
        out.append(Flight(**data))
    return out
