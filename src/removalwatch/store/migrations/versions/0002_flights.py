"""flights

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_index("ix_flights_first_seen", "flights")
    op.drop_table("flights")
