"""A short-lived cache of read answers (micro-caching): the same dossier, flights page or search
asked for by many people within a few seconds is computed once.

An answer is reused for at most `seconds`, and never after this process wrote to the store (a
review bumps the generation). Writes by other processes (an ingest, the watch, another server
worker) show after at most `seconds`. Only answers that are the same for every reader are cached:
the JSON API's, never a page (pages carry the reader's name and CSRF token).

Under load, answers are computed once each: readers asking for an answer being computed wait for
it rather than compute it again, and once an answer has expired, one reader computes the new one
while the others are given the expired one (so an answer may be up to twice `seconds` old, never
older, and never from before this process's last write). The cache holds at most `max_bytes`,
the least recently used answers going first; a larger answer is not kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_SECONDS = 5.0
MAX_BYTES = 64 * 1024 * 1024


class AnswerCache:
    def __init__(self, seconds: float = DEFAULT_SECONDS, max_bytes: int = MAX_BYTES):
        self.seconds, self.max_bytes = seconds, max_bytes
        self.generation = 0
        self._entries: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._size = 0
        self._computing: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def written(self) -> None:
        """This process changed the store: no earlier answer is reused."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._size = 0

    def _fresh(self, key: str, *, stale: bool = False) -> bytes | None:
        found = self._entries.get(key)
        if found and found[1] == self.generation and (found[0] > time.monotonic() or
                                                      stale and found[0] + self.seconds > time.monotonic()):
            self._entries.move_to_end(key)
            return found[2]
        return None

    def get(self, key: str, compute: Callable[[], bytes]) -> bytes:
        if self.seconds <= 0:
            return compute()
        with self._lock:
            found = self._fresh(key, stale=key in self._computing)  # another reader is refreshing it
            if found is not None:
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # one reader computes; the others wait here and take its answer
            with self._lock:
                found = self._fresh(key)
                if found is not None:
                    return found
                generation = self.generation
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                if generation == self.generation and len(value) <= self.max_bytes // 8:
                    self._keep(key, value)
            return value

    def _keep(self, key: str, value: bytes) -> None:
        old = self._entries.pop(key, None)
        self._size -= len(old[2]) if old else 0
        self._entries[key] = (time.monotonic() + self.seconds, self.generation, value)
        self._size += len(value)
        while self._size > self.max_bytes:
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self._size -= len(dropped)
