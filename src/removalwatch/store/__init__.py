"""The evidence store: the only part of RemovalWatch that touches the database."""

from removalwatch.store.database import create_store_engine, current_revision, head_revision, open_store, upgrade

__all__ = ["create_store_engine", "current_revision", "head_revision", "open_store", "upgrade"]
