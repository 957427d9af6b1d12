"""The watch loop: positions from every live source into the archive and into the watched
aircraft's flights; reports from feeds and folders into the store; each change raising its alerts
in its own transaction; the outbox sent after each pass. One log line per thing that happens."""

from __future__ import annotations

import datetime as dt
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.alerts.deliver import deliver_due
from removalwatch.alerts.rules import AlertConfig
from removalwatch.alerts.triggers import AfterDocument, raise_for_flights
from removalwatch.errors import InputError
from removalwatch.flights import archive
from removalwatch.flights.importer import rebuild_flights
from removalwatch.flights.missions import MissionRules
from removalwatch.flights.watchlist import Watchlist
from removalwatch.watch.live import LiveFlights
from removalwatch.watch.reports import FeedPoller, FolderPoller, store_reports
from removalwatch.watch.sources import Source
from removalwatch.watch.stopping import Stopping

STORE_FLIGHTS_EVERY = 300.0  # seconds between rebuilding the stored flights of the days seen


@dataclass
class WatchReport:
    positions: int = 0
    reports: int = 0
    alerts: list[str] = field(default_factory=list)  # keys, in the order raised
    delivered: int = 0


def watch(engine: Engine, home: Path, *, sources: list[Source], pollers: list[FeedPoller | FolderPoller],
          config: AlertConfig, watchlist: Watchlist, rules: MissionRules, stop: Stopping,
          log: Callable[[str], None], deliver: bool = True, until_replayed: bool = False,
          on_alert: Callable[[str], None] | None = None) -> WatchReport:
    """Run until `stop` (SIGTERM, Ctrl-C), or with `until_replayed` until every replay has ended."""
    batches: queue.Queue = queue.Queue()
    for source in sources:
        source.out = batches
        source.start()
    live, report = LiveFlights(watchlist, rules), WatchReport()
    after = AfterDocument(config)
    days: set[dt.date] = set()
    stored_at = time.monotonic()
    while True:
        got = _drain(batches, timeout=0.2)
        for batch in got:
            if batch.rejected:
                log(f"{batch.source}: rejected " + ", ".join(f"{n} {why}" for why, n in batch.rejected.items()))
            if batch.positions.num_rows == 0:
                continue
            written, touched = archive.write(home, batch.positions)
            report.positions += written
            days |= set(touched)
            legs = live.legs(live.add(batch.positions))
            if legs:
                try:
                    with engine.begin() as conn:
                        raised = raise_for_flights(conn, legs, config, extra_third=rules.extra_third)
                except Exception as exc:  # noqa: BLE001  the next batch evaluates these legs again
                    log(f"alerts not raised this pass: {type(exc).__name__}: {exc}")
                    raised = []
                for alert in raised:
                    _raised(alert, report, log, on_alert)
        for poller in pollers:
            if time.monotonic() >= poller.due:
                name = getattr(poller, "url", None) or str(getattr(poller, "folder", ""))
                try:
                    before = len(after.raised)
                    added = store_reports(engine, poller.poll(), after)
                except InputError as exc:  # a feed that sends garbage, an unreachable or refused URL
                    log(f"{exc}")
                    continue
                report.reports += added
                if added:
                    log(f"{name}: {added} new reports")
                for alert in after.raised[before:]:
                    _raised(alert, report, log, on_alert)
        if deliver:
            _deliver(engine, config, home, report, log)
        if days and (time.monotonic() - stored_at > STORE_FLIGHTS_EVERY):
            _store_flights(engine, home, watchlist, rules, days, log)
            days, stored_at = set(), time.monotonic()
        replays_done = until_replayed and all(s.finished for s in sources) and batches.empty()
        if stop.stopped or replays_done:
            break
    stop.event.set()  # the sources stop too; what they had read is still processed below
    for source in sources:
        source.join(timeout=5)
    for batch in _drain(batches, timeout=0):
        if batch.positions.num_rows:
            written, touched = archive.write(home, batch.positions)
            report.positions += written
            days |= set(touched)
    if days:
        _store_flights(engine, home, watchlist, rules, days, log)
    if deliver:
        _deliver(engine, config, home, report, log)
    log(f"stopped: {report.positions} positions, {report.reports} reports, {len(report.alerts)} alerts, "
        f"{report.delivered} deliveries")
    return report


def _deliver(engine: Engine, config: AlertConfig, home: Path, report: WatchReport, log) -> None:
    try:
        counts = deliver_due(engine, config, home)
    except Exception as exc:  # noqa: BLE001  the store unreachable for a moment: the outbox keeps them
        log(f"alerts not sent this pass: {type(exc).__name__}: {exc}")
        return
    report.delivered += counts.get("delivered", 0)
    if counts:
        log("alerts sent: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def _drain(batches: queue.Queue, timeout: float) -> list:
    got = []
    try:
        got.append(batches.get(timeout=timeout) if timeout else batches.get_nowait())
        while True:
            got.append(batches.get_nowait())
    except queue.Empty:
        return got


def _raised(alert, report: WatchReport, log, on_alert) -> None:
    report.alerts.append(alert.key)
    log(f"alert {alert.key}: {alert.subject}")
    if on_alert:
        on_alert(alert.key)


def _store_flights(engine: Engine, home: Path, watchlist: Watchlist, rules: MissionRules, days: set[dt.date],
                   log) -> None:
    rebuilt = rebuild_flights(engine, home, watchlist, sorted(days), rules)
    log(f"flights stored for {', '.join(d.isoformat() for d in sorted(days))}: {rebuilt.flights} legs, "
        f"{rebuilt.missions} missions")
