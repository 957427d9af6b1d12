"""The watchlist: aircraft and classes of aircraft to watch, as versioned data.

Entries come from the package (`data/flights/watchlist.csv`, `watched_classes.csv`) and from the
user's file (`HOME/watchlist.csv`, same columns), which `removalwatch watchlist add|import` writes.
An aircraft may have several rows with different validity (a lease changes its operator); the row
valid on the flight's day is the one that counts.
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
    aircraft: dict[str, list[WatchedAircraft]] = field(default_factory=dict)  # icao24 → rows, by validity
    classes: list[WatchedClass] = field(default_factory=list)

    def entry(self, icao24: str, day: dt.date) -> WatchedAircraft | None:
        """The aircraft's row valid on `day`, if it is watched then."""
        return next((e for e in self.aircraft.get(icao24, ()) if e.valid_on(day)), None)

    def entries(self) -> list[WatchedAircraft]:
        return [e for rows in self.aircraft.values() for e in rows]

    def match(self, icao24: str, callsign: str | None, day: dt.date) -> list[str]:
        """Why an aircraft is watched (empty when it is not)."""
        reasons = []
        entry = self.entry(icao24, day) if icao24 else None
        if entry:
            reasons.append(f"watched aircraft {entry.registration or icao24} ({entry.operator or 'unknown operator'})")
        value = int(icao24, 16) if icao24 else -1
        for c in self.classes:
            if c.kind == "icao_range" and c.low <= value <= c.high:
                reasons.append(f"{c.operator} address block")
            elif c.kind == "callsign" and callsign and callsign_matches(callsign, c.value):
                reasons.append(f"callsign {callsign} ({c.operator})")
        if entry and callsign and any(callsign_matches(callsign, p) for p in entry.callsign_prefixes) and not any(
                c.kind == "callsign" and callsign_matches(callsign, c.value) for c in self.classes):
            reasons.append(f"callsign {callsign} ({entry.operator})")
        return reasons

    def operator(self, icao24: str, callsign: str | None, day: dt.date) -> str | None:
        entry = self.entry(icao24, day) if icao24 else None
        if entry:
            return entry.operator
        for c in sorted(self.classes, key=lambda c: c.kind != "callsign"):  # a callsign says more than a block
            if c.kind == "callsign" and callsign and callsign_matches(callsign, c.value):
                return c.operator
            if c.kind == "icao_range" and icao24 and c.low <= int(icao24, 16) <= c.high:
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


def _grouped(entries: list[WatchedAircraft]) -> dict[str, list[WatchedAircraft]]:
    grouped: dict[str, list[WatchedAircraft]] = {}
    for e in entries:
        grouped.setdefault(e.icao24, []).append(e)
    return grouped


def load(home: Path | None) -> Watchlist:
    aircraft, classes = _package_entries()
    watchlist = Watchlist(_grouped(aircraft), list(classes))
    if home is not None and user_file(home).exists():
        # the user's rows for an aircraft replace the package's rows for it
        watchlist.aircraft.update(_grouped(read_entries(user_file(home))))
    return watchlist


def add(home: Path, entries: list[WatchedAircraft]) -> int:
    """Write entries to the user's watchlist, replacing the rows of the same address and validity.
    Returns how many are new."""
    path = user_file(home)
    def key(e: WatchedAircraft) -> tuple:
        return e.icao24, e.valid_from, e.valid_to
    existing = {key(e): e for e in read_entries(path)} if path.exists() else {}
    new = sum(1 for e in entries if key(e) not in existing)
    existing.update({key(e): e for e in entries})
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


# --- checking the watchlist ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Operator:
    name: str
    designators: tuple[str, ...]
    types: tuple[str, ...]
    source: str


@functools.lru_cache(maxsize=1)
def operators() -> dict[str, Operator]:
    """Operators of watched aircraft: their callsign designators and the types they are known to fly."""
    with resources.files("removalwatch.data").joinpath("flights", "operators.csv").open(encoding="utf-8") as f:
        return {r["operator"]: Operator(r["operator"], tuple(x for x in r["designators"].split("|") if x),
                                        tuple(x for x in r["types"].split("|") if x), r["source"])
                for r in csv.DictReader(f)}


@dataclass(frozen=True)
class Disagreement:
    registration: str | None
    icao24: str
    problem: str


def check(watchlist: Watchlist, fleet: list[dict] | None = None, on: dt.date | None = None) -> list[Disagreement]:
    """Rows whose address, registration, operator or type disagree with each other (or with a fleet
    list: ModeS, Registration, ICAOTypeCode, OperatorFlagCode columns, for the rows valid `on` a day)."""
    found: list[Disagreement] = []
    known = operators()
    by_designator = {d: o.name for o in known.values() for d in o.designators}

    def say(e: WatchedAircraft, problem: str) -> None:
        found.append(Disagreement(e.registration, e.icao24, problem))

    registrations: dict[str, set[str]] = {}
    for e in watchlist.entries():
        if e.registration:
            registrations.setdefault(e.registration, set()).add(e.icao24)
            try:
                expected = n_number_to_icao(e.registration)
                if expected != e.icao24:
                    say(e, f"address {e.icao24} is not {e.registration}'s ({expected})")
            except NotAnNNumber:
                pass
        operator = known.get(e.operator or "")
        for prefix in e.callsign_prefixes:
            owner = by_designator.get(prefix)
            if owner and operator and owner != operator.name and prefix not in operator.designators:
                say(e, f"callsign {prefix} belongs to {owner}, not {e.operator}")
        if operator and operator.types and e.type and e.type not in operator.types:
            say(e, f"type {e.type} is not one {e.operator} is known to fly ({', '.join(operator.types)})")
        if e.valid_from and e.valid_to and e.valid_to < e.valid_from:
            say(e, f"valid_to {e.valid_to} is before valid_from {e.valid_from}")
    for rows in watchlist.aircraft.values():
        ordered = sorted(rows, key=lambda e: e.valid_from or dt.date.min)
        for a, b in zip(ordered, ordered[1:]):
            if a.valid_to is None or (b.valid_from is not None and a.valid_to >= b.valid_from):
                say(b, f"valid from {b.valid_from or 'always'} while the row from {a.valid_from or 'always'} "
                       f"is still valid")
    for registration, addresses in registrations.items():
        if len(addresses) > 1:
            found.append(Disagreement(registration, ",".join(sorted(addresses)), "one registration, several addresses"))
    for row in fleet or []:
        registration = (row.get("Registration") or "").strip().upper()
        e = next((x for x in watchlist.entries() if x.registration == registration
                  and (on is None or x.valid_on(on))), None)
        if e is None:
            continue
        hex_ = (row.get("ModeS") or row.get("icao") or "").strip().lower()
        if hex_ and hex_ != e.icao24:
            say(e, f"fleet list gives address {hex_}")
        type_ = (row.get("ICAOTypeCode") or "").strip().upper()
        if type_ and e.type and type_ != e.type:
            say(e, f"fleet list gives type {type_}, the watchlist {e.type}")
        flag = (row.get("OperatorFlagCode") or "").strip().upper()
        operator = known.get(e.operator or "")
        if flag and operator and flag not in operator.designators:
            owner = by_designator.get(flag, "an operator not in operators.csv")
            say(e, f"fleet list gives operator code {flag} ({owner}), the watchlist {e.operator}")
    return found
