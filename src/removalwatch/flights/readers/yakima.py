"""Community sightings of ICE Air flights at Yakima (KYKM), as UWCHR publishes them: one row per
flight that stopped there (date, flight number, tail number, operator, previous and next airport,
people boarding and leaving). A title row may come before the header; the files are comma or
pipe separated; each file repeats the rows of the ones before it. A row becomes two legs:
previous airport → Yakima and Yakima → next airport."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from removalwatch.errors import InputError
from removalwatch.flights.table_legs import TableReport, airport, leg

SOURCE = "table:yakima"
YAKIMA = "KYKM"
_DATE = re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                   r"\s+(\d{1,2}),?\s+(\d{4})")
_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"), start=1)}
# a FlightAware link names one leg and its departure time: .../history/20190507/1730Z/KYKM/KELP
_LINK = re.compile(r"/history/(\d{8})/(\d{2})(\d{2})Z/([A-Z0-9]{3,4})/([A-Z0-9]{3,4})")


def is_sighting_table(head: str) -> bool:
    return "Tail number" in head and "Previous Airport" in head and "Next Airport" in head


def _rows(path: Path) -> list[dict]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("latin-1")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines[:10]) if "Tail number" in line), None)
    if header is None:
        raise InputError(str(path), "no header row with 'Tail number' in the first ten lines")
    delimiter = "|" if lines[header].count("|") > lines[header].count(",") else ","
    try:
        return list(csv.DictReader(io.StringIO("\n".join(lines[header:])), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(str(path), f"not a readable table: {exc}", line=header + 1) from None


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def read_table(path: Path) -> TableReport:
    report = TableReport(SOURCE)
    for row in _rows(path):
        m = _DATE.search(row.get("Date") or "")
        if not m:
            report.rejected["no date (a note row)"] += 1
            continue
        day = dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
        tail = (row.get("Tail number") or "").strip().upper() or None
        callsign = re.sub(r"\s+", "", (row.get("Flight number") or "").upper()) or None
        operator = (row.get("Operator") or "").strip() or None
        previous = airport(row.get("Previous Airport") or "", report)
        following = airport(row.get("Next Airport") or "", report)
        link = _LINK.search(row.get("Link") or "")
        boarded = _int(row.get("From NWDC - Boarded Plane"))
        left = _int(row.get("From Plane - Boarded Bus to NWDC"))
        for takeoff, landing in ((previous, YAKIMA), (YAKIMA, following)):
            if takeoff is None and landing is None:
                continue
            departure = None
            if link and link.group(4) == (takeoff or "") and link.group(5) == (landing or ""):
                stamp = dt.datetime.strptime(link.group(1) + link.group(2) + link.group(3), "%Y%m%d%H%M")
                departure = stamp.replace(tzinfo=dt.timezone.utc)
            people = (f"Yakima observers: {boarded} people boarded" if takeoff == YAKIMA and boarded is not None else
                      f"Yakima observers: {left} people left the plane" if landing == YAKIMA and left is not None
                      else None)
            found = leg(source=SOURCE, day=day, departure=departure, arrival=None, takeoff=takeoff, landing=landing,
                        registration=tail, callsign=callsign, operator=operator,
                        takeoff_evidence=people if takeoff == YAKIMA else None,
                        landing_evidence=people if landing == YAKIMA else None)
            report.add(found)
    return report
