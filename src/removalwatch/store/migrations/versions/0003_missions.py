"""legs with how their ends are known, gaps, roles; missions; sightings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

The flights table is rebuilt (new columns, a new uniqueness key) and its rows copied. Copied legs
have no role or mission until `removalwatch flights rebuild` (or the next import) recomputes them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _flights_table(name: str) -> list:
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("icao24", sa.String(6), nullable=False),
        sa.Column("callsign", sa.String(16)),
        sa.Column("registration", sa.String(16)),
        sa.Column("operator", sa.Text),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_known", sa.Boolean, nullable=False),
        sa.Column("local_day", sa.Date),
        sa.Column("takeoff_airport", sa.String(8)),
        sa.Column("takeoff_time", sa.DateTime(timezone=True)),
        sa.Column("takeoff_basis", sa.String(16)),
        sa.Column("takeoff_confidence", sa.Float, nullable=False),
        sa.Column("takeoff_evidence", sa.Text),
        sa.Column("landing_airport", sa.String(8)),
        sa.Column("landing_time", sa.DateTime(timezone=True)),
        sa.Column("landing_basis", sa.String(16)),
        sa.Column("landing_confidence", sa.Float, nullable=False),
        sa.Column("landing_evidence", sa.Text),
        sa.Column("landing_observed", sa.Boolean, nullable=False),
        sa.Column("origin_country", sa.String(2)),
        sa.Column("destination_country", sa.String(2)),
        sa.Column("predicted", sa.JSON, nullable=False),
        sa.Column("first_fix", sa.JSON),
        sa.Column("last_fix", sa.JSON),
        sa.Column("gaps", sa.JSON, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("mission", sa.String(120)),
        sa.Column("removal_score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("third_country", sa.Boolean, nullable=False),
        sa.Column("positions", sa.Integer, nullable=False),
        sa.Column("track", sa.JSON, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("leg_key", sa.String(200), nullable=False),
        sa.UniqueConstraint("source", "leg_key", name=f"uq_{name}_source_leg"),
    ]


def upgrade() -> None:
    op.create_table("flights_v3", *_flights_table("flights"))
    old = sa.table("flights", *[sa.column(c) for c in (
        "icao24", "callsign", "registration", "operator", "first_seen", "last_seen", "takeoff_airport",
        "takeoff_time", "landing_airport", "landing_time", "landing_observed", "airport_confidence",
        "origin_country", "destination_country", "predicted", "removal_score", "reasons", "third_country",
        "positions", "track", "source")])
    new = sa.table("flights_v3", *[sa.column(c) for c in (
        "icao24", "callsign", "registration", "operator", "first_seen", "last_seen", "time_known",
        "takeoff_airport", "takeoff_time", "takeoff_confidence", "landing_airport", "landing_time",
        "landing_basis", "landing_confidence", "landing_observed", "origin_country", "destination_country",
        "predicted", "gaps", "role", "removal_score", "reasons", "third_country", "positions", "track", "source",
        "leg_key")])
    confidence = sa.func.coalesce(old.c.airport_confidence, 0.0)
    # SQLite would turn CAST('[]' AS JSON) into the number 0; it stores JSON as text anyway
    no_gaps = sa.literal("[]") if op.get_bind().dialect.name == "sqlite" else sa.cast(sa.literal("[]"), sa.JSON)
    op.execute(new.insert().from_select(list(new.c.keys()), sa.select(
        old.c.icao24, old.c.callsign, old.c.registration, old.c.operator, old.c.first_seen, old.c.last_seen,
        sa.true(), old.c.takeoff_airport, old.c.takeoff_time, confidence, old.c.landing_airport,
        old.c.landing_time, sa.case((old.c.landing_observed, "observed"), else_=None), confidence,
        old.c.landing_observed, old.c.origin_country, old.c.destination_country, old.c.predicted,
        no_gaps, sa.literal("unknown"), old.c.removal_score, old.c.reasons,
        old.c.third_country, old.c.positions, old.c.track, old.c.source,
        old.c.icao24 + sa.literal("|") + sa.cast(old.c.first_seen, sa.String) + sa.literal("|")
        + sa.func.coalesce(old.c.callsign, sa.literal("")))))
    op.drop_index("ix_flights_first_seen", "flights")
    op.drop_table("flights")
    op.rename_table("flights_v3", "flights")
    for column in ("first_seen", "local_day", "icao24", "mission"):
        op.create_index(f"ix_flights_{column}", "flights", [column])

    op.create_table(
        "missions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(120), nullable=False, unique=True),
        sa.Column("icao24", sa.String(6), nullable=False),
        sa.Column("registration", sa.String(16)),
        sa.Column("operator", sa.Text),
        sa.Column("callsigns", sa.JSON, nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_day", sa.Date),
        sa.Column("departure_airport", sa.String(8)),
        sa.Column("from_staging_airport", sa.Boolean, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("stops", sa.JSON, nullable=False),
        sa.Column("returned_to", sa.String(8)),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("candidate", sa.Boolean, nullable=False),
        sa.Column("removal_score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("third_country", sa.Boolean, nullable=False),
        sa.Column("third_country_reasons", sa.JSON, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_index("ix_missions_local_day", "missions", ["local_day"])
    op.create_index("ix_missions_icao24", "missions", ["icao24"])

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("icao24", sa.String(6), nullable=False),
        sa.Column("registration", sa.String(16)),
        sa.Column("callsign", sa.String(16)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("positions", sa.Integer, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("altitude_ft", sa.Float),
        sa.Column("on_ground", sa.Boolean, nullable=False),
        sa.Column("airport", sa.String(8)),
        sa.Column("source", sa.String(200), nullable=False),
        sa.UniqueConstraint("icao24", "first_seen", "source", name="uq_sightings"),
    )
    op.create_index("ix_sightings_first_seen", "sightings", ["first_seen"])


def downgrade() -> None:
    op.drop_table("sightings")
    op.drop_table("missions")
    for column in ("first_seen", "local_day", "icao24", "mission"):
        op.drop_index(f"ix_flights_{column}", "flights")
    op.drop_table("flights")
    op.create_table(
        "flights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("icao24", sa.String(6), nullable=False),
        sa.Column("callsign", sa.String(16)),
        sa.Column("registration", sa.String(16)),
        sa.Column("operator", sa.Text),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("takeoff_airport", sa.String(8)),
        sa.Column("takeoff_time", sa.DateTime(timezone=True)),
        sa.Column("landing_airport", sa.String(8)),
        sa.Column("landing_time", sa.DateTime(timezone=True)),
        sa.Column("landing_observed", sa.Boolean, nullable=False),
        sa.Column("airport_confidence", sa.Float),
        sa.Column("origin_country", sa.String(2)),
        sa.Column("destination_country", sa.String(2)),
        sa.Column("predicted", sa.JSON, nullable=False),
        sa.Column("removal_score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("third_country", sa.Boolean, nullable=False),
        sa.Column("positions", sa.Integer, nullable=False),
        sa.Column("track", sa.JSON, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.UniqueConstraint("icao24", "first_seen", "source", "callsign"),
    )
    op.create_index("ix_flights_first_seen", "flights", ["first_seen"])
