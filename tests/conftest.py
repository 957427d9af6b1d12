"""Shared fixtures: a store on SQLite and on PostgreSQL, a temporary home, paths to ../shared."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from removalwatch.config import DATABASE_FILE, Settings
from removalwatch.store import open_store

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
POSTGRES_URL = os.environ.get("REMOVALWATCH_TEST_DATABASE_URL", "postgresql+psycopg://127.0.0.1:5432/test")


def shared_path(relative: str) -> Path:
    """A file under ../shared, or skip the test saying it is absent (a user's clone has no ../shared)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{relative} is not beside this checkout (../shared is only on the team's machines)")
    return path


def _postgres_available() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no server here
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def postgres_url():
    """Base URL of the test PostgreSQL server. CI sets REMOVALWATCH_REQUIRE_POSTGRES=1 so an
    unreachable server fails the run instead of skipping."""
    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
        if os.environ.get("REMOVALWATCH_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture
def postgres_schema_url(postgres_url):
    """A URL whose connections live in a new, empty schema, dropped afterwards."""
    schema = f"rw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{postgres_url}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_settings(request, tmp_path) -> Settings:
    """Settings for a fresh store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / DATABASE_FILE}")
    return Settings(home=tmp_path, database_url=request.getfixturevalue("postgres_schema_url"))


@pytest.fixture
def engine(store_settings):
    engine = open_store(store_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A data directory for CLI runs, with the environment pointing at it and not at any other store."""
    monkeypatch.setenv("REMOVALWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REMOVALWATCH_DATABASE_URL", raising=False)
    return tmp_path / "home"
