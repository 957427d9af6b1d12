"""Add reports to the evidence store: read every source, store each document once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine

from removalwatch.domain import Document
from removalwatch.errors import InputError
from removalwatch.reports.extract import engine_version, extract
from removalwatch.reports.sources import DEFAULT_MAX_BYTES, Source, expand, read_source
from removalwatch.store.documents import add_document, get_document, list_documents
from removalwatch.store.extractions import extracted_version, save_extraction


@dataclass(frozen=True)
class AddResult:
    source: str
    status: Literal["added", "exists", "skipped", "error"]
    document_id: int | None = None
    title: str | None = None
    message: str | None = None


def add_reports(
    engine: Engine,
    inputs: list[str],
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_source: Callable[[Source, int], None] | None = None,
    after_document: Callable | None = None,
) -> list[AddResult]:
    """Read and store every source the inputs name. A bad source is reported, not fatal.

    `on_source(source, total)` is called before each source is read, for progress display;
    `after_document(conn, id)` in each new document's transaction (alerts.triggers.after_document).
    """
    sources = list(expand(inputs))
    results: list[AddResult] = []
    for source in sources:
        if on_source:
            on_source(source, len(sources))
        if source.skipped:
            results.append(AddResult(source.name, "skipped", message=source.skipped))
            continue
        try:
            read = read_source(source, max_bytes=max_bytes, allow_private=allow_private)
        except InputError as exc:
            results.append(AddResult(exc.source, "error", message=exc.reason))
            continue
        for item in read:
            if isinstance(item, InputError):
                results.append(AddResult(item.source, "error", message=item.reason))
                continue
            stored = add_document(engine, item, extract=extraction_of, after=after_document)
            if not stored.added and extracted_version(engine, stored.id) != engine_version():
                extract_and_save(engine, stored.id, item)
            status = "added" if stored.added else "exists"
            results.append(AddResult(item.source or source.name, status, stored.id, item.title))
    return results


def extraction_of(doc: Document):
    """The document's statements and claims by the current engine, and that engine's version."""
    return extract(doc.text, title=doc.title, published=doc.published), engine_version()


def extract_and_save(engine: Engine, document_id: int, doc: Document) -> None:
    save_extraction(engine, document_id, *extraction_of(doc))


def reextract_reports(engine: Engine, *, only_outdated: bool = False) -> int:
    """Run the current engine over stored documents, replacing their statements and claims.

    Returns how many documents were re-extracted."""
    count = 0
    for summary in list_documents(engine):
        if only_outdated and extracted_version(engine, summary.id) == engine_version():
            continue
        extract_and_save(engine, summary.id, get_document(engine, summary.id))
        count += 1
    return count
