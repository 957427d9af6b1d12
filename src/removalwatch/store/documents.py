"""Stored documents: add one idempotently, list them with what was found in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from collections.abc import Callable

from removalwatch.domain import Document, Extraction
from removalwatch.store.extractions import write_extraction
from removalwatch.store.schema import claims, documents, statements


@dataclass(frozen=True)
class StoredDocument:
    id: int
    added: bool  # False when the same text was already stored


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    title: str | None
    publisher: str | None
    published: dt.date | None
    source: str | None
    sha256: str
    statements: int
    claims: int


def _insert(engine: Engine):
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert


def add_document(engine: Engine, doc: Document,
                 extract: Callable[[Document], tuple[Extraction, str]] | None = None,
                 after: Callable[[Connection, int], object] | None = None) -> StoredDocument:
    """Store `doc` unless a document with the same text (sha256) is already stored.

    `extract(doc)` gives a new document's statements and claims (and the engine version), stored
    in the same transaction: an interrupted ingest keeps whole documents, never half of one.
    `after(conn, id)` runs in that transaction too, for a new document (alerts it raises).
    """
    row = doc.model_dump(exclude={"id"})
    row["added_at"] = dt.datetime.now(dt.timezone.utc)
    stmt = _insert(engine)(documents).values(**row).on_conflict_do_nothing(index_elements=["sha256"])
    with engine.begin() as conn:
        result = conn.execute(stmt.returning(documents.c.id))
        new_id = result.scalar()
        if new_id is not None:
            if extract is not None:
                write_extraction(conn, new_id, *extract(doc))
            if after is not None:
                after(conn, new_id)
            return StoredDocument(new_id, True)
        existing = conn.execute(select(documents.c.id).where(documents.c.sha256 == doc.sha256)).scalar_one()
        return StoredDocument(existing, False)


def get_document(engine: Engine, document_id: int) -> Document | None:
    with engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == document_id)).mappings().first()
    if row is None:
        return None
    return Document(**{k: v for k, v in row.items() if k != "added_at"})


def list_documents(engine: Engine, *, after_id: int | None = None, limit: int | None = None) -> list[DocumentSummary]:
    """Documents in the order they were stored (a page of them: those after `after_id`, `limit` at most)."""
    n_statements = (
        select(func.count()).where(statements.c.document_id == documents.c.id).scalar_subquery()
    )
    n_claims = select(func.count()).where(claims.c.document_id == documents.c.id).scalar_subquery()
    query = select(
        documents.c.id, documents.c.title, documents.c.publisher, documents.c.published,
        documents.c.source, documents.c.sha256,
        n_statements.label("statements"), n_claims.label("claims"),
    ).order_by(documents.c.id)
    if after_id is not None:
        query = query.where(documents.c.id > after_id)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [DocumentSummary(**row) for row in conn.execute(query).mappings()]


def count_documents(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(documents)).scalar_one()
