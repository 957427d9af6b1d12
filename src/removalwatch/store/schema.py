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
    UniqueConstraint("document_id", "local_id"),
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
    UniqueConstraint("document_id", "local_id"),
    Index("ix_claims_type", "type"),
)

statement_claims = Table(
    "statement_claims", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
)

flights = Table(
    "flights", metadata,
    Column("id", Integer, primary_key=True),
    Column("icao24", String(6), nullable=False),
    Column("callsign", String(16)),
    Column("registration", String(16)),
    Column("operator", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("takeoff_airport", String(8)),
    Column("takeoff_time", DateTime(timezone=True)),
    Column("landing_airport", String(8)),
    Column("landing_time", DateTime(timezone=True)),
    Column("landing_observed", Boolean, nullable=False),
    Column("airport_confidence", Float),
    Column("origin_country", String(2)),
    Column("destination_country", String(2)),
    Column("predicted", JSON, nullable=False, doc="ranked destination candidates when the landing was not seen"),
    Column("removal_score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("third_country", Boolean, nullable=False),
    Column("positions", Integer, nullable=False),
    Column("track", JSON, nullable=False, doc="simplified track: [epoch seconds, lat, lon, altitude ft]"),
    Column("source", String(200), nullable=False, doc="adsb, or the flight table the row came from"),
    UniqueConstraint("icao24", "first_seen", "source", "callsign"),
    Index("ix_flights_first_seen", "first_seen"),
)
