"""Flight tables like the University of Washington Center for Human Rights' ICE Air data:
Radarbox exports of ICE Air contractor flights (date, flight, departure and arrival airports,
aircraft and registration, status). Each row is a flight, not a position."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from removalwatch.domain import Flight
from removalwatch.errors import InputError
from removalwatch.flights import airports as ap
from removalwatch.flights.classify import is_third_country, removal_score
from removalwatch.flights.nnumber import NotAnNNumber, n_number_to_icao
from removalwatch.flights.watchlist import Watchlist

_REGISTRATION = re.compile(r"\(([A-Z0-9-]+)\)")
_STD = re.compile(r"^(\d{1,2}):(\d{2})\s*([A-Z]{3})?$")
_UTC_OFFSET = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AST": -4,
               "UTC": 0, "GMT": 0}


def _departure(day: dt.date, std: str) -> dt.datetime:
    """Scheduled departure in UTC from "12:45 EDT"; noon UTC when the table gives no time."""
    m = _STD.match(std.strip())
    if not m or (m.group(3) and m.group(3) not in _UTC_OFFSET):
        return dt.datetime.combine(day, dt.time(12), dt.timezone.utc)
    local = dt.datetime.combine(day, dt.time(int(m.group(1)), int(m.group(2))))
    return (local - dt.timedelta(hours=_UTC_OFFSET.get(m.group(3) or "UTC", 0))).replace(tzinfo=dt.timezone.utc)
_FLIGHT_PREFIX = {"WQ": "SWQ", "WAL": "WAL", "GXA": "GXA", "KG": "WAL"}


@dataclass
class TableReport:
    source: str
    flights: list[Flight] = field(default_factory=list)
    rejected: Counter = field(default_factory=Counter)


def read_table(path: Path, watchlist: Watchlist) -> TableReport:
    report = TableReport(str(path))
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(str(path), f"not a readable CSV flight table: {exc}") from None
    if not rows or not {"Date", "Flight", "DepartureICAO", "ArrivalICAO"} <= set(rows[0]):
        raise InputError(str(path), "a flight table needs Date, Flight, DepartureICAO and ArrivalICAO columns")
    source = f"table:{path.name}"
    for line, row in enumerate(rows, start=2):
        try:
            day = dt.date.fromisoformat((row.get("Date") or "").strip())
        except ValueError:
            report.rejected["bad date"] += 1
            continue
        dep, arr = (row.get("DepartureICAO") or "").strip().upper(), (row.get("ArrivalICAO") or "").strip().upper()
        dep_airport, arr_airport = ap.lookup(dep) if dep else None, ap.lookup(arr) if arr else None
        if not dep_airport or not arr_airport:
            report.rejected["unknown airport"] += 1
            continue
        flight_no = (row.get("Flight") or "").strip().upper()
        callsign = flight_no or None
        for prefix, designator in _FLIGHT_PREFIX.items():  # flight number "WQ3555" flies as callsign "SWQ3555"
            if flight_no.startswith(prefix) and flight_no[len(prefix):].isdigit():
                callsign = designator + flight_no[len(prefix):]
                break
        reg_match = _REGISTRATION.search(row.get("Aircraft") or "")
        registration = reg_match.group(1) if reg_match else None
        try:
            icao = n_number_to_icao(registration) if registration else ""
        except NotAnNNumber:
            icao = ""  # a foreign registration: the flight still counts, the aircraft is not addressable
        when = _departure(day, row.get("STD") or "")
        watch = watchlist.match(icao, callsign, day) if icao else []
        score, reasons = removal_score(watch or [f"listed in {path.name}"], dep, dep_airport["country"],
                                       arr_airport["country"])
        if not watch:
            score = max(score, 0.5)  # the table is of ICE Air contractor flights: each row is a candidate
        report.flights.append(Flight(
            icao24=icao, callsign=callsign, registration=registration,
            operator=(row.get("Airline") or "").strip() or watchlist.operator(icao, callsign),
            first_seen=when, last_seen=when, takeoff_airport=dep, takeoff_time=None, landing_airport=arr,
            landing_time=None, landing_observed=(row.get("Status") or "").startswith("Landed"),
            airport_confidence=1.0, origin_country=dep_airport["country"], destination_country=arr_airport["country"],
            removal_score=round(score, 3), reasons=reasons,
            third_country=is_third_country(arr_airport["country"], score), source=source,
        ))
    return report
