"""Stored statements and claims: replace a document's extraction, read them back."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, select

from removalwatch.domain import Extraction
from removalwatch.store.events import events_touched, file_document, refile_events
from removalwatch.store.records import DOCUMENT_COLUMNS, StoredClaim, StoredStatement
from removalwatch.store.schema import claims, documents, statement_claims, statements


def save_extraction(engine: Engine, document_id: int, extraction: Extraction, engine_version: str) -> None:
    """Replace the document's statements and claims with `extraction`, in one transaction."""
    with engine.begin() as conn:
        write_extraction(conn, document_id, extraction, engine_version)


def write_extraction(conn: Connection, document_id: int, extraction: Extraction, engine_version: str) -> None:
    """Replace the document's statements and claims, inside the caller's transaction, and file its
    claims into events."""
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
                             span_end=claim.span[1], engine_version=engine_version))
        ids = conn.execute(insert(claims).returning(claims.c.id, sort_by_parameter_order=True), rows).scalars()
        claim_ids = dict(zip((c.id for c in extraction.claims), ids))
    if extraction.statements:
        rows = [dict(
            document_id=document_id, local_id=st.id, speaker_name=st.speaker.name, speaker_kind=st.speaker.kind,
            speaker_country=st.speaker.country, speaker_anonymous=st.speaker.anonymous, cue=st.cue,
            mode=st.mode, stance=st.stance, content=st.content, span_start=st.span[0], span_end=st.span[1],
            details={"speaker_span": st.speaker.span, "cue_span": st.cue_span, "content_span": st.content_span},
            engine_version=engine_version,
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


def extracted_version(engine: Engine, document_id: int) -> str | None:
    """The engine version that produced the document's stored extraction (None if never extracted)."""
    with engine.connect() as conn:
        for table in (statements, claims):
            version = conn.execute(
                select(table.c.engine_version).where(table.c.document_id == document_id).limit(1)).scalar()
            if version is not None:
                return version
    return None


def all_claims(engine: Engine, claim_id: int | None = None) -> list[StoredClaim]:
    """Every stored claim (or the one with `claim_id`) with the statements linked to it."""
    query = select(claims, documents.c.published).join(documents, documents.c.id == claims.c.document_id)
    said = (select(statement_claims.c.claim_id, statements, *DOCUMENT_COLUMNS)
            .join(statements, statements.c.id == statement_claims.c.statement_id)
            .join(documents, documents.c.id == statements.c.document_id))
    if claim_id is not None:
        query, said = query.where(claims.c.id == claim_id), said.where(statement_claims.c.claim_id == claim_id)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(claims.c.id)).mappings().all()
        links = conn.execute(said.order_by(statements.c.id)).mappings().all()
    by_claim: dict[int, list[StoredStatement]] = {}
    for r in links:
        by_claim.setdefault(r["claim_id"], []).append(StoredStatement.of(r))
    return [StoredClaim(r["id"], r["document_id"], r["published"], r["type"], r["status"], r["attributes"],
                        (r["span_start"], r["span_end"]), by_claim.get(r["id"], []), r["event_id"], r["unresolved"])
            for r in rows]
