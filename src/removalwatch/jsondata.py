"""Values as JSON-ready data, for every JSON RemovalWatch writes (the CLI's --json, the API)."""

from __future__ import annotations

import dataclasses


def plain(value):
    """Dataclasses and pydantic values (and the lists and dicts holding them) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
