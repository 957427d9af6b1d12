"""Open the evidence store and keep its schema current.

SQLite runs in WAL mode with a busy timeout, so a long-running server and a
one-off ingest can share the file. Migrations run under a lock (a file lock
for SQLite, an advisory lock for PostgreSQL) so two processes starting on an
empty store do not race to create it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from removalwatch.config import Settings
from removalwatch.errors import StoreError

_MIGRATIONS = str(Path(__file__).with_name("migrations"))
_PG_LOCK_KEY = 0x52574D49  # "RWMI": any fixed number shared by every process
# Connections one process may hold: the web app runs at most this many requests at once, and four
# server workers stay under PostgreSQL's default limit of 100.
MAX_CONNECTIONS = 20
_POOL = {"pool_size": 5, "max_overflow": MAX_CONNECTIONS - 5}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: the WAL switch below may have to wait for a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it consistent
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(settings: Settings) -> Engine:
    """An engine for the configured store, without touching its schema."""
    try:
        url = make_url(settings.database_url)
    except ArgumentError as exc:
        raise StoreError(f"REMOVALWATCH_DATABASE_URL is not a database URL: {exc}") from None
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        in_memory = url.database in (None, "", ":memory:")  # one connection, no pool to size
        engine = create_engine(url, connect_args={"timeout": 30}, **({} if in_memory else _POOL))
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, **_POOL)
    except (NoSuchModuleError, ModuleNotFoundError):
        raise StoreError(
            f"no driver for {url.drivername}; install it with: pip install 'removalwatch[postgres]'"
        ) from None


def _alembic_config(connection):
    from alembic.config import Config  # imported when a migration runs, not by every command
    cfg = Config()
    cfg.set_main_option("script_location", _MIGRATIONS)
    cfg.attributes["connection"] = connection
    return cfg


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration: the revision no other migration revises. Read from the files' headers
    with two regular expressions, because loading Alembic's script directory costs every command
    half a second (a test checks that both agree)."""
    revises = {}
    for path in Path(_MIGRATIONS, "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "([^"]+)"', source, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', source, re.M)
        if revision and down:
            revises[revision.group(1)] = down.group(1)
    [head] = set(revises) - set(revises.values())
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at: Alembic's own table, read directly (importing Alembic is slow)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with open(f"{engine.url.database}.migrate-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
    else:
        yield


def _apply(engine: Engine, revision: str) -> None:
    from alembic import command
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
    except OperationalError as exc:
        raise StoreError(f"cannot migrate the store at {engine.url.render_as_string()}: {exc.orig}") from None


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply migrations up to `revision`; returns the revision the store is at."""
    with _migration_lock(engine):
        _apply(engine, revision)
    return current_revision(engine) or ""


def open_store(settings: Settings) -> Engine:
    """An engine whose schema is current.

    A new or empty store, and any SQLite store, is upgraded on the spot; a
    shared PostgreSQL store with data is only upgraded by `removalwatch db upgrade`,
    so a team decides when its schema changes.
    """
    engine = create_store_engine(settings)
    # Under the lock: two processes opening a new SQLite file at once would otherwise race to switch
    # it to WAL and create its tables ("database is locked").
    try:
        with _migration_lock(engine):
            current = current_revision(engine)
            if current == head_revision():
                return engine
            if current is None or engine.dialect.name == "sqlite":
                _apply(engine, "head")
                return engine
    except OperationalError as exc:
        raise StoreError(f"cannot open the store at {engine.url.render_as_string()}: {exc.orig}") from None
    raise StoreError(f"the store is at schema {current}, this version needs {head_revision()}: run `removalwatch db upgrade`")
