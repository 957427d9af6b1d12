"""Beast binary, as dump1090/readsb serve it on TCP port 30005, from a file or live; messages
decoded with pyModeS (CRC checked, airborne CPR positions paired per aircraft).

Beast frames carry a 12 MHz receiver clock, not wall-clock time: the caller gives the wall-clock
time of the first frame (for a file, its modification time unless told otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyModeS

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport, clean, table
from removalwatch.flights.readers import feed

DEFAULT_PORT = 30005
_LENGTHS = {0x31: 2, 0x32: 7, 0x33: 14, 0x34: 14}  # Mode-AC, Mode-S short, Mode-S long, status
CLOCK_HZ = 12_000_000


def frames(data: bytes, rejected: Counter) -> tuple[list[tuple[int, bytes]], bytes]:
    """(12 MHz timestamp, message) of each complete frame, and the unconsumed tail."""
    out, i, n = [], 0, len(data)
    while i < n:
        if data[i] != 0x1A:
            i += 1
            rejected["bytes outside a frame"] += 1
            continue
        if i + 1 >= n:
            break
        kind = data[i + 1]
        if kind not in _LENGTHS:
            i += 1
            rejected["unknown frame type"] += 1
            continue
        need = 6 + 1 + _LENGTHS[kind]
        body, j = bytearray(), i + 2
        while len(body) < need and j < n:
            b = data[j]
            if b == 0x1A:
                if j + 1 >= n:
                    break
                if data[j + 1] != 0x1A:
                    break  # an unescaped frame start: this frame is cut short
                j += 1
            body.append(b)
            j += 1
        if len(body) < need:
            if j >= n - 1:
                return out, data[i:]
            rejected["truncated frame"] += 1
            i = j
            continue
        if kind in (0x32, 0x33):
            out.append((int.from_bytes(body[:6], "big"), bytes(body[7:])))
        i = j
    return out, b""


class BeastDecoder:
    def __init__(self, source: str, start: dt.datetime):
        self.source = source
        self.start = start.timestamp()
        self.first_clock: int | None = None
        self.decoder = pyModeS.PipeDecoder()
        self.pending: list[tuple[dict, dict]] = []
        self.callsigns: dict[str, str] = {}
        self.velocity: dict[str, dict] = {}
        self.rejected: Counter = Counter()

    def feed(self, clock: int, message: bytes) -> None:
        if self.first_clock is None:
            self.first_clock = clock
        seconds = self.start + (clock - self.first_clock) / CLOCK_HZ
        try:
            decoded = self.decoder.decode(message.hex().upper(), timestamp=seconds)
        except (pyModeS.DecodeError, ValueError):
            self.rejected["undecodable message"] += 1
            return
        if decoded.get("df") not in (17, 18):
            return  # surveillance replies carry no position; their address is not CRC-checked
        if not decoded.get("crc_valid", False):
            self.rejected["bad CRC"] += 1
            return
        icao = str(decoded.get("icao", "")).lower()
        if decoded.get("callsign"):
            self.callsigns[icao] = decoded["callsign"].strip("_ ").strip()
        if decoded.get("groundspeed") is not None:
            self.velocity[icao] = {"ground_speed_kt": decoded.get("groundspeed"), "track": decoded.get("track"),
                                   "vertical_rate_fpm": decoded.get("vertical_rate")}
        if decoded.get("bds") in ("0,5", "0,6"):
            # pyModeS may fill in the position later (when a second pair corroborates the first),
            # into this same dict: keep it and read it at report time.
            self.pending.append((decoded, {"icao24": icao, "time": int(seconds * 1000),
                                           "altitude_ft": decoded.get("altitude"), "on_ground": decoded.get("bds") == "0,6",
                                           "callsign": self.callsigns.get(icao), **self.velocity.get(icao, {})}))

    def report(self) -> ReadReport:
        self.decoder.flush()
        rows = []
        for decoded, row in self.pending:
            if decoded.get("latitude") is not None and decoded.get("longitude") is not None:
                rows.append({**row, "lat": decoded["latitude"], "lon": decoded["longitude"]})
            else:
                self.rejected["position not decodable (no CPR pair)"] += 1
        self.pending = []
        n = len(rows)
        keys = ("icao24", "time", "lat", "lon", "altitude_ft", "on_ground", "callsign", "ground_speed_kt", "track",
                "vertical_rate_fpm")
        cols = {k: [r.get(k) for r in rows] for k in keys}
        cols["time"] = pa.array(cols["time"], pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
        cols["source"] = [self.source] * n
        rejected, self.rejected = self.rejected, Counter()
        return ReadReport(self.source, clean(table(cols, n), rejected), rejected)


def read_bytes(data: bytes, source: str, start: dt.datetime) -> ReadReport:
    decoder = BeastDecoder(source, start)
    found, tail = frames(data, decoder.rejected)
    if tail:
        decoder.rejected["truncated frame"] += 1
    for clock, message in found:
        decoder.feed(clock, message)
    return decoder.report()


def read_file(path: Path, start: dt.datetime | None = None) -> ReadReport:
    try:
        data = path.read_bytes()
        start = start or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    return read_bytes(data, f"beast:{path.name}", start)


def listen(host: str, port: int = DEFAULT_PORT, *, batch_seconds: float = 10.0,
           max_seconds: float | None = None, stopped: Callable[[], bool] = lambda: False) -> Iterator[ReadReport]:
    """Positions from a live Beast feed, one report every `batch_seconds`."""
    source = f"beast:{host}:{port}"
    decoder = BeastDecoder(source, dt.datetime.now(dt.timezone.utc))
    pending = b""

    def on_bytes(chunk: bytes) -> None:
        nonlocal pending
        found, pending = frames(pending + chunk, decoder.rejected)
        for clock, message in found:
            decoder.feed(clock, message)

    yield from feed.listen(source, host, port, on_bytes, decoder.report, batch_seconds=batch_seconds,
                           max_seconds=max_seconds, stopped=stopped)
