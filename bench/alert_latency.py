"""How soon an alert reaches a webhook after a watched aircraft takes off, and how many SBS-1
messages per second `watch` keeps up with on one core.

    python bench/alert_latency.py [--aircraft 2000] [--minutes 30] [--speed 10]

Synthetic traffic (seeded): `--aircraft` unwatched airliners on domestic routes, spread over the
window, and five watched aircraft (military "RCH" and GlobalX "GXA" callsigns, which the
watchlist's classes claim) taking off from staging airports for third countries. It is written as
an SBS-1 capture and replayed through `watch` at `--speed` times its pace, with a webhook receiver
on loopback. For each alert: the delay in data time from the aircraft's first airborne position
to the webhook's receipt (wall time since the replay began × speed), then p50 and p99. Goal: p99
≤ 60 s. The issue names a day of traffic at 10×; a day takes 2.4 hours to replay, so the default
is a 30-minute window, with `--minutes 1440` for the full day.

Then the same capture is replayed as fast as it can be read, with alerts raised but not sent: the
messages per second the whole loop sustains (parsing, archive, live flights, rules). Baseline, in
the same run: reading the capture with the SBS-1 parser alone. Goal: ≥ 20,000 messages/s (a busy
receiver sends 2,000-5,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

START = dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.timezone.utc)
WATCHED = [("KSKF", "HLMS", "RCH4451", "ae07e1"), ("KAEX", "FDSK", "GXA6012", "a2c4e0"),
           ("KHRL", "HSSJ", "RCH882", "ae1234"), ("KSAT", "DGAA", "GXA7713", "a2c4e1"),
           ("KIWA", "HUEN", "RCH219", "ae5678")]
DOMESTIC = ["KATL", "KORD", "KDFW", "KDEN", "KLAX", "KJFK", "KSFO", "KSEA", "KLAS", "KMCO", "KCLT", "KPHX",
            "KEWR", "KIAH", "KBOS", "KMSP", "KDTW", "KPHL", "KLGA", "KBWI", "KSLC", "KSAN", "KTPA", "KPDX"]


def capture(folder: Path, aircraft: int, minutes: int) -> tuple[Path, dict[str, float], int, float]:
    """The SBS-1 capture; each watched aircraft's first airborne position (epoch seconds); the number
    of messages; the capture's first moment (epoch seconds), which the replay starts from."""
    from removalwatch.flights.synthetic import sbs_lines, synthetic_flight
    rng = np.random.default_rng(5)
    window = minutes * 60
    tables, first_airborne = [], {}
    for k, (origin, destination, callsign, icao) in enumerate(WATCHED):
        # taxi out begins so that every takeoff falls in the first two thirds of the window
        departure = START + dt.timedelta(seconds=window * 2 / 3 * k / len(WATCHED) - 240)
        t = synthetic_flight(origin, destination, departure, icao24=icao, callsign=callsign, step_s=5,
                             stop_at=0.2, dropouts=0, seed=k)
        t = t.filter(pa.compute.less_equal(t["time"], pa.scalar(START + dt.timedelta(seconds=window),
                                                                 t.schema.field("time").type)))
        airborne = t.filter(pa.compute.invert(t["on_ground"]))
        first_airborne[icao] = airborne["time"][0].as_py().timestamp()
        tables.append(t)
    for n in range(aircraft):
        a, b = rng.choice(DOMESTIC, 2, replace=False)
        departure = START + dt.timedelta(seconds=float(rng.uniform(-3600, window)))
        t = synthetic_flight(str(a), str(b), departure, icao24=f"{0xa00000 + 1 + n:06x}"[-6:].replace("ae", "af"),
                             callsign=f"AAL{100 + n}", step_s=10, dropouts=0, seed=100 + n)
        tables.append(t.filter(pa.compute.and_(
            pa.compute.greater_equal(t["time"], pa.scalar(START, t.schema.field("time").type)),
            pa.compute.less_equal(t["time"], pa.scalar(START + dt.timedelta(seconds=window), t.schema.field("time").type)))))
    traffic = pa.concat_tables(tables)
    lines = sbs_lines(traffic)
    path = folder / "traffic.sbs"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, first_airborne, len(lines), pa.compute.min(traffic["time"]).as_py().timestamp()


def receiver() -> tuple[http.server.ThreadingHTTPServer, list[tuple[float, dict]]]:
    got: list[tuple[float, dict]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((time.monotonic(), json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, got


def replay(path: Path, home: Path, speed: float, url: str | None) -> tuple[float, float]:
    """Replay through `watch`; returns (wall start, wall seconds)."""
    from removalwatch.alerts import rules
    from removalwatch.config import Settings
    from removalwatch.flights import watchlist
    from removalwatch.flights.missions import MissionRules
    from removalwatch.store import open_store
    from removalwatch.watch.run import watch
    from removalwatch.watch.sources import Replay
    from removalwatch.watch.stopping import Stopping
    engine = open_store(Settings(home=home, database_url=f"sqlite:///{home / 'removalwatch.db'}"))
    channels = (rules.Channel("webhook-1", "webhook", {"url": url}),) if url else ()
    config = rules.AlertConfig(rules.load(None).rules, channels, "bench")
    with Stopping() as stop:
        source = Replay(path, speed=speed, out=None, stop=stop, log=lambda _: None)
        began = time.monotonic()
        watch(engine, home, sources=[source], pollers=[], config=config, watchlist=watchlist.load(home),
              rules=MissionRules(), stop=stop, log=lambda _: None, deliver=url is not None, until_replayed=True)
    return began, time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aircraft", type=int, default=2000)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--speed", type=float, default=10.0)
    args = parser.parse_args()
    if args.minutes < 15:
        parser.error("--minutes must be at least 15 (the watched aircraft need time to take off and climb)")
    work = Path(tempfile.mkdtemp(prefix="removalwatch-alert-bench-"))
    path, first_airborne, messages, data_start = capture(work, args.aircraft, args.minutes)
    print(f"capture: {messages:,} SBS-1 messages, {args.aircraft} unwatched and {len(WATCHED)} watched aircraft, "
          f"{args.minutes} minutes of traffic; replayed at {args.speed:g}x "
          f"({args.minutes * 60 / args.speed:.0f} s)", flush=True)
    server, got = receiver()
    began, _ = replay(path, work / "latency", args.speed, f"http://127.0.0.1:{server.server_address[1]}/hook")
    server.shutdown()
    delays: dict[str, list[float]] = {}
    for arrived, alert in got:
        icao = alert["evidence"].get("icao24")
        if icao not in first_airborne:
            continue
        delay = data_start + (arrived - began) * args.speed - first_airborne[icao]
        delays.setdefault(alert["kind"], []).append(delay)
        print(f"  {alert['key']:<48} {delay:7.1f} s after the first airborne position")
    every = [d for ds in delays.values() for d in ds]
    if every:
        p99 = float(np.percentile(every, 99))
        print(f"delay, data time: p50 {statistics.median(every):.1f} s, p99 {p99:.1f} s over {len(every)} alerts "
              f"(goal p99 <= 60 s: {'met' if p99 <= 60 else 'NOT met'})")
        for kind, ds in sorted(delays.items()):
            print(f"  {kind}: {len(ds)} alerts, p50 {statistics.median(ds):.1f} s, max {max(ds):.1f} s")
    missing = len(WATCHED) - len({a['evidence'].get('icao24') for _, a in got if a["kind"] == "staging_departure"})
    if missing:
        print(f"  {missing} watched departures raised no staging-departure alert")

    from removalwatch.flights.readers.sbs import read_lines
    lines = path.read_text(encoding="utf-8").splitlines()
    t = time.perf_counter()
    read_lines(lines, "bench")
    parse_rate = len(lines) / (time.perf_counter() - t)
    _, seconds = replay(path, work / "throughput", 1e9, None)
    rate = messages / seconds
    print(f"throughput: watch {rate:,.0f} messages/s (goal >= 20,000: {'met' if rate >= 20000 else 'NOT met'}); "
          f"the SBS-1 parser alone {parse_rate:,.0f} messages/s (ratio {rate / parse_rate:.2f})")


if __name__ == "__main__":
    sys.exit(main())
