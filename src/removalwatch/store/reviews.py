"""Reviews and the audit log: a review is written with its audit entry in one transaction, and the
reviewed document's extraction is rewritten at once so events and dossiers count the decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from removalwatch.evidence.review import Review
from removalwatch.store.schema import audit_log, reviews

_FIELDS = tuple(Review.__dataclass_fields__)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    item: str
    before: dict | None
    after: dict | None


def _review(row) -> Review:
    return Review(**{k: row[k] for k in _FIELDS})


def document_reviews(conn: Connection, document_id: int) -> dict[str, Review]:
    rows = conn.execute(select(reviews).where(reviews.c.document_id == document_id)).mappings()
    return {r["item"]: _review(r) for r in rows}


def read_reviews(engine: Engine, *, document_id: int | None = None, items: Iterable[str] | None = None,
                 kind: str | None = None) -> dict[str, Review]:
    query = select(reviews).order_by(reviews.c.id)
    if document_id is not None:
        query = query.where(reviews.c.document_id == document_id)
    if items is not None:
        query = query.where(reviews.c.item.in_(sorted(set(items))))
    if kind is not None:
        query = query.where(reviews.c.kind == kind)
    with engine.connect() as conn:
        return {r["item"]: _review(r) for r in conn.execute(query).mappings()}


def note_engine_readings(conn: Connection, now: dict[str, dict]) -> None:
    """Record what the latest extraction says of each reviewed item."""
    for item, reading in now.items():
        conn.execute(update(reviews).where(reviews.c.item == item).values(engine_now=reading))


def record_review(engine: Engine, review: Review, *, rewrite: Callable[[Connection, int], None] | None = None) -> Review:
    """Store `review` (replacing an earlier review of the same item) with its audit entry; then
    `rewrite(conn, document_id)` re-applies the document's reviews, in the same transaction."""
    row = {k: getattr(review, k) for k in _FIELDS}
    for attempt in (1, 2):  # two first reviews of one item at once: the second becomes an update
        try:
            with engine.begin() as conn:
                before = conn.execute(select(reviews).where(reviews.c.item == review.item)).mappings().first()
                if before is None:
                    conn.execute(insert(reviews).values(**row))
                else:
                    conn.execute(update(reviews).where(reviews.c.item == review.item).values(**row))
                conn.execute(insert(audit_log).values(
                    at=review.reviewed, actor=review.reviewer, action=f"review.{review.verdict}", item=review.item,
                    before=_audited(_review(before)) if before else {"engine": review.engine_said},
                    after=_audited(review)))
                if rewrite is not None and review.document_id is not None:
                    rewrite(conn, review.document_id)
            return review
        except IntegrityError:
            if attempt == 2:
                raise
    return review


def _audited(review: Review) -> dict:
    return {"verdict": review.verdict, "corrected": review.corrected, "note": review.note,
            "reviewer": review.reviewer}


def record_action(engine: Engine, actor: str, action: str, item: str, after: dict | None = None) -> None:
    """An audit entry for what is not a review (a user added, a token made)."""
    with engine.begin() as conn:
        conn.execute(insert(audit_log).values(at=dt.datetime.now(dt.timezone.utc), actor=actor, action=action,
                                              item=item, before=None, after=after))


def audit_entries(engine: Engine, *, item: str | None = None, limit: int = 100,
                  before_id: int | None = None) -> list[AuditEntry]:
    """The newest entries first (those older than `before_id`, for paging)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if item is not None:
        query = query.where(audit_log.c.item == item)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    with engine.connect() as conn:
        return [AuditEntry(**r) for r in conn.execute(query).mappings()]
