"""Check the local cache of real-report texts against the manifest.

    python eval/real/check_cache.py [--cache DIR]

Every report of the real-report development set is kept only in a local cache outside the
repository (default: $REMOVALWATCH_REAL_REPORTS, else ~/.cache/removalwatch/real-reports), as
<id>.txt. This says, for each manifest row, whether its text is there with the manifest's SHA-256
and length, and exits 1 when any is missing or differs. How to re-create the cache: README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def default_cache() -> Path:
    return Path(os.environ.get("REMOVALWATCH_REAL_REPORTS") or "~/.cache/removalwatch/real-reports").expanduser()


def check(cache: Path) -> dict[str, str]:
    """id → "ok", "missing", or what differs."""
    result = {}
    with open(HERE / "manifest.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            path = cache / f"{row['id']}.txt"
            if not path.exists():
                result[row["id"]] = "missing"
                continue
            data = path.read_bytes()
            text = data.decode("utf-8")
            if hashlib.sha256(data).hexdigest() != row["sha256"]:
                result[row["id"]] = f"sha256 differs (length {len(text)}, manifest {row['length']})"
            elif len(text) != int(row["length"]):
                result[row["id"]] = f"length {len(text)}, manifest {row['length']}"
            else:
                result[row["id"]] = "ok"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    result = check(args.cache)
    for report, status in result.items():
        if status != "ok":
            print(f"{report}: {status}")
    good = sum(s == "ok" for s in result.values())
    print(f"{good} of {len(result)} texts present and unchanged in {args.cache}")
    sys.exit(0 if good == len(result) else 1)


if __name__ == "__main__":
    main()
