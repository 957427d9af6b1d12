"""The `removalwatch` command: parse arguments, call one library function, render the result."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from removalwatch import __version__
from removalwatch.config import settings
from removalwatch.errors import RemovalWatchError

app = typer.Typer(help="Evidence on deportation flights to third countries.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="The evidence store: schema and migrations.", no_args_is_help=True)
reports_app = typer.Typer(help="Reports: news articles, official statements, feeds.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(reports_app, name="reports")

out = Console()
err = Console(stderr=True)

# Shared options: one name and one help text each.
HomeOption = Annotated[Optional[Path], typer.Option(
    "--home", envvar="REMOVALWATCH_HOME", help="Data directory of the embedded store [default: ./removalwatch-data].",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _emit_json(value: Any) -> None:
    def default(o: Any) -> Any:
        if dataclasses.is_dataclass(o):
            return dataclasses.asdict(o)
        if hasattr(o, "isoformat"):
            return o.isoformat()
        raise TypeError(type(o).__name__)
    sys.stdout.write(json.dumps(value, default=default, ensure_ascii=False, indent=2) + "\n")


def _engine(home: Path | None):
    from removalwatch.store import open_store
    return open_store(settings(home))


def _version(value: bool) -> None:
    if value:
        out.print(f"removalwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """RemovalWatch joins reports (who said what) and flight data (which watched aircraft flew where)."""


@db_app.command("upgrade")
def db_upgrade(home: HomeOption = None, json_: JsonOption = False) -> None:
    """Apply the store's migrations (any command does this by itself on a new store)."""
    from removalwatch.store import create_store_engine, upgrade
    cfg = settings(home)
    engine = create_store_engine(cfg)
    revision = upgrade(engine)
    url = engine.url.render_as_string()
    if json_:
        _emit_json({"database": url, "revision": revision})
    else:
        out.print(f"store {url} is at schema revision {revision}")


@reports_app.command("add")
def reports_add(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (read recursively), URLs or RSS/Atom feeds.", show_default=False)],
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching URLs on private, link-local and loopback addresses.")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse files and downloads larger than this.")] = 20 * 1024 * 1024,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Store reports, each text once (by its SHA-256). Bad inputs are reported and skipped; exit code 1 if any."""
    from removalwatch.reports.ingest import add_reports
    engine = _engine(home)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=json_ or not err.is_terminal) as progress:
        task = progress.add_task("reading", total=None)

        def on_source(source, total):
            progress.update(task, total=total, description=source.name[-50:])
            progress.advance(task)

        results = add_reports(engine, inputs, allow_private=allow_private, max_bytes=max_bytes, on_source=on_source)
    if json_:
        _emit_json(results)
    else:
        table = Table("status", "id", "title", "source")
        for r in results:
            style = {"added": "green", "exists": "dim", "error": "red"}[r.status]
            table.add_row(f"[{style}]{r.status}[/]", str(r.document_id or ""), r.title or "", r.source)
        out.print(table)
        counts = {s: sum(r.status == s for r in results) for s in ("added", "exists", "error")}
        out.print(f"{counts['added']} added, {counts['exists']} already stored, {counts['error']} errors")
        for r in results:
            if r.status == "error":
                err.print(f"[red]error[/red] {r.source}: {r.message}", highlight=False)
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


@reports_app.command("list")
def reports_list(home: HomeOption = None, json_: JsonOption = False) -> None:
    """List stored documents with the number of statements and claims found in each."""
    from removalwatch.store.documents import list_documents
    docs = list_documents(_engine(home))
    if json_:
        _emit_json(docs)
        return
    table = Table("id", "title", "publisher", "published", "sha256", "statements", "claims")
    for d in docs:
        table.add_row(str(d.id), d.title or d.source or "", d.publisher or "", str(d.published or ""),
                      d.sha256[:12], str(d.statements), str(d.claims))
    out.print(table)


@reports_app.command("reextract")
def reports_reextract(
    outdated: Annotated[bool, typer.Option("--outdated", help="Only documents extracted by another engine version.")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Run the current extraction engine again over stored documents, replacing their statements and claims."""
    from removalwatch.reports.extract import ENGINE_VERSION
    from removalwatch.reports.ingest import reextract_reports
    count = reextract_reports(_engine(home), only_outdated=outdated)
    if json_:
        _emit_json({"reextracted": count, "engine_version": ENGINE_VERSION})
    else:
        out.print(f"{count} documents re-extracted with engine {ENGINE_VERSION}")


@app.command("extract")
def extract_command(
    source: Annotated[str, typer.Argument(help="A text or HTML file, or a URL.", show_default=False)],
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching URLs on private, link-local and loopback addresses.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the extraction as JSON (schema removalwatch.extraction/1).")] = False,
) -> None:
    """Print who said what in one report, and the claims made in it. Stores nothing."""
    from removalwatch.errors import InputError
    from removalwatch.reports.extract import extract
    from removalwatch.reports.sources import Source, expand, read_source
    [src] = list(expand([source])) or [Source(source)]
    docs = read_source(src, allow_private=allow_private)
    if len(docs) != 1:
        raise InputError(source, f"a feed of {len(docs)} entries; `extract` reads one report (use `reports add`)")
    if isinstance(docs[0], InputError):
        raise docs[0]
    doc = docs[0]
    extraction = extract(doc.text, title=doc.title, published=doc.published)
    if json_:
        _emit_json(extraction.to_json_dict())
        return
    _print_extraction(extraction)


def _print_extraction(extraction) -> None:
    table = Table("id", "speaker", "country", "stance", "mode", "content", "claims", title="statements")
    for st in extraction.statements:
        who = st.speaker.name + (" (unnamed)" if st.speaker.anonymous else "")
        table.add_row(st.id, who, st.speaker.country or "", st.stance, st.mode, st.content[:100], ", ".join(st.claims))
    out.print(table)
    table = Table("id", "claim", "details", title="claims")
    for c in extraction.claims:
        details = c.model_dump(exclude={"id", "span", "type"}, exclude_none=True, exclude_defaults=False)
        table.add_row(c.id, c.type, ", ".join(f"{k}={v}" for k, v in details.items() if v not in ([], None)))
    out.print(table)


@app.command("claims")
def claims_command(
    contested: Annotated[bool, typer.Option("--contested", help="Only claims that stored statements both support and deny or reject.")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """List stored claims with the statements about them."""
    from removalwatch.evidence.contradictions import contested_claims
    from removalwatch.evidence.summary import claim_summary
    from removalwatch.store.extractions import all_claims
    claims = all_claims(_engine(home))
    if contested:
        found = contested_claims(claims)
        if json_:
            _emit_json(found)
            return
        for item in found:
            out.print(f"[bold]contested[/bold] claim {item.claim.id}: {claim_summary(item.claim)}", highlight=False)
            for side, statements in (("supports", item.supporting), ("opposes", item.opposing)):
                for st in statements:
                    out.print(f"  {side}: {st.speaker} ({st.speaker_country or '-'}) {st.stance}: "
                              f"“{st.content[:110]}” [document {st.document_id}]", highlight=False)
        if not found:
            out.print("no contested claims")
        return
    if json_:
        _emit_json(claims)
        return
    table = Table("id", "document", "claim", "statements")
    for c in claims:
        table.add_row(str(c.id), str(c.document_id), claim_summary(c),
                      "; ".join(f"{s.speaker}: {s.stance}" for s in c.statements))
    out.print(table)


@app.command("demo")
def demo(
    home: Annotated[Optional[Path], typer.Option("--home", help="Keep the demo store here [default: a new temporary directory].")] = None,
    json_: JsonOption = False,
) -> None:
    """Create a fresh store, ingest the bundled sample data, run every stage and show what was found."""
    from removalwatch.demo import run_demo
    report = run_demo(home)
    if json_:
        _emit_json(report)
        return
    out.print(f"[bold]RemovalWatch demo[/bold] — store in {report.home}")
    table = Table("id", "sample report", "published", "countries mentioned", "statements", "claims")
    for d in report.documents:
        table.add_row(str(d.id), d.title or "", str(d.published or ""), ", ".join(d.countries),
                      str(d.statements), str(d.claims))
    out.print(table)
    out.print(f"{len(report.documents)} documents, {len(report.countries)} countries mentioned: "
              + ", ".join(f"{c} ({n})" for c, n in report.countries.items()), highlight=False)
    out.print(f"\n[bold]{len(report.claims)} claims[/bold]")
    for line in report.claims:
        out.print(f"  {line}", highlight=False)
    out.print(f"\n[bold]{len(report.contested)} contested[/bold] (statements on both sides; RemovalWatch does not decide)")
    for item in report.contested:
        out.print(f"  {item.claim}", highlight=False)
        out.print(f"    supports: {'; '.join(item.supporting)}", highlight=False)
        out.print(f"    opposes:  {'; '.join(item.opposing)}", highlight=False)


def main() -> None:
    try:
        app()
    except RemovalWatchError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
