"""The watchlist: aircraft and classes of aircraft to watch, as versioned data.

Entries come from the package (`data/flights/watchlist.csv`, `watched_classes.csv`) and from the
user's file (`HOME/watchlist.csv`, same columns), which `removalwatch watchlist add|import` writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from removalwatch.errors import InputError
from removalwatch.flights.nnumber import NotAnNNumber, n_number_to_icao

COLUMNS = ["registration", "icao24", "operator", "type", "callsign_prefixes", "valid_from", "valid_to", "source"]


@dataclass(frozen=True)
class WatchedAircraft:
    icao24: str
    registration: str | None
    operator: str | None
    type: str | None
    callsign_prefixes: tuple[str, ...]
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    origin: str = "package"  # or "user"

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class WatchedClass:
    kind: str            # icao_range | callsign
    value: str
    operator: str
    description: str
    source: str
    low: int = 0
    high: int = -1


@dataclass
class Watchlist:
    aircraft: dict[str, WatchedAircraft] = field(default_factory=dict)
    classes: list[WatchedClass] = field(default_factory=list)

    def match(self, icao24: str, callsign: str | None, day: dt.date) -> list[str]:
        """Why an aircraft is watched (empty when it is not)."""
        reasons = []
        entry = self.aircraft.get(icao24)
        if entry and entry.valid_on(day):
            reasons.append(f"watched aircraft {entry.registration or icao24} ({entry.operator or 'unknown operator'})")
        value = int(icao24, 16)
        for c in self.classes:
            if c.kind == "icao_range" and c.low <= value <= c.high:
                reasons.append(f"{c.operator} address block")
            elif c.kind == "callsign" and callsign and callsign_matches(callsign, c.value):
                reasons.append(f"callsign {callsign} ({c.operator})")
        if entry and callsign and any(callsign_matches(callsign, p) for p in entry.callsign_prefixes) and not any(
                c.kind == "callsign" and callsign_matches(callsign, c.value) for c in self.classes):
            reasons.append(f"callsign {callsign} ({entry.operator})")
        return reasons

    def operator(self, icao24: str, callsign: str | None) -> str | None:
        if not icao24:
            return None
        if icao24 in self.aircraft:
            return self.aircraft[icao24].operator
        for c in sorted(self.classes, key=lambda c: c.kind != "callsign"):  # a callsign says more than a block
            if c.kind == "callsign" and callsign and callsign_matches(callsign, c.value):
                return c.operator
            if c.kind == "icao_range" and c.low <= int(icao24, 16) <= c.high:
                return c.operator
        return None


def callsign_matches(callsign: str, designator: str) -> bool:
    """Exact designator match: "SWQ3555" is Swift (SWQ); "SWA123" (Southwest) is not, nor "SWQA"
    unless digits follow. A designator is followed by a flight number that starts with a digit."""
    cs = callsign.strip().upper()
    return cs.startswith(designator) and len(cs) > len(designator) and cs[len(designator)].isdigit()


def _date(value: str | None, where: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"not a date (YYYY-MM-DD): {value!r}", field=column) from None


def parse_entry(row: dict, where: str, origin: str) -> WatchedAircraft:
    """One watchlist row; the ICAO address comes from the row or, for a US N-number, is computed."""
    registration = (row.get("registration") or "").strip().upper() or None
    icao = (row.get("icao24") or "").strip().lower()
    if not icao and registration:
        try:
            icao = n_number_to_icao(registration)
        except NotAnNNumber:
            raise InputError(where, f"no icao24 given and {registration} is not a US N-number", field="icao24") from None
    if len(icao) != 6 or any(ch not in "0123456789abcdef" for ch in icao):
        raise InputError(where, f"icao24 must be 6 hex digits, got {icao!r}", field="icao24")
    prefixes = tuple(p.strip().upper() for p in (row.get("callsign_prefixes") or "").split("|") if p.strip())
    return WatchedAircraft(icao, registration, (row.get("operator") or "").strip() or None,
                           (row.get("type") or "").strip() or None, prefixes,
                           _date(row.get("valid_from"), where, "valid_from"), _date(row.get("valid_to"), where, "valid_to"),
                           (row.get("source") or "").strip() or "user", origin)


def read_entries(path: Path, origin: str = "user") -> list[WatchedAircraft]:
    entries = []
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or not ({"registration", "icao24"} & set(reader.fieldnames)):
                raise InputError(str(path), "a watchlist CSV needs a registration or icao24 column")
            for line, row in enumerate(reader, start=2):
                entries.append(parse_entry(row, f"{path}, line {line}", origin))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    return entries


@functools.lru_cache(maxsize=1)
def _package_entries() -> tuple[list[WatchedAircraft], list[WatchedClass]]:
    data = resources.files("removalwatch.data").joinpath("flights")
    with data.joinpath("watchlist.csv").open(encoding="utf-8") as f:
        aircraft = [parse_entry(r, f"watchlist.csv, line {i}", "package") for i, r in enumerate(csv.DictReader(f), 2)]
    classes = []
    with data.joinpath("watched_classes.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            low = high = 0
            if r["kind"] == "icao_range":
                a, b = r["value"].split("-")
                low, high = int(a, 16), int(b, 16)
            classes.append(WatchedClass(r["kind"], r["value"].upper() if r["kind"] == "callsign" else r["value"],
                                        r["operator"], r["description"], r["source"], low, high))
    return aircraft, classes


def user_file(home: Path) -> Path:
    return Path(home) / "watchlist.csv"


def load(home: Path | None) -> Watchlist:
    aircraft, classes = _package_entries()
    watchlist = Watchlist({a.icao24: a for a in aircraft}, list(classes))
    if home is not None and user_file(home).exists():
        for entry in read_entries(user_file(home)):
            watchlist.aircraft[entry.icao24] = entry  # the user's entry overrides the package's
    return watchlist


def add(home: Path, entries: list[WatchedAircraft]) -> int:
    """Append entries to the user's watchlist (replacing any with the same address). Returns how many are new."""
    path = user_file(home)
    existing = {e.icao24: e for e in read_entries(path)} if path.exists() else {}
    new = sum(1 for e in entries if e.icao24 not in existing)
    existing.update({e.icao24: e for e in entries})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for e in existing.values():
            row = asdict(e)
            row["callsign_prefixes"] = "|".join(e.callsign_prefixes)
            row["valid_from"] = e.valid_from.isoformat() if e.valid_from else ""
            row["valid_to"] = e.valid_to.isoformat() if e.valid_to else ""
            writer.writerow({k: row.get(k) or "" for k in COLUMNS})
    tmp.replace(path)
    return new
