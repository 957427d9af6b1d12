"""Send what the outbox holds: take due deliveries, send each, record the outcome."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.alerts.channels import DeliveryError, send
from removalwatch.alerts.rules import AlertConfig
from removalwatch.store.outbox import read_alerts, record, take_due


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def deliver_due(engine: Engine, config: AlertConfig, home: Path, *, limit: int = 50,
                lease_seconds: float = 60.0) -> Counter:
    """One pass over the due deliveries of the configured channels. Returns counts by outcome."""
    channels = {c.name: c for c in config.channels}
    counts: Counter = Counter()
    if not channels:
        return counts
    recent = None
    for due in take_due(engine, list(channels), now=_now(), limit=limit, lease_seconds=lease_seconds):
        channel = channels[due.channel]
        if channel.type == "atom" and recent is None:
            recent = [stored.alert for stored in read_alerts(engine, limit=50)]
        try:
            send(channel, due.alert, home=home, recent=recent)
        except DeliveryError as exc:
            record(engine, due, now=_now(), error=str(exc))
            counts["failed"] += 1
            continue
        record(engine, due, now=_now())
        counts["delivered"] += 1
    return counts
