"""Tables of the evidence store (SQLAlchemy Core).

This is the current shape; the Alembic migrations in `migrations/versions`
build it step by step, and a test checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData,
    String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", Date),
    Column("source", Text, doc="URL or file path the text was read from"),
    Column("content_type", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

statements = Table(
    "statements", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(16), nullable=False, doc="id within its extraction, e.g. s3"),
    Column("speaker_name", Text, nullable=False),
    Column("speaker_kind", String(32), nullable=False),
    Column("speaker_country", String(2)),
    Column("speaker_anonymous", Boolean, nullable=False),
    Column("cue", Text),
    Column("mode", String(16), nullable=False),
    Column("stance", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("details", JSON, nullable=False, doc="the optional spans of the public format"),
    Column("engine_version", String(32), nullable=False),
    Column("item", String(400), doc="the name a review of it is kept under (evidence/review.py)"),
    UniqueConstraint("document_id", "local_id"),
    Index("ix_statements_item", "item"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("key", String(200), nullable=False, doc="what makes claims one event: destination, parties ..."),
    Column("countries", JSON, nullable=False),
    Column("first_day", Date),
    Column("last_day", Date),
    Column("attributes", JSON, nullable=False, doc="merged from its claims (the claims keep their own)"),
    Column("status", String(32), nullable=False, doc="reported, confirmed by a party, denied, contested"),
    Column("claims", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("supporting", Integer, nullable=False, doc="statements asserting or confirming"),
    Column("opposing", Integer, nullable=False, doc="statements denying or rejecting"),
    Column("party_confirmed", Boolean, nullable=False),
    Index("ix_events_type_key", "type", "key"),
    Index("ix_events_status", "status"),
)

event_countries = Table(
    "event_countries", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Index("ix_event_countries_country", "country"),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(16), nullable=False),
    Column("type", String(32), nullable=False),
    Column("status", String(32)),
    Column("attributes", JSON, nullable=False, doc="the type's fields, as in the public format"),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("engine_version", String(32), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="SET NULL")),
    Column("day", Date, doc="the day the claim speaks of, else its report's"),
    Column("unresolved", Text, doc="why the claim is in no event"),
    Column("item", String(400), doc="the name a review of it is kept under (evidence/review.py)"),
    UniqueConstraint("document_id", "local_id"),
    Index("ix_claims_item", "item"),
    Index("ix_claims_type", "type"),
    Index("ix_claims_event_id", "event_id"),
)

statement_claims = Table(
    "statement_claims", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
)

flights = Table(
    "flights", metadata,
    Column("id", Integer, primary_key=True),
    Column("icao24", String(6), nullable=False, doc="empty when a table row names no addressable aircraft"),
    Column("callsign", String(16)),
    Column("registration", String(16)),
    Column("operator", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("time_known", Boolean, nullable=False, doc="false for a table row that gives only the date"),
    Column("local_day", Date, doc="departure day in the departure airport's time zone"),
    Column("takeoff_airport", String(8)),
    Column("takeoff_time", DateTime(timezone=True)),
    Column("takeoff_basis", String(16)),
    Column("takeoff_confidence", Float, nullable=False),
    Column("takeoff_evidence", Text),
    Column("landing_airport", String(8)),
    Column("landing_time", DateTime(timezone=True)),
    Column("landing_basis", String(16)),
    Column("landing_confidence", Float, nullable=False),
    Column("landing_evidence", Text),
    Column("landing_observed", Boolean, nullable=False),
    Column("origin_country", String(2)),
    Column("destination_country", String(2)),
    Column("predicted", JSON, nullable=False, doc="ranked destination candidates when the landing was not seen"),
    Column("first_fix", JSON),
    Column("last_fix", JSON),
    Column("gaps", JSON, nullable=False),
    Column("role", String(16), nullable=False),
    Column("mission", String(120), doc="key of the mission the leg belongs to"),
    Column("removal_score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("third_country", Boolean, nullable=False),
    Column("positions", Integer, nullable=False),
    Column("track", JSON, nullable=False, doc="simplified track: [epoch seconds, lat, lon, altitude ft]"),
    Column("source", String(200), nullable=False, doc="adsb, or the flight table the row came from"),
    Column("leg_key", String(200), nullable=False, doc="what makes two rows the same leg"),
    UniqueConstraint("source", "leg_key", name="uq_flights_source_leg"),
    Index("ix_flights_first_seen", "first_seen"),
    Index("ix_flights_local_day", "local_day"),
    Index("ix_flights_icao24", "icao24"),
    Index("ix_flights_mission", "mission"),
)

missions = Table(
    "missions", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(120), nullable=False, unique=True),
    Column("icao24", String(6), nullable=False),
    Column("registration", String(16)),
    Column("operator", Text),
    Column("callsigns", JSON, nullable=False),
    Column("start", DateTime(timezone=True), nullable=False),
    Column("end", DateTime(timezone=True), nullable=False),
    Column("local_day", Date),
    Column("departure_airport", String(8)),
    Column("from_staging_airport", Boolean, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("stops", JSON, nullable=False, doc="technical stops and destinations, in order"),
    Column("returned_to", String(8)),
    Column("status", Text, nullable=False),
    Column("candidate", Boolean, nullable=False),
    Column("removal_score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("third_country", Boolean, nullable=False),
    Column("third_country_reasons", JSON, nullable=False),
    Column("source", String(200), nullable=False),
    Index("ix_missions_local_day", "local_day"),
    Index("ix_missions_icao24", "icao24"),
)

sightings = Table(
    "sightings", metadata,
    Column("id", Integer, primary_key=True),
    Column("icao24", String(6), nullable=False),
    Column("registration", String(16)),
    Column("callsign", String(16)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("positions", Integer, nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("altitude_ft", Float),
    Column("on_ground", Boolean, nullable=False),
    Column("airport", String(8)),
    Column("source", String(200), nullable=False),
    UniqueConstraint("icao24", "first_seen", "source", name="uq_sightings"),
    Index("ix_sightings_first_seen", "first_seen"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True, doc="the event it is about: never alerted twice"),
    Column("rule", String(100), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("country", String(2)),
    Column("evidence", JSON, nullable=False),
    Column("commands", JSON, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_alerts_created", "created"),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(60), nullable=False, doc="a channel's name: webhook-1, email-1, atom-1 ..."),
    Column("status", String(16), nullable=False, doc="pending, delivered, failed (given up)"),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", DateTime(timezone=True), nullable=False),
    Column("leased_until", DateTime(timezone=True), doc="a sender is at it until then"),
    Column("delivered", DateTime(timezone=True)),
    Column("last_error", Text),
    UniqueConstraint("alert_id", "channel", name="uq_deliveries_alert_channel"),
    Index("ix_deliveries_due", "status", "next_attempt"),
)

# People and their reviews. Full-text search is not here: it is the dialect's own (FTS5 tables
# documents_fts and statements_fts, kept by triggers, on SQLite; a stored tsvector column `fts` with
# a GIN index on PostgreSQL), made by migration 0006 and read by store/search.py.

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False, doc="argon2"),
    Column("role", String(16), nullable=False, doc="viewer, reviewer or admin"),
    Column("created", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True, doc="sha256 of the cookie: a stolen store opens no session"),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("label", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("item", String(400), nullable=False, unique=True,
           doc="what was reviewed, by what survives re-extraction: statement:DOC:START-END, claim:DOC:TYPE:START-END, "
               "link:EVENT-TYPE:EVENT-KEY|FLIGHT-SOURCE:LEG-KEY"),
    Column("kind", String(16), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE")),
    Column("verdict", String(16), nullable=False, doc="confirmed, rejected or corrected"),
    Column("corrected", JSON, nullable=False, doc="the fields a reviewer set"),
    Column("engine_said", JSON, nullable=False, doc="the item as the engine gave it when reviewed"),
    Column("engine_now", JSON, nullable=False, doc="as the latest extraction gives it ({} if it no longer does)"),
    Column("note", Text),
    Column("reviewer", String(100), nullable=False),
    Column("reviewed", DateTime(timezone=True), nullable=False),
    Index("ix_reviews_document_id", "document_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("item", String(400), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_item", "item"),
)
