"""A receiver's live TCP feed, read in batches: shared by the SBS-1 and Beast readers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

from removalwatch.errors import InputError
from removalwatch.flights.positions import ReadReport


def listen(source: str, host: str, port: int, on_bytes: Callable[[bytes], None], report: Callable[[], ReadReport], *,
           batch_seconds: float, max_seconds: float | None, connect_timeout: float = 10.0,
           stopped: Callable[[], bool] = lambda: False) -> Iterator[ReadReport]:
    """Feed every received chunk to `on_bytes`; yield `report()` every `batch_seconds` and once
    more when the feed closes, `max_seconds` have passed or `stopped()` says so."""
    try:
        sock = socket.create_connection((host, port), timeout=connect_timeout)
    except OSError as exc:
        raise InputError(source, f"cannot connect: {exc}") from None
    started = last = time.monotonic()
    sock.settimeout(1.0)
    with sock:
        while (max_seconds is None or time.monotonic() - started < max_seconds) and not stopped():
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                chunk = None
            if chunk == b"":
                break
            if chunk:
                on_bytes(chunk)
            if time.monotonic() - last >= batch_seconds:
                last = time.monotonic()
                yield report()
    yield report()
