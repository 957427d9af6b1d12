"""Sources of reports: files, directories, URLs and RSS/Atom feeds → Documents.

A source yields one Document (a file, a page) or several (a feed). Each kind
of input is recognised by its name or content type, then by sniffing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser

from removalwatch.domain import Document
from removalwatch.errors import InputError, SourceRefused
from removalwatch.reports import fetch as fetching
from removalwatch.reports.text import decode_text, html_fragment_to_text, html_to_article, sha256_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_HTML_EXT = {".html", ".htm", ".xhtml"}
_FEED_EXT = {".rss", ".atom", ".xml"}
_TEXT_EXT = {".txt", ".text", ".md", ""}  # a file with no extension is read as text
READABLE = _HTML_EXT | _FEED_EXT | _TEXT_EXT
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"}


@dataclass(frozen=True)
class Source:
    """One thing to read: a file path or a URL. A file found in a directory walk whose kind
    RemovalWatch does not read (.json, .csv, .pdf ...) is a source with `skipped` saying why."""

    name: str
    is_url: bool = False
    skipped: str | None = None


def expand(inputs: list[str]) -> Iterator[Source]:
    """Sources named by the inputs; directories are walked recursively in name order, hidden files skipped."""
    for item in inputs:
        if _URL.match(item):  # any scheme, so ftp:// is refused by name rather than read as a path
            yield Source(item, is_url=True)
            continue
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    ext = os.path.splitext(name)[1].lower()
                    yield Source(str(Path(root) / name), skipped=None if ext in READABLE else (
                        f"not a kind of report RemovalWatch reads ({ext}): only text, HTML and RSS/Atom feeds"))
        else:
            yield Source(item)


def _kind(name: str, content_type: str, data: bytes) -> str:
    ext = os.path.splitext(name.split("?")[0])[1].lower()
    head = data[:1024].lstrip().lower()
    if content_type in _FEED_TYPES or ext in _FEED_EXT or head.startswith((b"<rss", b"<feed", b"<rdf")) or (
        head.startswith(b"<?xml") and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf"))
    ):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml") or ext in _HTML_EXT or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _from_text(data: bytes, source: str) -> Document:
    text = decode_text(data, source)
    return Document(sha256=sha256_text(text), text=text, source=source, content_type="text/plain")


def _from_html(data: bytes, source: str) -> Document:
    article = html_to_article(decode_text(data, source), source)
    return Document(sha256=sha256_text(article["text"]), source=source, content_type="text/html", **article)


def _entry_date(entry) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*parsed[:3]) if parsed else None


def from_feed(data: bytes, source: str) -> list[Document | InputError]:
    feed = feedparser.parse(data)
    if not feed.entries and not feed.bozo:
        raise InputError(source, "feed has no entries")
    publisher = feed.feed.get("title") or None
    results: list[Document | InputError] = []
    for number, entry in enumerate(feed.entries, 1):
        where = f"{source} entry {number}"
        html = entry.content[0].value if entry.get("content") else entry.get("summary", "")
        text = html_fragment_to_text(html).strip() if html else ""
        if not text:
            results.append(InputError(where, "feed entry has no text"))
            continue
        results.append(Document(
            sha256=sha256_text(text), text=text, title=entry.get("title") or None, publisher=publisher,
            published=_entry_date(entry), source=entry.get("link") or where, content_type="application/feed+xml",
        ))
    # feedparser recovers entries from slightly broken feeds; only a feed that yields nothing is an error.
    if feed.bozo and not any(isinstance(r, Document) for r in results):
        raise InputError(source, f"malformed feed: {feed.get('bozo_exception', 'not RSS or Atom')}")
    return results


def read_source(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, allow_private: bool = False) -> list[Document | InputError]:
    """Documents read from one source; a feed entry that cannot be used is returned as its error.

    Raises InputError when the source as a whole cannot be used.
    """
    if source.is_url:
        fetched = fetching.fetch(source.name, max_bytes=max_bytes, allow_private=allow_private)
        data, content_type = fetched.body, fetched.content_type
    else:
        path = Path(source.name)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise SourceRefused(source.name, f"refused: {size:,} bytes is over the limit of {max_bytes:,} (see --max-bytes)")
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(source.name, "no such file or directory") from None
        except PermissionError:
            raise InputError(source.name, "permission denied") from None
        content_type = ""
    if not data.strip():
        raise InputError(source.name, "empty: no text to read")
    kind = _kind(source.name, content_type, data)
    if kind == "feed":
        return from_feed(data, source.name)
    if kind == "html":
        return [_from_html(data, source.name)]
    return [_from_text(data, source.name)]
