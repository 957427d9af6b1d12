"""A short-lived cache of read answers (micro-caching): the same dossier, flights page or search
asked for by many people within a few seconds is computed once.

An answer is reused for at most `seconds`, and never after this process wrote to the store (a
review bumps the generation). Writes by other processes (an ingest, the watch, another server
worker) show after at most `seconds`. Only answers that are the same for every reader are cached:
the JSON API's, never a page (pages carry the reader's name and CSRF token).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_SECONDS = 5.0
MAX_ENTRIES = 2000


class AnswerCache:
    def __init__(self, seconds: float = DEFAULT_SECONDS, max_entries: int = MAX_ENTRIES):
        self.seconds, self.max_entries = seconds, max_entries
        self.generation = 0
        self._entries: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def written(self) -> None:
        """This process changed the store: no earlier answer is reused."""
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def get(self, key: str, compute: Callable[[], bytes]) -> bytes:
        if self.seconds <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found and found[0] > now and found[1] == self.generation:
                self._entries.move_to_end(key)
                return found[2]
            generation = self.generation
        value = compute()  # outside the lock: concurrent misses compute in parallel rather than queue
        with self._lock:
            if generation == self.generation:
                self._entries[key] = (now + self.seconds, generation, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value
