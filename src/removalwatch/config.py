"""Where the evidence store lives.

The embedded default is a SQLite file in a data directory (`./removalwatch-data`,
or `REMOVALWATCH_HOME`); a team points `REMOVALWATCH_DATABASE_URL` at PostgreSQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "removalwatch-data"
DATABASE_FILE = "removalwatch.db"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def settings(home: str | os.PathLike[str] | None = None, database_url: str | None = None) -> Settings:
    """Resolve settings: explicit arguments win over the environment, which wins over defaults."""
    home_path = Path(home or os.environ.get("REMOVALWATCH_HOME") or DEFAULT_HOME).expanduser()
    url = database_url or os.environ.get("REMOVALWATCH_DATABASE_URL") or f"sqlite:///{(home_path / DATABASE_FILE).resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we install; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return Settings(home=home_path, database_url=url)
