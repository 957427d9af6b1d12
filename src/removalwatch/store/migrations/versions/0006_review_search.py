"""people and their reviews: users, sessions, API tokens, reviews, the audit log; full-text search

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# SQLite: FTS5 tables kept by triggers, named as sqlite-utils names them so Datasette offers search.
_FTS = {"documents": ("title", "text"), "statements": ("speaker_name", "content")}


def _sqlite_fts(table: str, columns: tuple[str, ...]) -> list[str]:
    cols, new, old = ", ".join(columns), ", ".join(f"new.{c}" for c in columns), ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    remove = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {remove} {add} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


# PostgreSQL: a stored tsvector column (computed once per row, not per query) with a GIN index.
_PG_FTS = {
    "documents": "to_tsvector('english', coalesce(title, '') || ' ' || text)",
    "statements": "to_tsvector('english', speaker_name || ' ' || content)",
}


def _name_stored_items() -> None:
    """Each stored statement and claim gets the name a review of it is kept under. Made here with
    the package's own naming (evidence/review.py): every row is the engine's reading, none is reviewed yet."""
    from removalwatch.evidence.review import claim_item, statement_item
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, document_id, span_start, span_end, content FROM statements")).all()
    if rows:
        conn.execute(sa.text("UPDATE statements SET item = :item WHERE id = :id"),
                     [{"id": r.id, "item": statement_item(r.document_id, (r.span_start, r.span_end), r.content)}
                      for r in rows])
    claims = sa.table("claims", sa.column("id"), sa.column("document_id"), sa.column("type"), sa.column("span_start"),
                      sa.column("span_end"), sa.column("attributes", sa.JSON))
    rows = conn.execute(sa.select(claims)).all()
    if rows:
        conn.execute(sa.text("UPDATE claims SET item = :item WHERE id = :id"),
                     [{"id": r.id, "item": claim_item(r.document_id, r.type, (r.span_start, r.span_end), r.attributes)}
                      for r in rows])


def upgrade() -> None:
    for table in ("statements", "claims"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("item", sa.String(400)))
            batch.create_index(f"ix_{table}_item", ["item"])
    _name_stored_items()
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item", sa.String(400), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE")),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("corrected", sa.JSON, nullable=False),
        sa.Column("engine_said", sa.JSON, nullable=False),
        sa.Column("engine_now", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("reviewed", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_document_id", "reviews", ["document_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("item", sa.String(400), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_audit_log_item", "audit_log", ["item"])
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in _FTS.items():
            for statement in _sqlite_fts(table, columns):
                op.execute(statement)
    else:
        for table, vector in _PG_FTS.items():
            op.execute(f"ALTER TABLE {table} ADD COLUMN fts tsvector GENERATED ALWAYS AS ({vector}) STORED")
            op.execute(f"CREATE INDEX {table}_fts ON {table} USING gin (fts)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER {table}_{suffix}")
            op.execute(f"DROP TABLE {table}_fts")
    else:
        for table in _PG_FTS:
            op.execute(f"DROP INDEX {table}_fts")
            op.execute(f"ALTER TABLE {table} DROP COLUMN fts")
    op.drop_index("ix_audit_log_item", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_reviews_document_id", "reviews")
    for table in ("reviews", "api_tokens", "sessions", "users"):
        op.drop_table(table)
    for table in ("statements", "claims"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_item")
            batch.drop_column("item")
