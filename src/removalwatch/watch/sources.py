"""Live position sources for `watch`, each in its own thread, each putting batches of positions
(`ReadReport`) on one queue: a receiver's SBS-1 or Beast TCP feed (reconnecting with backoff
when it drops), and the replay of a recorded SBS-1 capture at N times its own pace."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from removalwatch.errors import InputError
from removalwatch.flights.readers import beast as beast_reader
from removalwatch.flights.readers import sbs as sbs_reader
from removalwatch.flights.readers.sbs import SbsState, _parse_time
from removalwatch.watch.stopping import Stopping

Log = Callable[[str], None]
OPENSKY_TOKEN_URL = "https://auth.opensky-network.org/auth/realms/opensky-network/protocol/openid-connect/token"


def parse_address(value: str, default_port: int) -> tuple[str, int]:
    """HOST:PORT (or HOST) → (host, port), with a clear message for a port that is not a number."""
    host, sep, port = value.rpartition(":")
    if not sep:
        return value, default_port
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(value, f"the port {port!r} is not a number from 1 to 65535")
    return host or "127.0.0.1", int(port)


class Source(threading.Thread):
    def __init__(self, name: str, out: queue.Queue, stop: Stopping, log: Log):
        super().__init__(name=name, daemon=True)
        self.out, self.stop, self.log = out, stop, log
        self.finished = False  # a replay that reached its end


class TcpFeed(Source):
    """SBS-1 text or Beast binary from a receiver; reconnects after 1, 2, 4 ... 60 s when the feed drops."""

    def __init__(self, address: str, *, beast: bool, out: queue.Queue, stop: Stopping, log: Log,
                 batch_seconds: float = 1.0):
        self.host, self.port = parse_address(address, beast_reader.DEFAULT_PORT if beast else 30003)
        super().__init__(f"{'beast' if beast else 'sbs'}:{self.host}:{self.port}", out, stop, log)
        self.beast, self.batch_seconds = beast, batch_seconds

    def run(self) -> None:
        reader = beast_reader if self.beast else sbs_reader
        wait = 1.0
        while not self.stop.stopped:
            try:
                for n, report in enumerate(reader.listen(self.host, self.port, batch_seconds=self.batch_seconds,
                                                         stopped=lambda: self.stop.stopped)):
                    if n == 0:
                        self.log(f"{self.name}: connected")
                        wait = 1.0
                    self.out.put(report)
                self.log(f"{self.name}: feed closed")
            except (InputError, OSError) as exc:
                self.log(f"{self.name}: {exc}; reconnecting in {wait:.0f} s")
            if self.stop.wait(wait):
                return
            wait = min(wait * 2, 60.0)


class Replay(Source):
    """A recorded SBS-1 capture played back at `speed` times the pace of its own timestamps. A
    stretch with no message for more than `max_idle` seconds of capture time is jumped over (a
    capture of two flights weeks apart plays the flights, not the weeks between)."""

    def __init__(self, path: Path, *, speed: float, out: queue.Queue, stop: Stopping, log: Log,
                 batch_seconds: float = 0.25, max_idle: float = 60.0):
        super().__init__(f"replay:{Path(path).name}", out, stop, log)
        self.path, self.speed, self.batch_seconds = Path(path), speed, batch_seconds
        self.max_idle_ms = max_idle * 1000
        try:
            self.lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc}") from None

    def run(self) -> None:
        state = SbsState(self.name)
        began, played, previous = time.monotonic(), 0.0, None  # played: capture milliseconds replayed so far
        last_batch = began
        for line in self.lines:
            parts = line.split(",")
            at = _parse_time(parts[6], parts[7]) if len(parts) > 7 else None
            if at is not None:
                if previous is not None and at > previous:
                    played += min(at - previous, self.max_idle_ms)
                previous = at if previous is None else max(previous, at)
                due = began + played / 1000 / self.speed
                while time.monotonic() < due:
                    if self.stop.wait(min(due - time.monotonic(), self.batch_seconds)):
                        return
                    if time.monotonic() - last_batch >= self.batch_seconds:
                        last_batch = time.monotonic()
                        self.out.put(state.report())
            state.feed(line)
            if time.monotonic() - last_batch >= self.batch_seconds:
                last_batch = time.monotonic()
                self.out.put(state.report())
            if self.stop.stopped:
                return
        self.out.put(state.report())
        self.finished = True
        self.log(f"{self.name}: end of capture")


class Polled(Source):
    """A JSON snapshot fetched every `every` seconds: a receiver's readsb/tar1090 `aircraft.json`
    (or a readsb-style public API's answer), or OpenSky's REST state vectors (with an OAuth2 token
    from its client credentials when they are given). A failed poll is logged and tried again."""

    def __init__(self, url: str, *, kind: str, every: float, out: queue.Queue, stop: Stopping, log: Log,
                 allow_private: bool = False, client_id: str | None = None, client_secret: str | None = None,
                 token_url: str = OPENSKY_TOKEN_URL):
        super().__init__(f"{kind}:{url}", out, stop, log)
        self.url, self.kind, self.every, self.allow_private = url, kind, every, allow_private
        self.credentials = (client_id, client_secret) if client_id and client_secret else None
        self.token_url, self.token, self.token_expires = token_url, None, 0.0

    def run(self) -> None:
        from removalwatch.flights.readers.opensky import state_vectors
        from removalwatch.flights.readers.readsb import aircraft_snapshot
        read = state_vectors if self.kind == "opensky" else (
            lambda data, where: aircraft_snapshot(data, where, f"readsb:{where}"))
        while not self.stop.stopped:
            try:
                self.out.put(read(self._get(), self.url))
            except (InputError, ValueError) as exc:
                self.log(f"{self.name}: {exc}")
            if self.stop.wait(self.every):
                return

    def _get(self):
        import json

        from removalwatch.reports import fetch as fetching
        headers = {}
        if self.credentials:
            headers["Authorization"] = f"Bearer {self._token()}"
        fetched = fetching.fetch(self.url, max_bytes=50 * 1024 * 1024, allow_private=self.allow_private,
                                 headers=headers)
        try:
            return json.loads(fetched.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(self.url, f"not JSON: {exc}") from None

    def _token(self) -> str:
        """An OAuth2 client-credentials token, renewed a minute before it expires."""
        import httpx
        if self.token and time.monotonic() < self.token_expires:
            return self.token
        try:
            answer = httpx.post(self.token_url, data={"grant_type": "client_credentials", "client_id": self.credentials[0],
                                                      "client_secret": self.credentials[1]}, timeout=20)
            answer.raise_for_status()
            grant = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise InputError(self.token_url, f"no OpenSky token: {exc}") from None
        self.token = grant["access_token"]
        self.token_expires = time.monotonic() + float(grant.get("expires_in", 1800)) - 60
        return self.token

