"""Exceptions raised by RemovalWatch.

    RemovalWatchError
     ├── InputError     a file, URL, line or field that cannot be used (names it)
     │    └── SourceRefused   a URL that policy forbids fetching (private address, too large)
     └── StoreError     the evidence store cannot be opened, migrated or written

The library raises; the CLI and web layer turn these into one-line messages.
"""

from __future__ import annotations


class RemovalWatchError(Exception):
    """Base class for every error RemovalWatch raises on purpose."""


class InputError(RemovalWatchError):
    """An input that cannot be used. `source` names the file or URL, `line` and
    `field` where known, so the user can find the problem."""

    def __init__(self, source: str, message: str, *, line: int | None = None, field: str | None = None):
        self.source = source
        self.line = line
        self.field = field
        self.reason = message
        where = source + (f", line {line}" if line is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


class SourceRefused(InputError):
    """Fetching this source is refused by policy, not by failure."""


class StoreError(RemovalWatchError):
    """The evidence store cannot be used as asked."""
