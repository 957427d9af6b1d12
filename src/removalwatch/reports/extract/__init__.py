"""The report engine: text → statements and claims (schema removalwatch.extraction/1).

Deterministic and offline: regular expressions for sentences and quotations,
a cue lexicon mapped to stances, a gazetteer of actors and places, rules for
claims. `ENGINE_VERSION` changes whenever the output for the same text may.
"""

from __future__ import annotations

import datetime as dt

from removalwatch.domain import Actor, DocumentRef, Extraction, Statement
from removalwatch.reports.extract.claims import build, find_claims, link
from removalwatch.reports.extract.statements import find_statements
from removalwatch.reports.text import sha256_text

ENGINE_VERSION = "rules-0.1"


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
