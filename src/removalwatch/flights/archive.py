"""The position archive: append-only Parquet files partitioned by day.

    HOME/positions/day=2025-05-07/<batch>.parquet

A batch's file name is a hash of its content, so importing the same input again finds its files
already there and adds nothing. Positions never go into the relational store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from removalwatch.flights.positions import SCHEMA, drop_duplicates


def positions_dir(home: Path) -> Path:
    return Path(home) / "positions"


def write(home: Path, positions: pa.Table) -> tuple[int, list[dt.date]]:
    """Write positions into their day partitions. Returns (rows written, days touched);
    a batch already in the archive writes nothing."""
    if positions.num_rows == 0:
        return 0, []
    days = pc.cast(positions["time"], pa.date32())
    written, touched = 0, []
    for day in pc.unique(days).to_pylist():
        part = positions.filter(pc.equal(days, pa.scalar(day, pa.date32())))
        digest = _digest(part)
        folder = positions_dir(home) / f"day={day.isoformat()}"
        target = folder / f"{digest}.parquet"
        if target.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{digest}.{os.getpid()}.tmp"
        pq.write_table(part, tmp, compression="snappy")
        os.replace(tmp, target)  # atomic: a killed import leaves no half-written partition
        written += part.num_rows
        touched.append(day)
    return written, touched


def _digest(part: pa.Table) -> str:
    h = hashlib.sha256()
    for name in ("icao24", "time", "lat", "lon", "altitude_ft", "source"):
        for chunk in part[name].chunks:
            for buf in chunk.buffers():
                if buf is not None:
                    h.update(buf)
    return h.hexdigest()[:32]


def days(home: Path) -> list[dt.date]:
    root = positions_dir(home)
    if not root.exists():
        return []
    return sorted(dt.date.fromisoformat(p.name[4:]) for p in root.glob("day=*") if any(p.glob("*.parquet")))


def read_day(home: Path, day: dt.date) -> pa.Table:
    """One day's positions sorted by aircraft and time, without exact duplicates (overlapping inputs)."""
    folder = positions_dir(home) / f"day={day.isoformat()}"
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return SCHEMA.empty_table()
    positions = pa.concat_tables([pq.read_table(f, schema=SCHEMA) for f in files])
    if len(files) == 1:
        return positions  # each file was sorted and de-duplicated by `clean` when written
    return drop_duplicates(positions.sort_by([("icao24", "ascending"), ("time", "ascending")]), Counter())


def iter_days(home: Path, wanted: list[dt.date] | None = None) -> Iterator[tuple[dt.date, pa.Table]]:
    """Each day's positions in turn: memory holds one day, never the whole archive."""
    for day in wanted if wanted is not None else days(home):
        yield day, read_day(home, day)


def count(home: Path) -> int:
    root = positions_dir(home)
    files = [str(p) for p in root.glob("day=*/*.parquet")] if root.exists() else []
    return int(np.sum([pq.ParquetFile(f).metadata.num_rows for f in files])) if files else 0


def files_with(home: Path, icao24: str, first: dt.datetime, last: dt.datetime) -> list[Path]:
    """The archive files of the days from `first` to `last` that hold positions of one aircraft (for a
    packet's hashes)."""
    found = []
    day = first.date()
    while day <= last.date():
        for path in sorted((positions_dir(home) / f"day={day.isoformat()}").glob("*.parquet")):
            icaos = pq.read_table(path, columns=["icao24"])["icao24"]
            if pc.any(pc.equal(icaos, icao24)).as_py():
                found.append(path)
        day += dt.timedelta(days=1)
    return found
