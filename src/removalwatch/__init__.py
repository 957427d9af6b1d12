"""RemovalWatch: evidence on deportation flights to third countries.

The public surface: `RemovalWatch` (store, data directory, watchlist; what the commands do) and
the domain vocabulary.
"""

__version__ = "0.1.0"

from removalwatch.domain import (  # noqa: E402
    Actor, Alert, Claim, Document, Extraction, Flight, Link, Position, Statement,
)
from removalwatch.errors import InputError, RemovalWatchError, SourceRefused, StoreError  # noqa: E402
from removalwatch.core import RemovalWatch  # noqa: E402

__all__ = [
    "__version__", "RemovalWatch",
    "Actor", "Alert", "Claim", "Document", "Extraction", "Flight", "Link", "Position", "Statement",
    "InputError", "RemovalWatchError", "SourceRefused", "StoreError",
]
