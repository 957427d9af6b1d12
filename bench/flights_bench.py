"""Speed of the flight engine: import, and segmentation with airport inference, against baselines
measured in the same run.

    python bench/flights_bench.py [--positions 20000000] [--traffic-subset 1000000] [--workdir DIR]

Generates synthetic flights (seeded) between real airports until it has the asked number of
positions, a fifth of them with a stretch out of receiver range, written one file per day as
OpenSky-style CSV (SI units) and as Parquet. Then times:

  import from CSV        removalwatch's reader + checks + archive write   vs  pyarrow's CSV reader alone
  import from Parquet    the same from Parquet
  segmentation+airports  build_flights day by day over the archive (legs, airports with how they
  +gaps+missions         are known, gaps and their envelopes, sightings) and mission assembly
                         vs  the `traffic` library (Traffic.iterate, Flight.split("10 minutes"),
                         infer_airport takeoff and landing) on a subset, and removalwatch on it

Memory stays bounded: one day's file is in memory at a time. Needs the `bench` extra for traffic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from removalwatch.flights import archive
from removalwatch.flights.build import build_flights
from removalwatch.flights.missions import assemble
from removalwatch.flights.readers import opensky
from removalwatch.flights.synthetic import synthetic_flight
from removalwatch.flights.watchlist import load

AIRPORTS = ["KSKF", "KAEX", "KHRL", "KBRO", "KELP", "KIWA", "KSAT", "KMIA", "KTUS", "KDEN", "KORD", "KATL", "KJFK",
            "KLAX", "KDFW", "KIAH", "MSLP", "MGGT", "MHTG", "MROC", "MPTO", "MDSD", "SKBO", "SEQM", "MMMX", "HLMS",
            "HSSJ", "FDSK", "HRYR", "HUEN", "DGAA", "EGLL", "LFPG", "EDDF"]
UTC = dt.timezone.utc


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def to_opensky(t: pa.Table) -> pa.Table:
    return pa.table({
        "time": pc.divide(t["time"].cast(pa.int64()), 1000), "icao24": t["icao24"], "lat": t["lat"], "lon": t["lon"],
        "velocity": pc.divide(t["ground_speed_kt"].cast(pa.float64()), 1.943844), "heading": t["track"],
        "vertrate": pc.divide(t["vertical_rate_fpm"].cast(pa.float64()), 196.850394), "callsign": t["callsign"],
        "onground": t["on_ground"], "baroaltitude": pc.divide(t["altitude_ft"].cast(pa.float64()), 3.28084),
    })


def generate(total: int, workdir: Path, per_day: int) -> list[tuple[Path, Path]]:
    """Synthetic flights, one CSV and one Parquet file per day of `per_day` positions."""
    rng = random.Random(42)
    files, done, day, batch, batch_rows, k = [], 0, dt.date(2025, 5, 1), [], 0, 0
    while done < total:
        a, b = rng.sample(AIRPORTS, 2)
        start = dt.datetime.combine(day, dt.time(), UTC) + dt.timedelta(minutes=rng.randrange(0, 20 * 60))
        # a fifth of the flights lose reception over part of the route (an ocean, a desert): gaps to report
        gap = (0.3, 0.6) if rng.random() < 0.2 else None
        t = synthetic_flight(a, b, start, icao24=f"{0xA00000 + k:06x}", callsign=f"TST{k % 10000}",
                             step_s=rng.choice([5.0, 10.0]), ocean_gap=gap, seed=k)
        k += 1
        batch.append(t)
        batch_rows += t.num_rows
        done += t.num_rows
        if batch_rows >= per_day or done >= total:
            table = pa.concat_tables(batch)
            csv_path, parquet_path = workdir / f"{day}.csv", workdir / f"{day}.parquet"
            pacsv.write_csv(to_opensky(table), csv_path)
            pq.write_table(table, parquet_path)
            files.append((csv_path, parquet_path))
            batch, batch_rows, day = [], 0, day + dt.timedelta(days=1)
    return files


def time_traffic(subset: pa.Table) -> float | None:
    try:
        import pandas as pd
        from traffic.core import Traffic
        from traffic.data.basic.airports import Airports
    except ImportError:
        return None
    import airportsdata
    rows = [a for a in airportsdata.load("ICAO").values() if a["iata"]]
    airports = Airports(data=pd.DataFrame({
        "icao": [a["icao"] for a in rows], "iata": [a["iata"] for a in rows], "name": [a["name"] for a in rows],
        "latitude": [a["lat"] for a in rows], "longitude": [a["lon"] for a in rows],
        "country": [a["country"] for a in rows], "altitude": [a["elevation"] for a in rows],
        "municipality": [a["city"] for a in rows], "type": ["large_airport"] * len(rows)}))
    df = subset.to_pandas().rename(columns={"time": "timestamp", "lat": "latitude", "lon": "longitude",
                                            "altitude_ft": "altitude", "ground_speed_kt": "groundspeed",
                                            "vertical_rate_fpm": "vertical_rate"})
    start = time.perf_counter()
    for flight in Traffic(df).iterate():
        for segment in flight.split("10 minutes"):
            segment.infer_airport("takeoff", dataset=airports)
            segment.infer_airport("landing", dataset=airports)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--positions", type=int, default=20_000_000)
    ap.add_argument("--per-day", type=int, default=2_000_000, help="positions per daily file")
    ap.add_argument("--traffic-subset", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="rw-flights-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        files = generate(args.positions, workdir, args.per_day)
        n = sum(pq.ParquetFile(p).metadata.num_rows for _, p in files)
        print(f"generated {n:,} positions in {len(files)} daily files ({time.perf_counter() - t0:.0f} s)")

        start = time.perf_counter()
        for csv_path, _ in files:
            pacsv.read_csv(csv_path)
        arrow_s = time.perf_counter() - start
        print(f"pyarrow read_csv alone               {n / arrow_s:>12,.0f} positions/s")

        for label, pick, reader in (("import from CSV", 0, opensky.read_csv), ("import from Parquet", 1, opensky.read_parquet)):
            home = workdir / f"home-{pick}"
            start = time.perf_counter()
            for pair in files:
                report = reader(pair[pick])
                archive.write(home, report.positions)
            seconds = time.perf_counter() - start
            extra = f"   ratio to pyarrow read_csv alone = {arrow_s / seconds:.2f}" if pick == 0 else ""
            print(f"removalwatch {label:<24} {n / seconds:>12,.0f} positions/s{extra}")

        home = workdir / "home-1"
        watchlist = load(None)
        assemble(build_flights(archive.read_day(home, archive.days(home)[0]).slice(0, 1000), watchlist).flights,
                 watchlist)  # load airports
        seg_s = read_s = 0.0
        carry, legs = None, []
        days = archive.days(home)
        for i, day in enumerate(days):
            start = time.perf_counter()
            positions = archive.read_day(home, day)
            read_s += time.perf_counter() - start
            end = dt.datetime.combine(day, dt.time(), UTC) + dt.timedelta(days=1)
            start = time.perf_counter()
            built = build_flights(positions, watchlist, carry=carry, day_end=end if i + 1 < len(days) else None)
            seg_s += time.perf_counter() - start
            legs += built.flights
            carry = built.carry
        start = time.perf_counter()
        _, missions = assemble(legs, watchlist)
        seg_s += time.perf_counter() - start
        ours = n / seg_s
        gaps = sum(len(f.gaps) for f in legs)
        print(f"removalwatch archive read, day by day {n / read_s:>12,.0f} positions/s")
        print(f"removalwatch segmentation + airports + gaps + missions {ours:>12,.0f} positions/s  ({len(legs):,} legs, "
              f"{gaps:,} gaps, {len(missions):,} missions; with the read {n / (seg_s + read_s):,.0f}/s; "
              f"peak RSS {rss_mb():,.0f} MB)")

        # on the subset both sides get their best of a few runs: one run on a busy two-core machine varies
        subset = archive.read_day(home, days[0]).slice(0, args.traffic_subset)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            assemble(build_flights(subset, watchlist).flights, watchlist)
            runs.append(time.perf_counter() - start)
        ours_subset = subset.num_rows / min(runs)
        traffic_runs = [time_traffic(subset) for _ in range(2)]
        traffic_s = None if None in traffic_runs else min(traffic_runs)
        if traffic_s is None:
            print("traffic is not installed: pip install -e '.[bench]' to compare")
            return
        theirs = subset.num_rows / traffic_s
        print(f"traffic split + infer_airport (subset of {subset.num_rows:,}, best of 2) {theirs:>10,.0f} positions/s")
        print(f"removalwatch on the same subset (best of 3)      {ours_subset:>12,.0f} positions/s")
        print(f"ratio removalwatch / traffic = {ours_subset / theirs:.0f} on the subset, {ours / theirs:.0f} over all "
              f"positions (goal >= 20); absolute goal >= 4,000,000 positions/s: {ours:,.0f}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
