"""What the store hands back: statements and claims with where they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from removalwatch.store.schema import documents, statements

DOCUMENT_COLUMNS = (documents.c.title, documents.c.source, documents.c.published, documents.c.sha256)
STATEMENT_COLUMNS = (statements.c.id, statements.c.document_id, statements.c.speaker_name, statements.c.speaker_country,
                     statements.c.stance, statements.c.content, statements.c.span_start, statements.c.span_end,
                     statements.c.cue, statements.c.item)


@dataclass(frozen=True)
class StoredStatement:
    id: int
    document_id: int
    document_title: str | None
    speaker: str
    speaker_country: str | None
    stance: str
    content: str
    span: tuple[int, int]
    cue: str | None = None
    document_source: str | None = None
    document_published: dt.date | None = None
    document_sha256: str | None = None
    item: str | None = None  # the name a review of it is kept under (evidence/review.py)

    @classmethod
    def of(cls, row) -> "StoredStatement":
        """From a row of `statements` joined with its document's title, source, published, sha256."""
        return cls(row["id"], row["document_id"], row["title"], row["speaker_name"], row["speaker_country"],
                   row["stance"], row["content"], (row["span_start"], row["span_end"]), row["cue"],
                   row["source"], row["published"], row["sha256"], row["item"])


@dataclass(frozen=True)
class StoredClaim:
    id: int
    document_id: int
    document_published: dt.date | None
    type: str
    status: str | None
    attributes: dict
    span: tuple[int, int]
    statements: list[StoredStatement]
    event_id: int | None = None
    unresolved: str | None = None  # why it is in no event
    item: str | None = None  # the name a review of it is kept under
