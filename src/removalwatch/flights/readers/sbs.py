"""SBS-1 (BaseStation) text, as dump1090/readsb serve it on TCP port 30003, from a file or live."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport, clean, table
from removalwatch.flights.readers import feed

DEFAULT_PORT = 30003


def _float(value: str):
    try:
        return float(value) if value.strip() else None
    except ValueError:
        return None


def _parse_time(date: str, time: str) -> int | None:
    try:
        moment = dt.datetime.strptime(f"{date} {time[:15]}", "%Y/%m/%d %H:%M:%S.%f")
    except ValueError:
        try:
            moment = dt.datetime.strptime(f"{date} {time}", "%Y/%m/%d %H:%M:%S")
        except ValueError:
            return None
    return int(moment.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)


class SbsState:
    """Per-aircraft state: an SBS position message (MSG,3) carries only position and altitude;
    callsign, speed and track arrive in other messages and are carried forward."""

    def __init__(self, source: str):
        self.source = source
        self.aircraft: dict[str, dict] = {}
        self.rows: list[dict] = []
        self.rejected: Counter = Counter()

    def feed(self, line: str) -> None:
        parts = line.rstrip("\r\n").split(",")
        if len(parts) < 22 or parts[0] != "MSG":
            if line.strip():
                self.rejected["garbage line"] += 1
            return
        icao = parts[4].strip().lower()
        if len(icao) != 6:
            self.rejected["no valid icao24 address"] += 1
            return
        state = self.aircraft.setdefault(icao, {})
        if parts[10].strip():
            state["callsign"] = parts[10].strip()
        for key, idx in (("ground_speed_kt", 12), ("track", 13), ("vertical_rate_fpm", 16)):
            value = _float(parts[idx])
            if value is not None:
                state[key] = value
        if parts[17].strip():
            state["squawk"] = parts[17].strip()
        lat, lon = _float(parts[14]), _float(parts[15])
        if parts[1] != "3" or lat is None or lon is None:
            return
        time = _parse_time(parts[6], parts[7])
        if time is None:
            self.rejected["bad time"] += 1
            return
        on_ground = parts[21].strip() in ("-1", "1") if len(parts) > 21 else None
        self.rows.append({"icao24": icao, "time": time, "lat": lat, "lon": lon, "altitude_ft": _float(parts[11]),
                          "on_ground": on_ground, **{k: state.get(k) for k in (
                              "callsign", "ground_speed_kt", "track", "vertical_rate_fpm", "squawk")}})

    def report(self) -> ReadReport:
        rows, self.rows = self.rows, []
        n = len(rows)
        cols = {k: [r.get(k) for r in rows] for k in ("icao24", "time", "lat", "lon", "altitude_ft", "on_ground",
                                                        "callsign", "ground_speed_kt", "track",
                                                        "vertical_rate_fpm", "squawk")}
        cols["time"] = pa.array(cols["time"], pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
        cols["source"] = [self.source] * n
        rejected, self.rejected = self.rejected, Counter()
        return ReadReport(self.source, clean(table(cols, n), rejected), rejected)


def read_lines(lines: Iterable[str], source: str) -> ReadReport:
    state = SbsState(source)
    for line in lines:
        state.feed(line)
    return state.report()


def read_file(path: Path) -> ReadReport:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return read_lines(f, f"sbs:{path.name}")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None


def listen(host: str, port: int = DEFAULT_PORT, *, batch_seconds: float = 10.0,
           max_seconds: float | None = None, stopped: Callable[[], bool] = lambda: False) -> Iterator[ReadReport]:
    """Positions from a live SBS-1 feed, one report every `batch_seconds`, until the feed closes
    or `max_seconds` have passed."""
    source = f"sbs:{host}:{port}"
    state, pending = SbsState(source), b""

    def on_bytes(chunk: bytes) -> None:
        nonlocal pending
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            state.feed(line.decode("utf-8", "replace"))

    yield from feed.listen(source, host, port, on_bytes, state.report, batch_seconds=batch_seconds,
                           max_seconds=max_seconds, stopped=stopped)
