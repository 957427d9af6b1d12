"""Send what the outbox holds: take due deliveries, send each, record the outcome."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.alerts.channels import DeliveryError, send
from removalwatch.alerts.rules import AlertConfig
from removalwatch.store.outbox import read_alerts, record, renew, take_due


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def deliver_due(engine: Engine, config: AlertConfig, home: Path, *, batch: int = 10,
                lease_seconds: float = 60.0) -> Counter:
    """Send every due delivery of the configured channels, `batch` leased at a time, each lease
    renewed just before its send. Returns counts by outcome."""
    channels = {c.name: c for c in config.channels}
    counts: Counter = Counter()
    recent = None
    while channels:
        taken = take_due(engine, list(channels), now=_now(), limit=batch, lease_seconds=lease_seconds)
        if not taken:
            break
        for due in taken:
            due = renew(engine, due, now=_now(), lease_seconds=lease_seconds)
            if due is None:
                counts["taken by another sender"] += 1
                continue
            channel = channels[due.channel]
            if channel.type == "atom" and recent is None:
                recent = [stored.alert for stored in read_alerts(engine, limit=50)]
            try:
                send(channel, due.alert, home=home, recent=recent)
            except DeliveryError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001  one bad alert or channel must not stop the others
                error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            else:
                error = None
            if record(engine, due, now=_now(), error=error):
                counts["failed" if error else "delivered"] += 1
    return counts
