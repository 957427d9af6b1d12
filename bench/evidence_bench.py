"""Evidence on a large store: `claims --contested`, `country LY` and `links` against the goal of
under 2 s and 500 MB each on 20,000 reports.

    python bench/evidence_bench.py [--documents 20000] [--words 400] [--home DIR]

The store is built once (in a temporary directory, or kept in --home and reused when it already
holds the documents): news-length texts assembled, seeded, from the paragraphs of the team's
development reports and samples (as bench/extract_bench.py does), with publication dates spread
over eighteen months, stored through the same path as `reports add` (so every document's claims
are filed into events as it is written), plus the demo's synthetic flights. Each command then runs
as a user would run it, in its own process; its wall time and peak memory are printed. The
baseline, in the same run on the same store, is reading every stored claim with its statements
(`claims --json`, what the per-claim contested listing had to do before events existed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_bench import documents  # noqa: E402  (the same texts as the extraction benchmark)

GOAL_SECONDS, GOAL_MB = 2.0, 500


def build_store(home: Path, n: int, words: int) -> float:
    """Store n generated reports (and the demo flights); returns documents per second."""
    from removalwatch.config import DATABASE_FILE, Settings
    from removalwatch.domain import Document
    from removalwatch.flights import archive, watchlist
    from removalwatch.flights.importer import rebuild_flights
    from removalwatch.flights.positions import clean
    from removalwatch.flights.synthetic import demo_flights
    from removalwatch.reports.ingest import extraction_of
    from removalwatch.reports.text import sha256_text
    from removalwatch.store import open_store
    from removalwatch.store.documents import add_document, list_documents

    engine = open_store(Settings(home=home, database_url=f"sqlite:///{home / DATABASE_FILE}"))
    have = len(list_documents(engine))
    rng = random.Random(11)
    start_day = dt.date(2025, 1, 1)
    texts = documents(n, words)
    began = time.perf_counter()
    for i, text in enumerate(texts[have:], have):
        text = f"Report {i}.\n{text}"  # every text its own document
        day = start_day + dt.timedelta(days=rng.randrange(540))
        add_document(engine, Document(sha256=sha256_text(text), text=text, title=f"generated report {i}",
                                      published=day, source=f"bench:{i}"), extract=extraction_of)
        if (i + 1) % 2000 == 0:
            print(f"  stored {i + 1} reports", file=sys.stderr)
    rate = (n - have) / (time.perf_counter() - began) if n > have else float("nan")
    for track in demo_flights():
        archive.write(home, clean(track, Counter()))
    rebuild_flights(engine, home, watchlist.load(home))
    engine.dispose()
    return rate


def run(home: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak MB of one `removalwatch` command in its own process (output discarded)."""
    began = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "removalwatch", *args, "--home", str(home)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"removalwatch {' '.join(args)} failed: {done.stderr[-500:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="removalwatch-evidence-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    print(f"building a store of {args.documents} reports in {home} ...", file=sys.stderr)
    rate = build_store(home, args.documents, args.words)
    if rate == rate:  # not NaN: the store was built in this run
        print(f"ingest (extraction + storing + filing into events): {rate:,.0f} reports/s")
    base_s, base_mb = run(home, "claims", "--json")
    print(f"baseline, every claim with its statements (claims --json): {base_s:.2f} s, {base_mb:,.0f} MB")
    for command in (["claims", "--contested"], ["country", "LY"], ["links"], ["events", "list", "--contested"]):
        seconds, mb = run(home, *command)
        verdict = "ok" if seconds < GOAL_SECONDS and mb < GOAL_MB else "OVER GOAL"
        print(f"{' '.join(command):<24} {seconds:5.2f} s {mb:6,.0f} MB   ({base_s / seconds:4.1f}x faster than the "
              f"baseline; goal < {GOAL_SECONDS:.0f} s and < {GOAL_MB} MB: {verdict})")


if __name__ == "__main__":
    main()
