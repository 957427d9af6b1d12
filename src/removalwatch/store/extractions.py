"""Stored statements and claims: replace a document's extraction, read them back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, delete, insert, select, update

from removalwatch.domain import Extraction
from removalwatch.evidence.review import apply_reviews, items_of
from removalwatch.store.events import REJECTED, events_touched, file_document, refile_events
from removalwatch.store.records import DOCUMENT_COLUMNS, STATEMENT_COLUMNS, StoredClaim, StoredStatement
from removalwatch.store.reviews import document_reviews, note_engine_readings
from removalwatch.store.schema import claims, documents, event_countries, reviews, statement_claims, statements


def save_extraction(engine: Engine, document_id: int, extraction: Extraction, engine_version: str) -> None:
    """Replace the document's statements and claims with `extraction`, in one transaction."""
    with engine.begin() as conn:
        write_extraction(conn, document_id, extraction, engine_version)


def write_extraction(conn: Connection, document_id: int, extraction: Extraction, engine_version: str) -> None:
    """Replace the document's statements and claims, inside the caller's transaction, and file its
    claims into events. What reviewers decided about the document is applied first."""
    names = items_of(document_id, extraction)  # from the engine's reading, before any review changes it
    reviewed = document_reviews(conn, document_id)
    rejected: set[str] = set()
    if reviewed:
        extraction, readings, rejected = apply_reviews(document_id, extraction, reviewed)
        note_engine_readings(conn, readings)
    touched = events_touched(conn, document_id)
    conn.execute(delete(statements).where(statements.c.document_id == document_id))
    conn.execute(delete(claims).where(claims.c.document_id == document_id))
    claim_ids: dict[str, int] = {}
    if extraction.claims:
        rows = []
        for claim in extraction.claims:
            attributes = claim.model_dump(mode="json", exclude={"id", "span", "type"})
            rows.append(dict(document_id=document_id, local_id=claim.id, type=claim.type,
                             status=attributes.get("status"), attributes=attributes, span_start=claim.span[0],
                             span_end=claim.span[1], engine_version=engine_version, item=names[claim.id],
                             unresolved=REJECTED if claim.id in rejected else None))
        ids = conn.execute(insert(claims).returning(claims.c.id, sort_by_parameter_order=True), rows).scalars()
        claim_ids = dict(zip((c.id for c in extraction.claims), ids))
    if extraction.statements:
        rows = [dict(
            document_id=document_id, local_id=st.id, speaker_name=st.speaker.name, speaker_kind=st.speaker.kind,
            speaker_country=st.speaker.country, speaker_anonymous=st.speaker.anonymous, cue=st.cue,
            mode=st.mode, stance=st.stance, content=st.content, span_start=st.span[0], span_end=st.span[1],
            details={"speaker_span": st.speaker.span, "cue_span": st.cue_span, "content_span": st.content_span},
            engine_version=engine_version, item=names[st.id],
        ) for st in extraction.statements]
        ids = conn.execute(insert(statements).returning(statements.c.id, sort_by_parameter_order=True),
                           rows).scalars().all()
        links = [{"statement_id": sid, "claim_id": claim_ids[local]}
                 for sid, st in zip(ids, extraction.statements) for local in st.claims]
        if links:
            conn.execute(insert(statement_claims), links)
    file_document(conn, document_id)
    if touched:
        refile_events(conn, touched)


def reapply_reviews(conn: Connection, document_id: int) -> None:
    """Apply the document's reviews to its stored statements and claims in place (their ids stay, so
    links to them keep working) and file its claims into events again."""
    reviewed = document_reviews(conn, document_id)
    for row in conn.execute(select(statements).where(statements.c.document_id == document_id)).mappings().all():
        review = reviewed.get(row["item"])
        if review is None:
            continue
        if review.verdict == "rejected":
            conn.execute(delete(statement_claims).where(statement_claims.c.statement_id == row["id"]))
        elif review.corrected:
            fix = review.corrected
            conn.execute(update(statements).where(statements.c.id == row["id"]).values(
                speaker_name=fix.get("speaker", row["speaker_name"]),
                speaker_country=fix.get("speaker_country", row["speaker_country"]),
                stance=fix.get("stance", row["stance"])))
    for row in conn.execute(select(claims).where(claims.c.document_id == document_id)).mappings().all():
        review = reviewed.get(row["item"])
        if review is None:
            continue
        if review.verdict == "rejected":
            conn.execute(update(claims).where(claims.c.id == row["id"]).values(unresolved=REJECTED))
        elif review.corrected:
            attributes = {**row["attributes"], **review.corrected}
            conn.execute(update(claims).where(claims.c.id == row["id"]).values(
                attributes=attributes, status=attributes.get("status")))
    touched = events_touched(conn, document_id)
    conn.execute(update(claims).where(claims.c.document_id == document_id).values(event_id=None))
    refile_events(conn, touched)
    file_document(conn, document_id)


def extracted_version(engine: Engine, document_id: int) -> str | None:
    """The engine version that produced the document's stored extraction (None if never extracted)."""
    with engine.connect() as conn:
        for table in (statements, claims):
            version = conn.execute(
                select(table.c.engine_version).where(table.c.document_id == document_id).limit(1)).scalar()
            if version is not None:
                return version
    return None


def all_claims(engine: Engine, claim_id: int | None = None, *, document_id: int | None = None,
               country: str | None = None, types: list[str] | None = None, status: str | None = None,
               since: dt.date | None = None, until: dt.date | None = None, reviewed: bool | None = None,
               after_id: int | None = None, limit: int | None = None) -> list[StoredClaim]:
    """Stored claims (or the one with `claim_id`) with the statements linked to each, in the order
    they were stored; filtered by document, the country of their event, type, status, the day they
    speak of, and whether a person reviewed them."""
    query = select(claims, documents.c.published).join(documents, documents.c.id == claims.c.document_id)
    if claim_id is not None:
        query = query.where(claims.c.id == claim_id)
    if document_id is not None:
        query = query.where(claims.c.document_id == document_id)
    if country:
        query = query.where(claims.c.event_id.in_(select(event_countries.c.event_id)
                                                  .where(event_countries.c.country == country)))
    if types:
        query = query.where(claims.c.type.in_(types))
    if status:
        query = query.where(claims.c.status == status)
    query = _page(query, claims.c.id, claims.c.day, claims.c.item, since, until, reviewed, after_id, limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        by_claim: dict[int, list[StoredStatement]] = {}
        ids = [r["id"] for r in rows]
        for chunk in range(0, len(ids), 500):
            said = (select(statement_claims.c.claim_id, statements, *DOCUMENT_COLUMNS)
                    .join(statements, statements.c.id == statement_claims.c.statement_id)
                    .join(documents, documents.c.id == statements.c.document_id)
                    .where(statement_claims.c.claim_id.in_(ids[chunk:chunk + 500])).order_by(statements.c.id))
            for r in conn.execute(said).mappings():
                by_claim.setdefault(r["claim_id"], []).append(StoredStatement.of(r))
    return [StoredClaim(r["id"], r["document_id"], r["published"], r["type"], r["status"], r["attributes"],
                        (r["span_start"], r["span_end"]), by_claim.get(r["id"], []), r["event_id"], r["unresolved"],
                        r["item"]) for r in rows]


def _page(query, id_column, day_column, item, since, until, reviewed, after_id, limit):
    """The filters statements and claims share: a date range, reviewed or not, a page in id order."""
    if since:
        query = query.where(day_column >= since)
    if until:
        query = query.where(day_column <= until)
    if reviewed is not None:
        is_reviewed = item.in_(select(reviews.c.item))
        query = query.where(is_reviewed if reviewed else ~is_reviewed)
    if after_id is not None:
        query = query.where(id_column > after_id)
    return query.order_by(id_column).limit(limit)


def list_statements(engine: Engine, *, document_id: int | None = None, country: str | None = None,
                    stance: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                    reviewed: bool | None = None, ids: list[int] | None = None, after_id: int | None = None,
                    limit: int | None = None) -> list[StoredStatement]:
    """Statements in the order they were stored: of one document, on events concerning a country,
    with a stance, from reports published in a date range, reviewed by a person or not."""
    query = select(*STATEMENT_COLUMNS, *DOCUMENT_COLUMNS).join(documents, documents.c.id == statements.c.document_id)
    if document_id is not None:
        query = query.where(statements.c.document_id == document_id)
    if ids is not None:
        query = query.where(statements.c.id.in_(ids))
    if country:
        on_country = (select(statement_claims.c.statement_id)
                      .join(claims, claims.c.id == statement_claims.c.claim_id)
                      .join(event_countries, event_countries.c.event_id == claims.c.event_id)
                      .where(event_countries.c.country == country))
        query = query.where(statements.c.id.in_(on_country))
    if stance:
        query = query.where(statements.c.stance == stance)
    query = _page(query, statements.c.id, documents.c.published, statements.c.item, since, until, reviewed, after_id,
                  limit)
    with engine.connect() as conn:
        return [StoredStatement.of(r) for r in conn.execute(query).mappings()]
