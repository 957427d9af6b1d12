"""Full-text search over documents and statements, by each database's own engine: FTS5 on SQLite
(tables kept by triggers), `websearch_to_tsquery` over stored tsvector columns with GIN indexes on
PostgreSQL (migration 0006).

Snippets mark the matched words with MARK_START/MARK_END, control characters no report text keeps,
so a page escapes the snippet first and then turns the marks into highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, text

from removalwatch.store.extractions import list_statements
from removalwatch.store.records import StoredStatement

MARK_START, MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class DocumentHit:
    id: int
    title: str | None
    published: object
    snippet: str


@dataclass(frozen=True)
class StatementHit:
    statement: StoredStatement
    snippet: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    documents: list[DocumentHit]
    statements: list[StatementHit]


def fts5_query(words: str) -> str:
    """A user's words as an FTS5 query that cannot be a syntax error: each "quoted phrase" a phrase,
    every other word a term, all required."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', words):
        tokens = re.findall(r"\w+", phrase or word)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(parts)


_SQLITE = {
    "documents": """
        SELECT d.id, d.title, d.published, snippet(documents_fts, 1, :a, :b, '…', 24) AS snippet
        FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
        WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n""",
    "statements": """
        SELECT s.id, highlight(statements_fts, 1, :a, :b) AS snippet
        FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid
        WHERE statements_fts MATCH :q ORDER BY rank LIMIT :n""",
}
_POSTGRES = {  # `fts`: the stored, GIN-indexed tsvector column migration 0006 adds
    "documents": """
        SELECT d.id, d.title, d.published,
               ts_headline('english', d.text, query, 'StartSel=' || :a || ', StopSel=' || :b
                           || ', MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "') AS snippet
        FROM documents d, websearch_to_tsquery('english', :q) query
        WHERE d.fts @@ query ORDER BY ts_rank(d.fts, query) DESC, d.id LIMIT :n""",
    "statements": """
        SELECT s.id, ts_headline('english', s.content, query, 'StartSel=' || :a || ', StopSel=' || :b
                                 || ', HighlightAll=true') AS snippet
        FROM statements s, websearch_to_tsquery('english', :q) query
        WHERE s.fts @@ query ORDER BY ts_rank(s.fts, query) DESC, s.id LIMIT :n""",
}


def search(engine: Engine, words: str, *, limit: int = 20) -> SearchResults:
    """Documents and statements matching all of `words` (a "quoted phrase" as a phrase), best first."""
    if engine.dialect.name == "sqlite":
        sql, query = _SQLITE, fts5_query(words)
    else:
        sql, query = _POSTGRES, words.strip()
    if not query:
        return SearchResults(words, [], [])
    params = {"q": query, "n": limit, "a": MARK_START, "b": MARK_END}
    with engine.connect() as conn:
        docs = [DocumentHit(r.id, r.title, r.published, r.snippet)
                for r in conn.execute(text(sql["documents"]), params)]
        said = {r.id: r.snippet for r in conn.execute(text(sql["statements"]), params)}
    found = {s.id: s for s in list_statements(engine, ids=list(said))} if said else {}
    return SearchResults(words, docs, [StatementHit(found[i], snippet) for i, snippet in said.items() if i in found])
