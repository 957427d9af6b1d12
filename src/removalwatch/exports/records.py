"""Statements and claims as CSV, for researchers who count and quote in a spreadsheet.

Every CSV export goes through `csv_table`, which neutralises spreadsheet formulas: a report's text
is written by strangers, and a cell such as `=HYPERLINK(...)` must be shown, never run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence

from removalwatch.store.records import StoredClaim, StoredStatement

# A spreadsheet reads a text cell starting with one of these as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

STATEMENT_COLUMNS = (
    "id", "document_id", "document_title", "document_source", "document_published", "speaker",
    "speaker_country", "stance", "cue", "content", "span_start", "span_end", "document_sha256",
)
CLAIM_COLUMNS = (
    "id", "document_id", "published", "type", "status", "event_id", "unresolved", "span_start", "span_end",
    "attributes", "statement_ids",
)


def spreadsheet_cell(value):
    """A CSV cell a spreadsheet shows as written: text that would start a formula gets a leading
    apostrophe; numbers stay numbers, dates become ISO 8601, booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_table(columns: Sequence[str], rows: Iterable[Mapping]) -> str:
    """A header and one line per row, every cell through `spreadsheet_cell`. Lines end in CRLF
    (RFC 4180): write the text to a file opened with newline=""."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([spreadsheet_cell(row[column]) for column in columns] for row in rows)
    return out.getvalue()


def statements_csv(statements: Iterable[StoredStatement]) -> str:
    """One line per statement: who said it, with what stance, where (document, span, sha256)."""
    return csv_table(STATEMENT_COLUMNS, (
        {"id": s.id, "document_id": s.document_id, "document_title": s.document_title,
         "document_source": s.document_source, "document_published": s.document_published,
         "speaker": s.speaker, "speaker_country": s.speaker_country, "stance": s.stance, "cue": s.cue,
         "content": s.content, "span_start": s.span[0], "span_end": s.span[1],
         "document_sha256": s.document_sha256}
        for s in statements))


def claims_csv(claims: Iterable[StoredClaim]) -> str:
    """One line per claim: its type and status, the event it is filed in (or why none), its
    attributes as compact JSON and the ids of the statements that make it."""
    return csv_table(CLAIM_COLUMNS, (
        {"id": c.id, "document_id": c.document_id, "published": c.document_published, "type": c.type,
         "status": c.status, "event_id": c.event_id, "unresolved": c.unresolved,
         "span_start": c.span[0], "span_end": c.span[1],
         "attributes": json.dumps(c.attributes, separators=(",", ":"), sort_keys=True, ensure_ascii=False,
                                  default=str),
         "statement_ids": "; ".join(str(s.id) for s in c.statements)}
        for c in claims))
