"""Shared fixtures: a store on SQLite and on PostgreSQL, a temporary home, paths to ../shared."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, text

from removalwatch.config import DATABASE_FILE, Settings
from removalwatch.core import RemovalWatch
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


@dataclass
class Served:
    url: str
    rw: RemovalWatch


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_server(request, tmp_path_factory):
    """The demo's data (sample reports, the synthetic feed replayed through the watch) in a store of
    each kind, served by the web app on a real uvicorn server on loopback; anyone may read."""
    from removalwatch.alerts import rules
    from removalwatch.demo import replay_sample_feed, run_demo, sample_reports_dir
    from removalwatch.web.app import create_app

    home = tmp_path_factory.mktemp("served") / "demo"
    schema = None
    if request.param == "sqlite":
        run_demo(home)
        url = f"sqlite:///{home / DATABASE_FILE}"
    else:
        schema = f"rw_web_{uuid.uuid4().hex[:12]}"
        admin = create_engine(request.getfixturevalue("postgres_url"))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{request.getfixturevalue('postgres_url')}?options=-csearch_path%3D{schema}"
        with RemovalWatch(home=home, database_url=url) as loader:
            loader.add_reports([str(sample_reports_dir())])
            replay_sample_feed(loader.engine, home, rules.load(None))
    rw = RemovalWatch(home=home, database_url=url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(rw), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", rw)
    server.should_exit = True
    thread.join(timeout=10)
    rw.close()
    if schema:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
