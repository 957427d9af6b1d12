"""A clean stop on SIGTERM or Ctrl-C: loops ask `stop.wait(seconds)` instead of sleeping."""

from __future__ import annotations

import signal
import threading


class Stopping:
    def __init__(self):
        self.event = threading.Event()
        self._previous: dict = {}

    def __enter__(self) -> "Stopping":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._previous[sig] = signal.signal(sig, lambda *_: self.event.set())
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    @property
    def stopped(self) -> bool:
        return self.event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when a stop was asked for."""
        return self.event.wait(seconds)
