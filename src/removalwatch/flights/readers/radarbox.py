"""Radarbox exports of ICE Air contractor flights, as the University of Washington Center for
Human Rights publishes them: date, flight, departure and arrival airports (city, IATA/ICAO),
scheduled departure in local time, status with the landing time, duration, aircraft and
registration, airline. Each row is a leg."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from removalwatch.errors import InputError
from removalwatch.flights import airports as ap
from removalwatch.flights.table_legs import TableReport, airport, leg, local

SOURCE = "table:radarbox"
_REGISTRATION = re.compile(r"\(([A-Z0-9-]+)\)")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?:\s*([A-Z]{3}))?")
_DURATION = re.compile(r"(\d+)h(\d+)m")
_UTC_OFFSET = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
               "AST": -4, "UTC": 0, "GMT": 0}
_FLIGHT_PREFIX = {"WQ": "SWQ", "KG": "WAL"}  # flight number "WQ3555" flies as callsign "SWQ3555"
COLUMNS = {"Date", "Flight", "DepartureICAO", "ArrivalICAO"}


def _clock(text: str):
    m = _CLOCK.search((text or "").replace("\xa0", " "))
    return (int(m.group(1)), int(m.group(2)), _UTC_OFFSET.get(m.group(3) or "")) if m else None


def _callsign(flight_no: str) -> str | None:
    for prefix, designator in _FLIGHT_PREFIX.items():
        if flight_no.startswith(prefix) and flight_no[len(prefix):].isdigit():
            return designator + flight_no[len(prefix):]
    return flight_no or None


def _times(day: dt.date, row: dict, dep: str | None, arr: str | None):
    """Departure and landing in UTC: the scheduled departure (local time), else the landing time of
    the status (local at the arrival airport) less the duration. The row's date is the departure's."""
    duration = _DURATION.search(row.get("Duration") or "")
    block = dt.timedelta(hours=int(duration.group(1)), minutes=int(duration.group(2))) if duration else None
    std = _clock(row.get("STD") or "")
    departure = local(day, std[0], std[1], dep, std[2]) if std else None
    landed = _clock(row.get("Status") or "") if (row.get("Status") or "").startswith("Landed") else None
    arrival = local(day, landed[0], landed[1], arr, landed[2]) if landed else None
    if arrival is not None and departure is not None:
        while arrival < departure:
            arrival += dt.timedelta(days=1)        # landed after midnight
    elif arrival is not None and block is not None:
        departure = arrival - block
        if ap.local_day(dep, departure) < day:     # it landed on the next day
            departure, arrival = departure + dt.timedelta(days=1), arrival + dt.timedelta(days=1)
    if arrival is None and departure is not None and block is not None:
        arrival = departure + block
    return departure, arrival


def read_table(path: Path) -> TableReport:
    report = TableReport(SOURCE)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(str(path), f"not a readable CSV flight table: {exc}") from None
    if not rows or not COLUMNS <= set(rows[0]):
        raise InputError(str(path), "a Radarbox flight table needs Date, Flight, DepartureICAO and ArrivalICAO columns")
    for row in rows:
        try:
            day = dt.date.fromisoformat((row.get("Date") or "").strip())
        except ValueError:
            report.rejected["bad date"] += 1
            continue
        dep = airport(row.get("DepartureICAO") or row.get("DepartureIATA") or "", report)
        arr = airport(row.get("ArrivalICAO") or row.get("ArrivalIATA") or "", report)
        if dep is None and arr is None:
            report.rejected["no known airport"] += 1
            continue
        if dep is None or arr is None:
            report.notes["one airport missing (kept)"] += 1
        flight_no = (row.get("Flight") or "").strip().upper()
        registration = _REGISTRATION.search(row.get("Aircraft") or "")
        departure, arrival = _times(day, row, dep, arr)
        if departure is None:
            report.notes["no time (kept, date only)"] += 1
        found = leg(source=SOURCE, day=day, departure=departure, arrival=arrival, takeoff=dep, landing=arr,
                    registration=registration.group(1) if registration else None, callsign=_callsign(flight_no),
                    operator=(row.get("Airline") or "").strip() or None)
        report.add(found)
    return report
