"""Latency of the JSON API under load: the country dossier, flights pages and search, against the
goal of p95 < 200 ms and no errors on SQLite (one uvicorn worker); the same on PostgreSQL with four.

    python bench/web_load.py [--home DIR] [--statements 100000] [--flights 50000] [--seconds 30]
                             [--clients 50] [--client-processes 1] [--skip-postgres] [--postgres URL]

The store (in a temporary directory, or kept in --home and reused when it already holds the data)
is filled by the project's own tools. Reports: evidence_bench.build_store (texts assembled from the
development reports by extract_bench, stored through the extraction path as `reports add` stores
them, with the demo's flights) until the statements reach --statements (about 16 per 400-word
report: 6,252 reports give 102,212). Flights: synthetic ADS-B tracks (flights.synthetic, a fix
every 30 s, a fifth with an ocean gap) of the watchlist's aircraft and of US military "RCH" tails,
each flying on from where it landed between the staging airports and 28 airports abroad, written
to the position archive and built into legs and missions by the flight engine (`rebuild_flights`,
as `flights rebuild` does): the full path, no rows inserted by hand. On two cores, 100,000
statements took about 2 minutes, 50,000 flights about 3.5 (1.5 GB of positions). For PostgreSQL
every table is copied (SQLAlchemy Core over store.schema.metadata, about a minute) into a fresh
schema that `open_store` made, then ANALYZE; the schema is dropped at the end.

`removalwatch serve` runs in its own process, started afresh for each endpoint (one left busy with
abandoned slow requests would slow the next). The load comes from another process: closed loops,
each on its own kept-alive connection, no think time, so a saturated server shows latency of about
clients / throughput. Requests are written with asyncio streams, not httpx: httpx cost 1.3-2 ms of
client CPU per request (4-5.5 ms with one 50-connection pool), took most of a core from the server
on this two-core machine and halved the baseline's throughput; the streams client costs 0.1-0.2 ms
for a small answer, 1-2 ms for a dossier of megabytes (printed per endpoint: "client ms"). Each endpoint gets --seconds of load after a
sequential warm-up that sends every query once and checks each answers 200 ("alone ms": the
median of those requests, no load). Queries vary: twelve countries; flights pages (100 legs) at
cursors gathered by walking the whole list, with and without candidates=true; twelve searches
whose words occur in the generated texts. An error is a non-2xx answer or a failed request; a
request unanswered after 60 s is one, its latency counted as 60 s. Exceptions the server logged
are counted under the table. The baseline, under the same load in the same run, is
GET /api/v1/openapi.json: no store access, only the HTTP stack, the middleware, JSON rendering and
this client; p95/base is each endpoint's p95 over the baseline's. With more than one worker the
uvicorn installed (0.54) leaves Nagle's algorithm on (uvicorn issue #3149): each kept-alive
request then waits about 40 ms for a delayed ACK, which the PostgreSQL baseline shows.

Each store is measured twice: as `serve` runs by default (an API answer reused for a few seconds,
web/cache.py), the figures the goal is judged on, and with every answer computed
(`--cache-seconds 0`), which shows what one uncached request costs under the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import multiprocessing
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evidence_bench import build_store  # noqa: E402  (the evidence benchmark's generated reports)

from removalwatch.web.cache import DEFAULT_SECONDS as CACHE_SECONDS  # noqa: E402  (what `serve` uses)

GOAL_P95_MS = 200
TIMEOUT = 60  # seconds; a slower answer is an error (and counts as 60 s)
WORDS = 400
PG_BASE = "postgresql+psycopg://127.0.0.1:5432/test"
STAGING = "KAEX KHRL KBRO KELP KBIF KIWA KSAT KSKF KMIA KTUS KIAH KLRD KDAL KSAN".split()
ABROAD = ("MMMX MMGL MGGT MHTG MSLP MNMG SKBO SEQM SPJC SBGR MDSD MTPP MKJP SVMI MUHA VIDP HLMS HSSJ FDSK HRYR "
          "HUEN DGAA HDAM MROC MPTO BKPR SGAS FGSL").split()
COUNTRIES = "LY SS SZ RW UG GH SV GT HN MX VE CU".split()
SEARCH = ["deportation", "Libya", "Eswatini", "court", "denied", "Venezuelans", "ministry", "military flight",
          "third country", "Rwanda agreement", "charter", "human rights"]


def count(home: Path, table: str) -> int:
    import sqlite3
    from removalwatch.config import DATABASE_FILE
    if not (home / DATABASE_FILE).exists():
        return 0
    with sqlite3.connect(home / DATABASE_FILE) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def fill_reports(home: Path, statements: int) -> None:
    """Generated reports until the store holds `statements` statements (the texts are a seeded
    sequence, so a larger count extends a smaller store)."""
    while (have := count(home, "statements")) < statements:
        n = count(home, "documents")
        n += math.ceil((statements - have) / (have / n if have else 16.0)) + 1
        print(f"  storing reports up to {n:,} ({have:,} statements so far)", file=sys.stderr)
        build_store(home, n, WORDS)


def fill_flights(home: Path, legs: int) -> None:
    """Synthetic tracks of `legs` flights through the archive and the flight engine."""
    import pyarrow as pa

    from removalwatch.config import DATABASE_FILE, Settings
    from removalwatch.flights import archive, watchlist
    from removalwatch.flights.importer import rebuild_flights
    from removalwatch.flights.positions import clean
    from removalwatch.flights.synthetic import synthetic_flight
    from removalwatch.store import open_store

    watched = watchlist.load(home)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    fleet = list(dict.fromkeys((e.icao24, (e.callsign_prefixes or ("RPN",))[0]) for e in watched.entries()
                               if e.valid_from and e.valid_from <= start.date() and e.valid_to is None))
    fleet += [(f"{0xAE1000 + k:06x}", "RCH") for k in range(150 - len(fleet))]  # US military block
    rng = random.Random(5)
    clock = {icao: start + dt.timedelta(hours=rng.uniform(0, 72)) for icao, _ in fleet}
    where = {icao: rng.choice(STAGING) for icao, _ in fleet}
    batch: list = []
    for i in range(legs):
        icao, prefix = fleet[i % len(fleet)]
        there = rng.choice(ABROAD if where[icao] in STAGING else STAGING)
        track = synthetic_flight(where[icao], there, clock[icao], icao24=icao, seed=i, step_s=30.0,
                                 callsign=f"{prefix}{rng.randrange(100, 9999)}",
                                 ocean_gap=(0.3, 0.6) if rng.random() < 0.2 else None)
        clock[icao] = track["time"][-1].as_py() + dt.timedelta(hours=rng.uniform(3, 30))
        where[icao] = there
        batch.append(track)
        if len(batch) == 2000 or i == legs - 1:
            archive.write(home, clean(pa.concat_tables(batch), Counter()))
            batch = []
            print(f"  archived {i + 1:,} flights", file=sys.stderr)
    engine = open_store(Settings(home=home, database_url=f"sqlite:///{home / DATABASE_FILE}"))
    rebuild_flights(engine, home, watched)
    engine.dispose()


def build(home: Path, statements: int, legs: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    fill_reports(home, statements)
    reports_s = time.perf_counter() - began
    if count(home, "flights") < legs:
        fill_flights(home, legs)
    flights_s = time.perf_counter() - began - reports_s
    print(f"store: {count(home, 'documents'):,} reports, {count(home, 'statements'):,} statements, "
          f"{count(home, 'flights'):,} flights, {count(home, 'missions'):,} missions "
          f"(this run built reports in {reports_s:,.0f} s, flights in {flights_s:,.0f} s)")


def copy_to_postgres(home: Path, url: str) -> None:
    """Every table of the SQLite store into the (new, empty) PostgreSQL store at `url`."""
    from sqlalchemy import DateTime, Integer, insert, select, text

    from removalwatch.config import DATABASE_FILE, Settings
    from removalwatch.store import open_store
    from removalwatch.store.schema import metadata

    source = open_store(Settings(home=home, database_url=f"sqlite:///{home / DATABASE_FILE}"))
    target = open_store(Settings(home=home, database_url=url))
    with source.connect() as src, target.begin() as dst:
        for table in metadata.sorted_tables:
            zoned = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]
            for part in src.execution_options(yield_per=5000).execute(select(table)).mappings().partitions():
                rows = [dict(r) for r in part]
                for row in rows:  # SQLite keeps no zone; the store writes UTC
                    for key in zoned:
                        if row[key] is not None and row[key].tzinfo is None:
                            row[key] = row[key].replace(tzinfo=dt.timezone.utc)
                dst.execute(insert(table), rows)
            if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                 f"coalesce(max(id), 0) + 1, false) FROM {table.name}"))
        dst.execute(text("ANALYZE"))
    source.dispose()
    target.dispose()


def serve(home: Path, workers: int, database_url: str | None, cache_seconds: float) -> tuple[subprocess.Popen, str]:
    """`removalwatch serve` on a free port, its stderr kept in a temporary file; once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "REMOVALWATCH_DATABASE_URL"}
    if database_url:
        env["REMOVALWATCH_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "removalwatch", "serve", "--home", str(home), "--host", "127.0.0.1",
               "--port", str(port)]
    log = tempfile.TemporaryFile("w+")
    server = subprocess.Popen([*command, "--workers", str(workers), "--cache-seconds", str(cache_seconds)], env=env,
                              stdout=log, stderr=log)
    server.log = log
    base = f"http://127.0.0.1:{port}"
    import httpx
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"removalwatch serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/openapi.json").status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("removalwatch serve did not answer within a minute")


def stop(server: subprocess.Popen) -> Counter:
    """Stop the server; returns the exceptions it logged (last line of each traceback), counted."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.log.seek(0)
    return Counter(line.strip()[:160] for line in server.log
                   if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Timeout)\w*: ", line))


def queries(base: str) -> dict[str, list[str]]:
    """The paths each load picks from at random."""
    import httpx
    flights = []
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        for candidates in ("", "&candidates=true"):  # every 1000th leg's cursor, over the whole list
            cursor = ""
            flights.append(f"/api/v1/flights?limit=100{candidates}")
            while True:
                page = client.get(f"/api/v1/flights?limit=1000{candidates}{cursor}").raise_for_status().json()
                if not page["next_cursor"]:
                    break
                cursor = f"&cursor={page['next_cursor']}"
                flights.append(f"/api/v1/flights?limit=100{candidates}{cursor}")
    return {"baseline": ["/api/v1/openapi.json"], "dossier": [f"/api/v1/countries/{c}" for c in COUNTRIES],
            "flights": flights, "search": [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in SEARCH]}


def warm_up(base: str, paths: list[str]) -> float:
    """Every query once (and round again to 20 requests), one at a time: all must answer 200.
    Returns the median ms."""
    import httpx
    times = []
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        for i in range(max(20, len(paths))):
            began = time.perf_counter()
            answer = client.get(paths[i % len(paths)])
            times.append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"GET {paths[i % len(paths)]}: {answer.status_code} {answer.text[:300]}")
    return statistics.median(times)


async def request(reader, writer, host: str, path: str) -> tuple[int, bool]:
    """One GET on a kept-alive connection, the body read in full; returns the status and whether
    the server keeps the connection open."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower().split("\r\n")
    fields = dict(line.split(":", 1) for line in head[1:] if ":" in line)
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    else:  # chunked
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return int(head[0].split()[1]), fields.get("connection", "").strip() != "close"


def drive(base: str, paths: list[str], clients: int, begin: float, until: float, seed: int):
    """One client process: `clients` closed loops, each on its own keep-alive connection, from wall
    time `begin` to `until`. Returns the latencies (s), the errors and the process's CPU seconds."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port

    async def loop(rng: random.Random, latencies: list, errors: Counter):
        connection = None
        while time.time() < until:
            began = time.perf_counter()
            try:
                connection = connection or await asyncio.open_connection(host, port)
                status, keep = await asyncio.wait_for(request(*connection, host, rng.choice(paths)), TIMEOUT)
                if not 200 <= status < 300:
                    errors[str(status)] += 1
                if not keep:
                    connection = connection[1].close()
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                errors[type(exc).__name__] += 1
                if connection:
                    connection[1].close()
                connection = None
            latencies.append(time.perf_counter() - began)
        if connection:
            connection[1].close()

    async def main():
        latencies, errors = [], Counter()
        await asyncio.sleep(max(0.0, begin - time.time()))
        cpu = time.process_time()
        await asyncio.gather(*(loop(random.Random(seed * 1000 + i), latencies, errors) for i in range(clients)))
        return latencies, errors, time.process_time() - cpu

    return asyncio.run(main())


def load(base: str, paths: list[str], clients: int, seconds: float, processes: int) -> dict:
    begin = time.time() + 2  # the client processes start and import first
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.starmap(drive, [(base, paths, n, begin, begin + seconds, i) for i, n in enumerate(shares)])
    elapsed = time.time() - begin
    latencies = [x * 1000 for part in parts for x in part[0]]
    errors = sum((part[1] for part in parts), Counter())
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "errors": errors, "p50": cuts[49], "p95": cuts[94], "p99": cuts[98],
            "rate": len(latencies) / elapsed, "client_cpu": sum(part[2] for part in parts)}


def measure(label: str, home: Path, workers: int, database_url: str | None, args, goal: bool,
            cache_seconds: float) -> None:
    """Each endpoint against a server of its own: one left busy with timed-out requests would slow the next."""
    server, base = serve(home, workers, database_url, cache_seconds)
    try:
        paths = queries(base)
    finally:
        stop(server)
    results, logged = {}, {}  # by endpoint: figures, exceptions the server logged
    for name, chosen in paths.items():
        server, base = serve(home, workers, database_url, cache_seconds)
        try:
            alone = warm_up(base, chosen)
            results[name] = {**load(base, chosen, args.clients, args.seconds, args.client_processes), "alone": alone}
        finally:
            logged[name] = stop(server)
    base_p95 = results["baseline"]["p95"]
    print(f"\n{label}: {args.clients} clients x {args.seconds:g} s per endpoint; alone = median of sequential "
          "requests, no load\n  baseline GET /api/v1/openapi.json (no store access)\n"
          f"  dossier  GET /api/v1/countries/{{{','.join(COUNTRIES)}}}\n"
          f"  flights  GET /api/v1/flights?limit=100[&candidates=true][&cursor=...] ({len(paths['flights'])} pages)\n"
          f"  search   GET /api/v1/search?q={{{'|'.join(SEARCH)}}}")
    print(f"{'endpoint':<9} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} "
          f"{'alone ms':>8} {'p95/base':>8} {'client ms':>9}" + ("  goal p95 < 200 ms and 0 errors" if goal else ""))
    for name, r in results.items():
        n_errors = sum(r["errors"].values())
        verdict = "ok" if r["p95"] < GOAL_P95_MS and not n_errors else "OVER GOAL"
        print(f"{name:<9} {r['requests']:>8,} {n_errors:>6,} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['p99']:>8.0f} "
              f"{r['rate']:>7.1f} {r['alone']:>8.1f} {r['p95'] / base_p95:>8.1f} "
              f"{r['client_cpu'] / r['requests'] * 1000:>9.2f}"
              + (f"  {verdict}" if goal and name != "baseline" else "")
              + (f"   errors: {dict(r['errors'])}" if n_errors else ""))
    for name, lines in logged.items():
        for line, n in lines.most_common(3):
            print(f"{name:<9} server logged {n:,} x {line}")
    busy = max(r["client_cpu"] / args.seconds for r in results.values())
    print(f"client ms = the load generator's own CPU per request; at most {busy:.0%} of one core "
          f"({args.client_processes} client process(es), {os.cpu_count()} cores shared with the server)")


def _reuse(cache_seconds: float) -> str:
    return (f"answers reused for {cache_seconds:g} s as `serve` does by default" if cache_seconds
            else "every answer computed (--cache-seconds 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--postgres", default=PG_BASE, help="a database where a schema may be made and dropped")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="removalwatch-web-load-"))
    print(f"store in {home} ...", file=sys.stderr)
    build(home, args.statements, args.flights)
    for cache in (CACHE_SECONDS, 0):
        measure(f"SQLite, 1 uvicorn worker, {_reuse(cache)}", home, 1, None, args, goal=cache > 0, cache_seconds=cache)
    if args.skip_postgres:
        return
    schema = f"web_load_{os.getpid()}"
    from sqlalchemy import create_engine, text
    admin = create_engine(args.postgres)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = f"{args.postgres}?options=-csearch_path%3D{schema}"
        began = time.perf_counter()
        copy_to_postgres(home, url)
        print(f"copied to PostgreSQL in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        for cache in (CACHE_SECONDS, 0):
            measure(f"PostgreSQL, 4 uvicorn workers, {_reuse(cache)}", home, 4, url, args, goal=False,
                    cache_seconds=cache)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
