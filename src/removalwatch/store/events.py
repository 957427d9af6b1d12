"""Stored events: each document's claims filed into events as the document is written.

Filing is incremental: a new document adds its counts to the events its claims join (found by an
indexed type and key), so asking for contested events or a country's events never re-reads every
claim. Replacing a document's extraction recomputes the few events it had touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, text, true, update

from removalwatch.evidence.events import OPPOSES, SUPPORTS, Identity, event_status, identity, merge_attributes, within
from removalwatch.store.records import DOCUMENT_COLUMNS, STATEMENT_COLUMNS, StoredStatement
from removalwatch.store.schema import claims, documents, event_countries, events, statement_claims, statements


@dataclass
class _Share:
    """What one document's claims bring to one event."""

    identity: Identity
    attributes: dict
    claim_ids: list[int] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)
    supporting: set[int] = field(default_factory=set)
    opposing: set[int] = field(default_factory=set)
    party_confirmed: bool = False


def events_touched(conn: Connection, document_id: int) -> set[int]:
    """The events a document's stored claims are in (read before its extraction is replaced)."""
    return set(conn.execute(select(claims.c.event_id).where(
        claims.c.document_id == document_id, claims.c.event_id.is_not(None))).scalars())


REJECTED = "rejected by a reviewer"  # a claim's `unresolved` when a person rejected it: it joins no event


def _filable(where):
    return and_(where, or_(claims.c.unresolved.is_(None), claims.c.unresolved != REJECTED))


def file_document(conn: Connection, document_id: int) -> None:
    """File the document's stored claims into events, creating events as needed (not those a
    reviewer rejected)."""
    published = conn.execute(select(documents.c.published).where(documents.c.id == document_id)).scalar()
    rows = conn.execute(select(claims.c.id, claims.c.type, claims.c.attributes)
                        .where(_filable(claims.c.document_id == document_id)).order_by(claims.c.id)).all()
    if not rows:
        return
    said = conn.execute(
        select(statement_claims.c.claim_id, statements.c.id, statements.c.stance, statements.c.speaker_country)
        .join(statements, statements.c.id == statement_claims.c.statement_id)
        .where(statements.c.document_id == document_id)).all()
    by_claim: dict[int, list] = {}
    for claim_id, statement_id, stance, country in said:
        by_claim.setdefault(claim_id, []).append((statement_id, stance, country))

    shares: dict[int, _Share] = {}
    for claim_id, claim_type, attributes in rows:
        ident = identity(claim_type, attributes, published)
        if ident.key is None:
            conn.execute(update(claims).where(claims.c.id == claim_id).values(
                day=ident.day, unresolved=f"not in an event: the claim {ident.unresolved}"))
            continue
        event_id = _event_for(conn, ident, attributes, shares)
        share = shares.setdefault(event_id, _Share(ident, {}))
        share.attributes = merge_attributes(claim_type, share.attributes, attributes)
        share.claim_ids.append(claim_id)
        if ident.day:
            share.days.append(ident.day)
        for statement_id, stance, country in by_claim.get(claim_id, []):
            if stance in SUPPORTS:
                share.supporting.add(statement_id)
                share.party_confirmed |= country in ident.countries
            elif stance in OPPOSES:
                share.opposing.add(statement_id)
        conn.execute(update(claims).where(claims.c.id == claim_id).values(event_id=event_id, day=ident.day,
                                                                             unresolved=None))
    for event_id, share in shares.items():
        _add_share(conn, event_id, share)


def refile_events(conn: Connection, event_ids: Iterable[int]) -> None:
    """Recompute events from the claims left in them; drop those left empty."""
    for event_id in sorted(set(event_ids)):
        row = conn.execute(select(events.c.type).where(events.c.id == event_id)).first()
        if row is None:
            continue
        members = conn.execute(select(claims.c.id, claims.c.attributes, claims.c.day, claims.c.document_id)
                               .where(claims.c.event_id == event_id)).all()
        if not members:
            conn.execute(delete(events).where(events.c.id == event_id))
            continue
        attributes: dict = {}
        for _, attrs, _, _ in members:
            attributes = merge_attributes(row.type, attributes, attrs)
        said = conn.execute(
            select(statements.c.id, statements.c.stance, statements.c.speaker_country).distinct()
            .join(statement_claims, statement_claims.c.statement_id == statements.c.id)
            .join(claims, claims.c.id == statement_claims.c.claim_id)
            .where(claims.c.event_id == event_id)).all()
        countries = set()
        for _, attrs, _, _ in members:
            countries |= identity(row.type, attrs, None).countries
        supporting = sum(1 for _, stance, _ in said if stance in SUPPORTS)
        opposing = sum(1 for _, stance, _ in said if stance in OPPOSES)
        confirmed = any(stance in SUPPORTS and country in countries for _, stance, country in said)
        days = [day for _, _, day, _ in members if day]
        conn.execute(update(events).where(events.c.id == event_id).values(
            countries=sorted(countries), attributes=attributes, claims=len(members),
            documents=len({doc for *_, doc in members}), supporting=supporting, opposing=opposing,
            party_confirmed=confirmed, first_day=min(days, default=None), last_day=max(days, default=None),
            status=event_status(supporting, opposing, confirmed)))
        _add_countries(conn, event_id, countries)


def rebuild_events(conn: Connection) -> int:
    """File every stored claim anew (after an upgrade, or to apply new event rules); returns the events."""
    conn.execute(update(claims).where(_filable(true())).values(event_id=None, unresolved=None))
    conn.execute(delete(event_countries))
    conn.execute(delete(events))
    for document_id in conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars().all():
        file_document(conn, document_id)
    return conn.execute(select(func.count()).select_from(events)).scalar_one()


def _lock(conn: Connection, ident: Identity) -> None:
    """On PostgreSQL, writers filing claims of one key wait for each other, so they agree on one event."""
    if conn.dialect.name == "postgresql":
        digest = hashlib.sha256(f"{ident.type}|{ident.key}".encode()).digest()
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int.from_bytes(digest[:8], "big", signed=True)})


def _event_for(conn: Connection, ident: Identity, attributes: dict, shares: dict[int, _Share]) -> int:
    """The event this claim joins (one this document already joined, else a stored one), or a new one."""
    for event_id, share in shares.items():
        if share.identity.type == ident.type and share.identity.key == ident.key and within(
                ident, min(share.days, default=None), max(share.days, default=None)):
            return event_id
    _lock(conn, ident)
    candidates = conn.execute(select(events.c.id, events.c.first_day, events.c.last_day).where(
        events.c.type == ident.type, events.c.key == ident.key).order_by(events.c.id)).all()
    for event_id, first, last in candidates:
        if within(ident, first, last):
            return event_id
    return conn.execute(insert(events).values(
        type=ident.type, key=ident.key, countries=sorted(ident.countries), first_day=ident.day, last_day=ident.day,
        attributes={}, status="reported", claims=0, documents=0, supporting=0, opposing=0, party_confirmed=False,
    ).returning(events.c.id)).scalar_one()


def _add_share(conn: Connection, event_id: int, share: _Share) -> None:
    row = conn.execute(select(events).where(events.c.id == event_id)).mappings().one()
    days = [d for d in (row["first_day"], row["last_day"], *share.days) if d]
    supporting = row["supporting"] + len(share.supporting)
    opposing = row["opposing"] + len(share.opposing)
    confirmed = row["party_confirmed"] or share.party_confirmed
    countries = set(row["countries"]) | share.identity.countries
    conn.execute(update(events).where(events.c.id == event_id).values(
        countries=sorted(countries),
        attributes=merge_attributes(row["type"], row["attributes"], share.attributes),
        claims=row["claims"] + len(share.claim_ids), documents=row["documents"] + 1,
        supporting=supporting, opposing=opposing, party_confirmed=confirmed,
        first_day=min(days, default=None), last_day=max(days, default=None),
        status=event_status(supporting, opposing, confirmed)))
    _add_countries(conn, event_id, countries - set(row["countries"]) if row["claims"] else countries)


def _add_countries(conn: Connection, event_id: int, countries: set[str]) -> None:
    known = set(conn.execute(select(event_countries.c.country).where(event_countries.c.event_id == event_id)).scalars())
    new = sorted(set(countries) - known)
    if new:
        conn.execute(insert(event_countries), [{"event_id": event_id, "country": c} for c in new])


@dataclass(frozen=True)
class StoredEvent:
    id: int
    type: str
    key: str
    countries: list[str]
    first_day: dt.date | None
    last_day: dt.date | None
    attributes: dict
    status: str
    claims: int
    documents: int
    supporting: int
    opposing: int
    party_confirmed: bool
    statements: list[StoredStatement]


def read_events(engine: Engine, *, contested: bool = False, country: str | None = None,
                types: Iterable[str] | None = None, ids: Iterable[int] | None = None,
                with_statements: bool = False, after_id: int | None = None, limit: int | None = None,
                ) -> list[StoredEvent]:
    """Events, by indexed queries: all, only contested ones, or those concerning a country; with
    every statement about each when asked (`read_voices` groups them by speaker instead)."""
    query = select(events).order_by(events.c.first_day, events.c.id)
    if contested:
        query = query.where(events.c.status == "contested")
    if country:
        query = query.where(events.c.id.in_(select(event_countries.c.event_id).where(event_countries.c.country == country)))
    if types:
        query = query.where(events.c.type.in_(list(types)))
    if ids is not None:
        query = query.where(events.c.id.in_(list(ids)))
    if after_id is not None or limit is not None:  # a page: in the order events were created
        query = query.order_by(None).order_by(events.c.id)
        if after_id is not None:
            query = query.where(events.c.id > after_id)
        if limit is not None:
            query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        said: dict[int, list[StoredStatement]] = {}
        ids = [r["id"] for r in rows]
        if with_statements and ids:
            for chunk in range(0, len(ids), 500):
                found = conn.execute(
                    select(claims.c.event_id, *STATEMENT_COLUMNS, *DOCUMENT_COLUMNS).distinct()
                    .join(statement_claims, statement_claims.c.claim_id == claims.c.id)
                    .join(statements, statements.c.id == statement_claims.c.statement_id)
                    .join(documents, documents.c.id == statements.c.document_id)
                    .where(claims.c.event_id.in_(ids[chunk:chunk + 500]))
                    .order_by(documents.c.published, statements.c.id)).mappings()
                for r in found:
                    said.setdefault(r["event_id"], []).append(StoredStatement.of(r))
    return [StoredEvent(**{k: r[k] for k in StoredEvent.__dataclass_fields__ if k != "statements"},
                        statements=said.get(r["id"], [])) for r in rows]


def event_countries_named(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(event_countries.c.country).distinct()).scalars())


def unresolved_claims(engine: Engine) -> list[tuple[int, str, str]]:
    """(claim id, type, why) of claims in no event."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(claims.c.id, claims.c.type, claims.c.unresolved)
                                               .where(claims.c.unresolved.is_not(None)).order_by(claims.c.id))]


@dataclass(frozen=True)
class Voice:
    """One speaker's stance on one event: how often and in how many reports, and the first and
    latest of those statements (by when they were stored)."""

    event_id: int
    speaker: str
    speaker_country: str | None
    stance: str
    statements: int
    reports: int
    first: StoredStatement
    latest: StoredStatement


def read_voices(engine: Engine, event_ids: Iterable[int], *, most: int | None = None) -> dict[int, list[Voice]]:
    """The voices on each event, grouped in the database: as many rows as speakers, however many
    reports. With `most`, only that many per event and stance, those heard in the most reports."""
    ids = sorted(set(event_ids))
    grouped, wanted = [], set()
    with engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            rows = conn.execute(
                select(claims.c.event_id, statements.c.speaker_name, statements.c.speaker_country, statements.c.stance,
                       func.count(statements.c.id.distinct()), func.count(statements.c.document_id.distinct()),
                       func.min(statements.c.id), func.max(statements.c.id))
                .join(statement_claims, statement_claims.c.claim_id == claims.c.id)
                .join(statements, statements.c.id == statement_claims.c.statement_id)
                .where(claims.c.event_id.in_(ids[chunk:chunk + 500]))
                .group_by(claims.c.event_id, statements.c.speaker_name, statements.c.speaker_country,
                          statements.c.stance)).all()
            if most is not None:
                ranked: dict[tuple, list] = {}
                for r in sorted(rows, key=lambda r: (-r[5], r[1])):
                    ranked.setdefault((r[0], r[3]), []).append(r)
                rows = [r for group in ranked.values() for r in group[:most]]
            grouped += rows
            wanted |= {r[6] for r in rows} | {r[7] for r in rows}
        found: dict[int, StoredStatement] = {}
        wanted_ids = sorted(wanted)
        for chunk in range(0, len(wanted_ids), 500):
            for r in conn.execute(select(*STATEMENT_COLUMNS, *DOCUMENT_COLUMNS)
                                  .join(documents, documents.c.id == statements.c.document_id)
                                  .where(statements.c.id.in_(wanted_ids[chunk:chunk + 500]))).mappings():
                found[r["id"]] = StoredStatement.of(r)
    voices: dict[int, list[Voice]] = {}
    for event_id, speaker, country, stance, n, reports, first, latest in grouped:
        voices.setdefault(event_id, []).append(Voice(event_id, speaker, country, stance, n, reports,
                                                     found[first], found[latest]))
    for group in voices.values():
        group.sort(key=lambda v: (-v.reports, v.speaker))
    return voices
