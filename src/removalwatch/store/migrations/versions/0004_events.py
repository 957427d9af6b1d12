"""events: claims of many reports resolved into one event each

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Existing claims get no event until `removalwatch reports reextract` (or `events rebuild`) runs.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("countries", sa.JSON, nullable=False),
        sa.Column("first_day", sa.Date),
        sa.Column("last_day", sa.Date),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("supporting", sa.Integer, nullable=False),
        sa.Column("opposing", sa.Integer, nullable=False),
        sa.Column("party_confirmed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_events_type_key", "events", ["type", "key"])
    op.create_index("ix_events_status", "events", ["status"])
    op.create_table(
        "event_countries",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("country", sa.String(2), primary_key=True),
    )
    op.create_index("ix_event_countries_country", "event_countries", ["country"])
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("event_id", sa.Integer))
        batch.add_column(sa.Column("day", sa.Date))
        batch.add_column(sa.Column("unresolved", sa.Text))
        batch.create_foreign_key("fk_claims_event_id", "events", ["event_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_claims_event_id", ["event_id"])


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_index("ix_claims_event_id")
        batch.drop_constraint("fk_claims_event_id", type_="foreignkey")
        batch.drop_column("unresolved")
        batch.drop_column("day")
        batch.drop_column("event_id")
    op.drop_index("ix_event_countries_country", "event_countries")
    op.drop_table("event_countries")
    op.drop_index("ix_events_status", "events")
    op.drop_index("ix_events_type_key", "events")
    op.drop_table("events")
