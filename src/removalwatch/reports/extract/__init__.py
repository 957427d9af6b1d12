"""The report engine: text → statements and claims (schema removalwatch.extraction/1).

Deterministic and offline: regular expressions for sentences and quotations,
a cue lexicon mapped to stances, a gazetteer of actors and places, rules for
claims. `engine_version()` changes whenever the output for the same text may:
it hashes the engine's code and data files.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from importlib import resources

from removalwatch.domain import Actor, DocumentRef, Extraction, Statement
from removalwatch.reports.extract.claims import build, find_claims, link
from removalwatch.reports.extract.statements import find_statements
from removalwatch.reports.text import sha256_text


def _files(folder, suffix: str) -> list:
    found = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.is_dir() and item.name != "__pycache__":
            found += _files(item, suffix)
        elif item.name.endswith(suffix):
            found.append(item)
    return found


@functools.lru_cache(maxsize=1)
def engine_version() -> str:
    """"rules-<package version>-<hash>", the hash over the engine's source and its data files, so
    `reports reextract --outdated` re-extracts after any change to either."""
    from removalwatch import __version__
    digest = hashlib.sha256()
    data = resources.files("removalwatch.data")
    for path in [*_files(resources.files("removalwatch.reports.extract"), ".py"),
                 *_files(data.joinpath("lexicon"), ".csv"), *_files(data.joinpath("gazetteer"), ".csv")]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"rules-{__version__}-{digest.hexdigest()[:10]}"


def extract(text: str, *, title: str | None = None, published: dt.date | None = None) -> Extraction:
    """Statements and claims of one document, with spans into `text`."""
    found = find_statements(text)
    drafts = find_claims(text, found, published)
    link(text, found, drafts)
    statements = []
    for n, f in enumerate(found, 1):
        cs, ce = f.content_span
        statements.append(Statement(
            id=f"s{n}",
            speaker=Actor(name=f.speaker.name, kind=f.speaker.kind, country=f.speaker.country,
                          anonymous=f.speaker.anonymous, span=f.speaker_span),
            cue=f.cue, mode=f.mode, content=text[cs:ce], stance=f.stance, claims=f.claims,
            span=f.span, cue_span=f.cue_span, content_span=f.content_span,
        ))
    return Extraction(document=DocumentRef(sha256=sha256_text(text), title=title, published=published),
                      statements=statements, claims=[build(d) for d in drafts])
