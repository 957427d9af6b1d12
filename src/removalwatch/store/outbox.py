"""The outbox: alerts written in the transaction of the change that raised them, and one delivery
row per alert and channel, sent afterwards, at least once.

A sender takes due deliveries by setting a lease on them (PostgreSQL: rows locked by another
sender are skipped, `FOR UPDATE SKIP LOCKED`; on both stores the lease is only taken where none
is running, and `RETURNING` says which rows this sender got), sends them with no transaction
open, then records the outcome. A sender killed between sending and recording leaves the lease to
run out: the delivery is sent again, and the receiver drops the copy by the alert's key.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from removalwatch.domain import Alert
from removalwatch.store.schema import alerts, deliveries

MAX_ATTEMPTS = 12            # about a day and a half of retries, then "failed" (kept, listed)
FIRST_RETRY = 5.0            # seconds; doubled each attempt, with jitter
LONGEST_WAIT = 3 * 3600.0


@dataclass(frozen=True)
class Due:
    delivery_id: int
    channel: str
    attempts: int
    alert: Alert
    leased_until: dt.datetime  # this sender's lease: a record is kept only while it holds


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def raise_alerts(conn: Connection, new: list[Alert], channels: list[str]) -> list[Alert]:
    """Store alerts not raised before (by key) and a pending delivery for each channel, inside the
    caller's transaction. Returns the alerts that were new."""
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert
    raised = []
    for alert in {a.key: a for a in new}.values():
        row = alert.model_dump(mode="json")
        row["created"] = alert.created
        alert_id = conn.execute(insert(alerts).values(**row).on_conflict_do_nothing(index_elements=["key"])
                                .returning(alerts.c.id)).scalar()
        if alert_id is None:
            continue
        if channels:
            conn.execute(deliveries.insert(), [dict(alert_id=alert_id, channel=c, status="pending", attempts=0,
                                                    next_attempt=alert.created) for c in channels])
        raised.append(alert)
    return raised


def take_due(engine: Engine, channels: list[str], *, now: dt.datetime, limit: int = 20,
             lease_seconds: float = 60.0) -> list[Due]:
    """Lease up to `limit` due deliveries for these channels to this sender."""
    lease = now + dt.timedelta(seconds=lease_seconds)
    free = or_(deliveries.c.leased_until.is_(None), deliveries.c.leased_until < now)
    with engine.begin() as conn:
        wanted = (select(deliveries.c.id)
                  .where(deliveries.c.status == "pending", deliveries.c.next_attempt <= now, free,
                         deliveries.c.channel.in_(channels))
                  .order_by(deliveries.c.id).limit(limit))
        if conn.dialect.name == "postgresql":
            wanted = wanted.with_for_update(skip_locked=True)
        ids = conn.execute(wanted).scalars().all()
        if not ids:
            return []
        taken = conn.execute(update(deliveries).where(deliveries.c.id.in_(ids), free).values(leased_until=lease)
                             .returning(deliveries.c.id)).scalars().all()
        rows = conn.execute(select(deliveries.c.id, deliveries.c.channel, deliveries.c.attempts, alerts)
                            .join(alerts, alerts.c.id == deliveries.c.alert_id)
                            .where(deliveries.c.id.in_(taken)).order_by(deliveries.c.id)).mappings().all()
    return [Due(r["id"], r["channel"], r["attempts"], _alert(r), lease) for r in rows]


def renew(engine: Engine, due: Due, *, now: dt.datetime, lease_seconds: float) -> Due | None:
    """Extend this sender's lease just before sending; None when the lease ran out and another
    sender has the delivery (or has sent it)."""
    lease = now + dt.timedelta(seconds=lease_seconds)
    with engine.begin() as conn:
        held = conn.execute(update(deliveries).where(
            deliveries.c.id == due.delivery_id, deliveries.c.status == "pending",
            deliveries.c.leased_until == due.leased_until).values(leased_until=lease)
            .returning(deliveries.c.id)).scalar()
    return Due(due.delivery_id, due.channel, due.attempts, due.alert, lease) if held else None


def record(engine: Engine, due: Due, *, now: dt.datetime, error: str | None = None) -> bool:
    """The outcome of one send: delivered, or a failure to retry later (exponential backoff, jitter).
    Kept only while this sender's lease holds: a sender whose lease ran out (another has taken the
    delivery since) cannot undo the other's outcome. Returns whether it was kept."""
    if error is None:
        values = dict(status="delivered", delivered=now, leased_until=None, attempts=due.attempts + 1, last_error=None)
    else:
        attempts = due.attempts + 1
        wait = min(LONGEST_WAIT, FIRST_RETRY * 2 ** (attempts - 1)) * random.uniform(0.5, 1.5)
        values = dict(status="failed" if attempts >= MAX_ATTEMPTS else "pending", attempts=attempts,
                      next_attempt=now + dt.timedelta(seconds=wait), leased_until=None, last_error=error[:500])
    with engine.begin() as conn:
        kept = conn.execute(update(deliveries).where(
            deliveries.c.id == due.delivery_id, deliveries.c.status == "pending",
            deliveries.c.leased_until == due.leased_until).values(**values).returning(deliveries.c.id)).scalar()
    return kept is not None


@dataclass(frozen=True)
class StoredAlert:
    id: int
    alert: Alert
    deliveries: list[dict]  # channel, status, attempts, last_error


def read_alerts(engine: Engine, *, limit: int | None = None) -> list[StoredAlert]:
    """The latest alerts first, each with how its deliveries stand."""
    query = select(alerts).order_by(alerts.c.created.desc(), alerts.c.id.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        ids = [r["id"] for r in rows]
        sent: dict[int, list[dict]] = {}
        if ids:
            for d in conn.execute(select(deliveries).where(deliveries.c.alert_id.in_(ids))
                                  .order_by(deliveries.c.id)).mappings():
                sent.setdefault(d["alert_id"], []).append({"channel": d["channel"], "status": d["status"],
                                                           "attempts": d["attempts"], "last_error": d["last_error"]})
    return [StoredAlert(r["id"], _alert(r), sent.get(r["id"], [])) for r in rows]


def _alert(row) -> Alert:
    return Alert(key=row["key"], rule=row["rule"], kind=row["kind"], subject=row["subject"], body=row["body"],
                 created=_utc(row["created"]), country=row["country"], evidence=row["evidence"],
                 commands=row["commands"])
