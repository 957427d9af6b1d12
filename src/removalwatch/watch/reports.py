"""Report sources for `watch`: RSS/Atom feeds polled with conditional GET (only what changed is
downloaded), and folders where new files appear. New reports are stored as `reports add` stores
them, raising their alerts in the same transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.domain import Document
from removalwatch.errors import InputError
from removalwatch.reports import fetch as fetching
from removalwatch.reports.ingest import extraction_of
from removalwatch.reports.sources import DEFAULT_MAX_BYTES, Source, expand, from_feed, read_source
from removalwatch.store.documents import add_document


@dataclass
class FeedPoller:
    url: str
    every: float
    allow_private: bool = False
    etag: str | None = None
    last_modified: str | None = None
    due: float = 0.0

    def poll(self) -> list[Document]:
        """The feed's entries when it changed since the last poll (none when the server says 304)."""
        self.due = time.monotonic() + self.every
        fetched = fetching.fetch(self.url, max_bytes=DEFAULT_MAX_BYTES, allow_private=self.allow_private,
                                 etag=self.etag, last_modified=self.last_modified)
        if fetched.not_modified:
            return []
        self.etag, self.last_modified = fetched.etag, fetched.last_modified
        return [d for d in from_feed(fetched.body, self.url) if isinstance(d, Document)]


SETTLE_SECONDS = 2.0  # a file changed more recently may still be being written


@dataclass
class FolderPoller:
    folder: Path
    every: float
    seen: set[tuple] = field(default_factory=set)  # (path, size, modified): a rewritten file is read again
    due: float = 0.0

    def poll(self) -> list[Document]:
        """Documents from files new or changed since the last poll, once they have stopped changing
        (the store skips texts it already has)."""
        self.due = time.monotonic() + self.every
        found = []
        for source in expand([str(self.folder)]):
            try:
                stat = Path(source.name).stat()
            except OSError:
                continue
            state = (source.name, stat.st_size, stat.st_mtime)
            if source.skipped or state in self.seen or time.time() - stat.st_mtime < SETTLE_SECONDS:
                continue
            self.seen.add(state)
            try:
                found += [d for d in read_source(Source(source.name)) if isinstance(d, Document)]
            except InputError:
                continue  # an unreadable file is skipped here as `reports add` would report it
        return found


def store_reports(engine: Engine, documents: list[Document], after) -> int:
    """Store new reports (each text once); returns how many were new."""
    return sum(add_document(engine, doc, extract=extraction_of, after=after).added for doc in documents)
