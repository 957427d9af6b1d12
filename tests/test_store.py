"""The evidence store: migrations, round trips and idempotence, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from removalwatch.domain import Document
from removalwatch.reports.text import sha256_text
from removalwatch.store import current_revision, head_revision
from removalwatch.store.documents import add_document, get_document, list_documents
from removalwatch.store.schema import metadata


def schema_diff(conn) -> list:
    """What the migrated store has that store/schema.py does not say, or the reverse; full-text search
    tables, columns and indexes (named fts, *_fts*) are the dialect's own and left out of schema.py."""
    def described(name, type_, parent) -> bool:
        return "fts" not in (name or "")
    return compare_metadata(MigrationContext.configure(conn, opts={"include_name": described}), metadata)


def make_document(text: str = "Officials said a flight to Libya is planned.", **fields) -> Document:
    return Document(sha256=sha256_text(text), text=text, **fields)


def test_new_store_is_migrated_to_head_and_matches_the_schema(engine):
    from alembic.script import ScriptDirectory
    from removalwatch.store.database import _MIGRATIONS
    assert head_revision() == ScriptDirectory(_MIGRATIONS).get_current_head()  # our quick reading is Alembic's
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == current_revision(engine)
        diff = schema_diff(conn)
    assert diff == [], f"migrations and store/schema.py disagree: {diff}"


def test_document_round_trip_keeps_every_field(engine):
    import datetime as dt
    doc = make_document("Ein Bericht über Flüge nach Libyen — “quoted” text.\n", title="Libya flight",
                        publisher="Example News", published=dt.date(2025, 5, 7),
                        source="https://example.org/a", content_type="text/html")
    stored = add_document(engine, doc)
    assert stored.added
    assert get_document(engine, stored.id) == doc.model_copy(update={"id": stored.id})


def test_same_text_twice_is_one_document(engine):
    first = add_document(engine, make_document(source="a.txt"))
    second = add_document(engine, make_document(source="copy-of-a.txt"))
    assert (first.added, second.added) == (True, False)
    assert second.id == first.id
    summaries = list_documents(engine)
    assert [(s.id, s.source, s.statements, s.claims) for s in summaries] == [(first.id, "a.txt", 0, 0)]


def test_different_texts_are_different_documents(engine):
    add_document(engine, make_document("One report."))
    add_document(engine, make_document("Another report."))
    assert len(list_documents(engine)) == 2


def test_flights_of_an_older_store_survive_the_missions_migration(store_settings):
    """A store at 0002 (flights without missions) upgrades with its flights kept; `flights rebuild`
    then gives them roles."""
    import datetime as dt

    from sqlalchemy import text

    from removalwatch.store import create_store_engine, upgrade
    from removalwatch.store.flights import list_flights
    engine = create_store_engine(store_settings)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO flights (icao24, callsign, first_seen, last_seen, takeoff_airport, landing_airport, "
            "landing_observed, airport_confidence, origin_country, destination_country, predicted, removal_score, "
            "reasons, third_country, positions, track, source) VALUES ('ae07e1', 'RCH4451', :t, :t, 'KSKF', 'HLMS', "
            ":yes, 0.9, 'US', 'LY', '[]', 1.0, '[]', :yes, 10, '[]', 'adsb')"),
            {"t": dt.datetime(2025, 5, 7, 14, tzinfo=dt.timezone.utc), "yes": True})
    assert upgrade(engine) == head_revision()
    [flight] = list_flights(engine)
    assert (flight.takeoff_airport, flight.landing_airport, flight.landing_basis) == ("KSKF", "HLMS", "observed")
    assert flight.role == "unknown" and flight.leg_key.startswith("ae07e1|2025-05-07") and flight.gaps == []
    with engine.connect() as conn:
        diff = schema_diff(conn)
    assert diff == []
    engine.dispose()


def test_flights_to_a_country_are_those_that_landed_there_or_are_predicted_there(engine):
    import datetime as dt

    from removalwatch.domain import Flight, PredictedDestination
    from removalwatch.store.flights import add_flights, list_flights
    t = dt.datetime(2025, 5, 7, 14, tzinfo=dt.timezone.utc)

    def leg(key, **fields):
        return Flight(icao24="ae07e1", first_seen=t, last_seen=t, leg_key=key, removal_score=0.9, **fields)
    add_flights(engine, [
        leg("landed", callsign="LANDED", landing_airport="HLMS", destination_country="LY"),
        leg("predicted", callsign="PREDICTED", predicted=[PredictedDestination(airport="HLLT", country="LY", score=0.7),
                                                          PredictedDestination(airport="DTTA", country="TN", score=0.2)]),
        leg("elsewhere", callsign="ELSEWHERE", predicted=[PredictedDestination(airport="DTTA", country="TN", score=0.8),
                                                          PredictedDestination(airport="HLLT", country="LY", score=0.1)]),
    ])
    assert [f.callsign for f in list_flights(engine, destination="LY")] == ["LANDED", "PREDICTED"]
    assert [f.callsign for f in list_flights(engine, destination="TN")] == ["ELSEWHERE"]


def test_statements_and_claims_of_an_older_store_get_their_review_names_and_keep_their_links(store_settings):
    """A store at 0005 (before reviews) upgrades with every statement, claim and link between them
    kept, each named as a review of it would be."""
    import datetime as dt

    from sqlalchemy import text

    from removalwatch.evidence.review import claim_item, statement_item
    from removalwatch.store import create_store_engine, upgrade
    from removalwatch.store.extractions import all_claims
    engine = create_store_engine(store_settings)
    upgrade(engine, "0005")
    now = dt.datetime(2025, 5, 7, tzinfo=dt.timezone.utc)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, sha256, content_type, text, added_at) VALUES "
                          "(1, 'abc', 'text/plain', 'Officials said a flight to Libya left.', :now)"), {"now": now})
        conn.execute(text("INSERT INTO statements (id, document_id, local_id, speaker_name, speaker_kind, "
                          "speaker_anonymous, mode, stance, content, span_start, span_end, details, engine_version) "
                          "VALUES (1, 1, 's1', 'Officials', 'official', :no, 'reported', 'assert', "
                          "'a flight to Libya left', 0, 38, '{}', 'old')"), {"no": False})
        conn.execute(text("INSERT INTO claims (id, document_id, local_id, type, status, attributes, span_start, "
                          "span_end, engine_version) VALUES (1, 1, 'c1', 'removal_flight', 'completed', "
                          "'{\"status\": \"completed\", \"destination\": \"LY\"}', 0, 38, 'old')"))
        conn.execute(text("INSERT INTO statement_claims (statement_id, claim_id) VALUES (1, 1)"))
    upgrade(engine)
    [claim] = all_claims(engine)
    assert [s.id for s in claim.statements] == [1]
    assert claim.statements[0].item == statement_item(1, (0, 38), "a flight to Libya left")
    assert claim.item == claim_item(1, "removal_flight", (0, 38), {"status": "completed", "destination": "LY"})
    engine.dispose()
