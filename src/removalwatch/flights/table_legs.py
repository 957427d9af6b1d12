"""Rows of flight tables → legs. A table row is a report of a flight, not an observation: both ends
are "reported", a row that gives only the date keeps `time_known` false, and a row missing one
airport is kept with what it has (mission assembly may infer the other from the aircraft's next
or previous leg). Two rows are the same leg when aircraft, time and both airports agree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from removalwatch.domain import Flight
from removalwatch.flights import airports as ap
from removalwatch.flights.nnumber import NotAnNNumber, n_number_to_icao


@dataclass
class TableReport:
    source: str                   # the table family, e.g. table:radarbox (rows of overlapping files dedupe)
    flights: list[Flight] = field(default_factory=list)
    rejected: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)   # kept rows with something missing, counted
    _keys: set[str] = field(default_factory=set)

    def add(self, leg: Flight) -> None:
        """Keep a leg once: a row repeating an earlier one (same leg key) is counted, not kept."""
        if leg.leg_key in self._keys:
            self.notes["repeated row (counted once)"] += 1
            return
        self._keys.add(leg.leg_key)
        self.flights.append(leg)


def airport(code: str, report: TableReport) -> str | None:
    """The ICAO code of a table's airport code (ICAO or IATA); unknown codes are counted, not fatal."""
    code = (code or "").strip(" ()\t").upper()  # some exports keep the parenthesis around the code
    if not code or code in ("-", "?"):
        return None
    found = ap.resolve(code)
    if found is None:
        report.notes[f"unknown airport code {code}"] += 1
        return None
    return found["icao"]


def local(day: dt.date, hour: int, minute: int, icao: str | None, utc_offset_h: float | None = None) -> dt.datetime | None:
    """A local clock time at `icao` (its time zone), or with an explicit UTC offset, as UTC."""
    info = ap.lookup(icao) if icao else None
    if info and info.get("tz"):
        return dt.datetime.combine(day, dt.time(hour, minute), ZoneInfo(info["tz"])).astimezone(dt.timezone.utc)
    if utc_offset_h is not None:
        return dt.datetime.combine(day, dt.time(hour, minute), dt.timezone(dt.timedelta(hours=utc_offset_h))
                                   ).astimezone(dt.timezone.utc)
    return None


def icao_address(registration: str | None) -> str:
    """The ICAO address of a US registration; "" for others (the leg counts, the aircraft is not addressable)."""
    try:
        return n_number_to_icao(registration) if registration else ""
    except NotAnNNumber:
        return ""


def leg(*, source: str, day: dt.date, departure: dt.datetime | None, arrival: dt.datetime | None,
        takeoff: str | None, landing: str | None, registration: str | None, callsign: str | None,
        operator: str | None, takeoff_evidence: str | None = None, landing_evidence: str | None = None) -> Flight:
    """One leg of a table row. Without a departure time it is placed at local noon (`time_known` false)."""
    time_known = departure is not None
    if departure is None:
        departure = local(day, 12, 0, takeoff or landing) or dt.datetime.combine(day, dt.time(12), dt.timezone.utc)
    aircraft = registration or callsign or "?"
    clock = departure.strftime("%H:%MZ") if time_known else "--"
    return Flight(
        icao24=icao_address(registration), callsign=callsign, registration=registration, operator=operator,
        first_seen=departure, last_seen=arrival or departure, time_known=time_known, local_day=day,
        takeoff_airport=takeoff, takeoff_time=departure if time_known else None,
        takeoff_basis="reported" if takeoff else None, takeoff_confidence=1.0 if takeoff else 0.0,
        takeoff_evidence=takeoff_evidence, landing_airport=landing, landing_time=arrival,
        landing_basis="reported" if landing else None, landing_confidence=1.0 if landing else 0.0,
        landing_evidence=landing_evidence, origin_country=ap.country(takeoff), destination_country=ap.country(landing),
        source=source, leg_key=f"{aircraft}|{day.isoformat()}|{clock}|{takeoff or '?'}|{landing or '?'}")
