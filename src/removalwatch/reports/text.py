"""Bytes to the text every span indexes into.

Text is decoded as UTF-8 and its line endings normalised the way Python's
text mode does, so offsets agree with `Path.read_text()`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import trafilatura

from removalwatch.errors import InputError

_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP or Office file", b"\x89PNG": "a PNG image",
          b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "gzip-compressed"}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text with universal newlines, or an InputError that says what the bytes are."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"binary file ({what}); RemovalWatch reads plain text, HTML and RSS/Atom feeds")
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file (contains NUL bytes); RemovalWatch reads plain text, HTML and RSS/Atom feeds")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8 first"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty: no text to read")
    return text


def parse_date(value: str | None) -> dt.date | None:
    """The date part of an ISO-like date string, or None when there is none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def html_to_article(html: str, source: str) -> dict:
    """Main text and metadata of an HTML page (title, publisher, published)."""
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, favor_recall=True, include_comments=False, include_tables=False,
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError(source, "HTML with no article text (navigation, scripts or an empty page)")
    return {
        "text": text,
        "title": extracted.title or None,
        "publisher": extracted.sitename or extracted.hostname or None,
        "published": parse_date(extracted.date),
    }


def html_fragment_to_text(html: str) -> str:
    """Text of an HTML fragment such as a feed entry's content: keep every paragraph."""
    text = trafilatura.extract(f"<html><body><article>{html}</article></body></html>", favor_recall=True)
    return text or trafilatura.html2txt(html) or ""
