"""One reader per feed format, each turning its input into positions (see flights/positions.py).

    read_positions(path) picks the reader from the file's name and first bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport
from removalwatch.flights.readers import radarbox, yakima


def sniff(path: Path) -> str:
    """Which reader a file needs: opensky-csv, opensky-parquet, opensky-json, readsb-trace,
    readsb-aircraft, sbs, beast, or the flight tables radarbox-table and yakima-sightings."""
    name = path.name.lower()
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            head = f.read(4096)
    except (OSError, EOFError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    if head.startswith(b"PAR1"):
        return "opensky-parquet"
    if head[:1] == b"\x1a" and len(head) > 1 and head[1:2] in (b"1", b"2", b"3"):
        return "beast"
    text = head.decode("utf-8", "replace").lstrip()
    if text.startswith("{"):
        if '"trace"' in text or '"icao"' in text[:200]:
            return "readsb-trace"
        if '"aircraft"' in text:
            return "readsb-aircraft"
    if text.startswith("["):
        return "opensky-json"
    if text.startswith("MSG,"):
        return "sbs"
    first_line = text.splitlines()[0] if text else ""
    if "Departure" in first_line and "Arrival" in first_line:
        return "radarbox-table"  # the reader names the columns a table lacks
    if yakima.is_sighting_table(text[:2000]):
        return "yakima-sightings"
    if "icao24" in first_line:
        return "opensky-csv"
    raise InputError(str(path), "unknown flight data format (expected OpenSky CSV/Parquet/JSON, readsb JSON, "
                                "SBS-1 text, Beast binary, a Radarbox flight table or a Yakima sighting table)")


TABLES = {"radarbox-table": radarbox.read_table, "yakima-sightings": yakima.read_table}


def read_flight_table(path: Path, kind: str):
    """Legs of a flight table (a TableReport)."""
    return TABLES[kind](path)


def read_positions(path: Path) -> ReadReport:
    from removalwatch.flights.readers import beast, opensky, readsb, sbs
    kind = sniff(path)
    readers = {
        "opensky-csv": opensky.read_csv, "opensky-parquet": opensky.read_parquet, "opensky-json": opensky.read_json,
        "readsb-trace": readsb.read_trace, "readsb-aircraft": readsb.read_aircraft_json,
        "sbs": sbs.read_file, "beast": beast.read_file,
    }
    if kind not in readers:
        raise InputError(str(path), f"{kind} holds flights, not positions")
    return readers[kind](path)
