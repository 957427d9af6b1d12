"""Raise the alerts a change calls for, inside the transaction that makes the change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from removalwatch.alerts.evaluate import FiledClaim, claim_alerts, flight_alerts
from removalwatch.alerts.rules import AlertConfig
from removalwatch.domain import Alert, Flight
from removalwatch.evidence.events import identity
from removalwatch.store.flights import candidate_flights
from removalwatch.store.outbox import raise_alerts
from removalwatch.store.schema import claims, documents, statement_claims, statements


class AfterDocument:
    """A hook for `add_document`: raises the alerts a newly stored report calls for, and keeps them."""

    def __init__(self, config: AlertConfig):
        self.config = config
        self.raised: list[Alert] = []

    def __call__(self, conn: Connection, document_id: int) -> None:
        self.raised += raise_for_document(conn, document_id, self.config)


def raise_for_document(conn: Connection, document_id: int, config: AlertConfig,
                       now: dt.datetime | None = None) -> list[Alert]:
    doc = conn.execute(select(documents.c.title, documents.c.sha256, documents.c.published)
                       .where(documents.c.id == document_id)).one()
    said: dict[int, list] = {}
    for claim_id, sid, who, stance, content in conn.execute(
            select(statement_claims.c.claim_id, statements.c.id, statements.c.speaker_name, statements.c.stance,
                   statements.c.content)
            .join(statements, statements.c.id == statement_claims.c.statement_id)
            .where(statements.c.document_id == document_id)):
        said.setdefault(claim_id, []).append((sid, who, stance, content))
    filed = [FiledClaim(r.id, r.event_id, r.type, r.attributes, identity(r.type, r.attributes, doc.published).countries,
                        doc.title, doc.sha256, doc.published, tuple(said.get(r.id, [])))
             for r in conn.execute(select(claims.c.id, claims.c.event_id, claims.c.type, claims.c.attributes)
                                   .where(claims.c.document_id == document_id))]
    if not filed:
        return []
    flights = candidate_flights(conn) if config.of_kind("denial_after_flight") else []
    found = claim_alerts(config, filed, flights, now or dt.datetime.now(dt.timezone.utc))
    return raise_alerts(conn, found, [c.name for c in config.channels])


def raise_for_flights(conn: Connection, legs: list[Flight], config: AlertConfig, *, now: dt.datetime | None = None,
                      extra_third: frozenset[str] = frozenset()) -> list[Alert]:
    found = [a for leg in legs for a in flight_alerts(config, leg, now or dt.datetime.now(dt.timezone.utc), extra_third)]
    return raise_alerts(conn, found, [c.name for c in config.channels])
