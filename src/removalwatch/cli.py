"""The `removalwatch` command: parse arguments, call one library function, render the result."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich import box
from rich.table import Table

from removalwatch import __version__
from removalwatch.config import settings
from removalwatch.errors import RemovalWatchError
from removalwatch.jsondata import plain

app = typer.Typer(help="Evidence on deportation flights to third countries.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="The evidence store: schema and migrations.", no_args_is_help=True)
reports_app = typer.Typer(help="Reports: news articles, official statements, feeds.", no_args_is_help=True)
flights_app = typer.Typer(help="Flights: ADS-B positions of watched aircraft, and flight tables.", no_args_is_help=True)
watchlist_app = typer.Typer(help="The watchlist: aircraft and classes of aircraft to watch.", no_args_is_help=True)
events_app = typer.Typer(help="Events: the claims of many reports about one flight, agreement, ruling ...", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts: raised by new reports and flights, kept in an outbox until sent.", no_args_is_help=True)
users_app = typer.Typer(help="People who sign in to the web app and API: viewers, reviewers, admins.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(reports_app, name="reports")
app.add_typer(flights_app, name="flights")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(events_app, name="events")
app.add_typer(alerts_app, name="alerts")
app.add_typer(users_app, name="users")

out = Console()
err = Console(stderr=True)

# Shared options: one name and one help text each.
HomeOption = Annotated[Optional[Path], typer.Option(
    "--home", envvar="REMOVALWATCH_HOME", help="Data directory of the embedded store [default: ./removalwatch-data].",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
WideOption = Annotated[bool, typer.Option("--wide", help="Every column, for a wide terminal (the default fits 80 columns).")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="Allow fetching URLs on private, link-local and loopback addresses.")]


def _guard(command):
    """Turn RemovalWatch's own errors into one line on stderr and exit code 1, for every command
    (also when the app is driven in-process, as tests and scripts do)."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RemovalWatchError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
    return run


def _emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n")


@contextlib.contextmanager
def _progress(*, quiet: bool):
    """A progress bar on stderr for long work over many inputs; yields step(name, total)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=quiet or not err.is_terminal) as progress:
        task = progress.add_task("reading", total=None)

        def step(name: str, total: int) -> None:
            progress.update(task, total=total, description=name[-50:])
            progress.advance(task)

        yield step


def _rw(home: Path | None):
    from removalwatch.core import RemovalWatch
    return RemovalWatch(home)


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
@_guard
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
@_guard
def reports_add(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (read recursively), URLs or RSS/Atom feeds.", show_default=False)],
    allow_private: AllowPrivateOption = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse files and downloads larger than this.")] = 20 * 1024 * 1024,
    no_alerts: Annotated[bool, typer.Option("--no-alerts", help="Raise no alerts for these reports (an archive of old ones).")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Store reports, each text once (by its SHA-256), raising the alerts they call for. Bad inputs
    are reported and skipped; exit code 1 if any."""
    with _progress(quiet=json_) as step:
        results, raised = _rw(home).add_reports(inputs, allow_private=allow_private, max_bytes=max_bytes,
                                                alerts=not no_alerts,
                                                on_source=lambda source, total: step(source.name, total))
    if json_:
        _emit_json(results)
    else:
        table = Table("status", "id", "title", "source")
        for r in results:
            style = {"added": "green", "exists": "dim", "skipped": "yellow", "error": "red"}[r.status]
            table.add_row(f"[{style}]{r.status}[/]", str(r.document_id or ""), r.title or "", r.source)
        out.print(table)
        counts = {s: sum(r.status == s for r in results) for s in ("added", "exists", "skipped", "error")}
        out.print(f"{counts['added']} added, {counts['exists']} already stored, {counts['skipped']} skipped, "
                  f"{counts['error']} errors")
        if raised:
            out.print(f"{len(raised)} alerts raised (`removalwatch alerts list`; sent by `alerts deliver` or `watch`)")
        for r in results:
            if r.status in ("error", "skipped"):
                err.print(f"[red]{r.status}[/red] {escape(r.source)}: {escape(r.message or '')}", highlight=False)
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


@reports_app.command("list")
@_guard
def reports_list(home: HomeOption = None, wide: WideOption = False, json_: JsonOption = False) -> None:
    """List stored documents with the number of statements and claims found in each."""
    docs = _rw(home).documents()
    if json_:
        _emit_json(docs)
        return
    table = _table(["id", "published", "stmts", "claims"], "title", ["publisher", "sha256"] if wide else [], wide)
    for d in docs:
        table.add_row(str(d.id), str(d.published or ""), str(d.statements), str(d.claims), d.title or d.source or "",
                      *((d.publisher or "", d.sha256[:12]) if wide else ()))
    out.print(table)


def _table(before: list[str], text: str, after: list[str], wide: bool) -> Table:
    """A listing that fits 80 columns: short columns, then one text column cut with an ellipsis
    (wrapped in full with --wide, which adds the `after` columns)."""
    table = Table(box=box.HEAVY_HEAD if wide else None, expand=not wide)
    for name in before:
        table.add_column(name, no_wrap=True)
    table.add_column(text, no_wrap=not wide, overflow="fold" if wide else "ellipsis", ratio=None if wide else 1)
    for name in after:
        table.add_column(name)
    return table


@reports_app.command("reextract")
@_guard
def reports_reextract(
    outdated: Annotated[bool, typer.Option("--outdated", help="Only documents extracted by another engine version.")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Run the current extraction engine again over stored documents, replacing their statements and claims."""
    from removalwatch.reports.extract import engine_version
    count = _rw(home).reextract(only_outdated=outdated)
    if json_:
        _emit_json({"reextracted": count, "engine_version": engine_version()})
    else:
        out.print(f"{count} documents re-extracted with engine {engine_version()}")


@app.command("extract")
@_guard
def extract_command(
    source: Annotated[str, typer.Argument(help="A text or HTML file, or a URL.", show_default=False)],
    allow_private: AllowPrivateOption = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the extraction as JSON (schema removalwatch.extraction/1).")] = False,
) -> None:
    """Print who said what in one report, and the claims made in it. Stores nothing."""
    from removalwatch.errors import InputError
    from removalwatch.reports.extract import extract
    from removalwatch.reports.sources import Source, expand, read_source
    if Path(source).is_dir():
        raise InputError(source, "a directory; `extract` reads one report (store a folder with `reports add`)")
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
@_guard
def claims_command(
    contested: Annotated[bool, typer.Option("--contested", help="Only events that stored statements both support and deny or reject, with both sides.")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """List stored claims with the statements about them; with --contested, the contested events."""
    from removalwatch.evidence.summary import claim_summary, event_summary
    rw = _rw(home)
    if contested:
        found = rw.contradictions(most=None if json_ else VOICES_SHOWN)
        if json_:
            _emit_json([{"event": c.event, "supporting": c.supporting, "opposing": c.opposing} for c in found])
            return
        lines = [f"(per event, the {VOICES_SHOWN} voices of each stance heard in most reports; --json lists all)"]
        for c in found:
            lines.append(f"contested event {c.event.id}: {event_summary(c.event)} ({_reports(c.event.documents)})")
            lines += [f"  asserts: {line}" for line in _voices(c.supporting)]
            lines += [f"  denies: {line}" for line in _voices(c.opposing)]
        _write_lines(lines if found else ["no contested events"])
        return
    claims = rw.claims()
    if json_:
        _emit_json(claims)
        return
    table = Table("id", "document", "claim", "statements")
    for c in claims:
        table.add_row(str(c.id), str(c.document_id), claim_summary(c),
                      "; ".join(f"{s.speaker}: {s.stance}" for s in c.statements))
    out.print(table)


@alerts_app.command("list")
@_guard
def alerts_list(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest alerts.")] = 50,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """The latest alerts, with how each channel's delivery stands."""
    found = _rw(home).alerts(limit=limit)
    if json_:
        _emit_json([{"id": a.id, **a.alert.model_dump(mode="json"), "deliveries": a.deliveries} for a in found])
        return
    lines = []
    for a in found:
        sent = ", ".join(f"{d['channel']} {d['status']}" + (f" ({d['attempts']} attempts: {d['last_error']})"
                                                            if d["status"] != "delivered" and d["attempts"] else "")
                         for d in a.deliveries) or "no channel"
        lines += [f"{a.alert.created:%Y-%m-%d %H:%M}  {a.alert.subject}", f"    {a.alert.key} — {sent}"]
    _write_lines(lines or ["no alerts"])


@alerts_app.command("deliver")
@_guard
def alerts_deliver(
    every: Annotated[Optional[float], typer.Option("--every", min=0.1, help="Keep going, a pass every this many seconds (stop with Ctrl-C or SIGTERM).")] = None,
    lease: Annotated[float, typer.Option("--lease", min=1, help="Seconds a sender holds a delivery; a sender that dies mid-send lets it go after this.")] = 60.0,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Send every alert the outbox holds that is due, over the configured channels (HOME/alerts.yaml);
    failed sends are retried later. Once, or again every --every seconds."""
    from removalwatch.watch.stopping import Stopping
    rw = _rw(home)
    total: dict[str, int] = {}
    with Stopping() as stop:
        while True:
            for outcome, n in rw.deliver_alerts(lease_seconds=lease).items():
                total[outcome] = total.get(outcome, 0) + n
                err.print(f"{n} {outcome}", highlight=False)
            if every is None or stop.wait(every):
                break
    if json_:
        _emit_json(total)
    else:
        out.print(f"{total.get('delivered', 0)} delivered, {total.get('failed', 0)} failed (retried later)")


@events_app.command("list")
@_guard
def events_list(
    country: Annotated[Optional[str], typer.Option("--country", help="Only events concerning this country (code or name).")] = None,
    contested: Annotated[bool, typer.Option("--contested", help="Only contested events.")] = False,
    home: HomeOption = None,
    wide: WideOption = False,
    json_: JsonOption = False,
) -> None:
    """List events with their status and how many reports and statements each has."""
    from removalwatch.evidence.summary import event_summary
    from removalwatch.store.events import unresolved_claims
    rw = _rw(home)
    found = rw.events(contested=contested, country=_country_code(country) if country else None)
    if json_:
        _emit_json([_event_json(e) for e in found])
        return
    table = _table(["id", "status", "reports"], "event", ["assert", "deny"] if wide else [], wide)
    for e in found:
        table.add_row(str(e.id), e.status, str(e.documents), escape(event_summary(e)),
                      *((str(e.supporting), str(e.opposing)) if wide else ()))
    out.print(table)
    unresolved = unresolved_claims(rw.engine)
    if unresolved and not (country or contested):
        out.print(f"{len(unresolved)} claims in no event (they name no destination, parties or date; "
                  "see `claims --json`)")


@events_app.command("rebuild")
@_guard
def events_rebuild(home: HomeOption = None, json_: JsonOption = False) -> None:
    """File every stored claim into events anew (after an upgrade from a store without events)."""
    count = _rw(home).rebuild_events()
    if json_:
        _emit_json({"events": count})
    else:
        out.print(f"{count} events")


VOICES_SHOWN = 8  # per event and stance, in terminal listings


def _voices(voices) -> list[str]:
    """One line per speaker and stance: how many statements in how many reports, the latest quoted."""
    lines = []
    for v in voices:
        count = f" ({v.statements} statements in {_reports(v.reports)})" if v.statements > 1 else ""
        said = v.latest
        quote = said.content if len(said.content) <= 100 else said.content[:99] + "…"
        lines.append(f"{v.speaker} ({v.speaker_country or '-'}) {v.stance}{count}: “{quote}” "
                     f"[{said.document_title or said.document_source or said.document_id}]")
    return lines


def _side_by_side(left: list[str], right: list[str], width: int) -> list[str]:
    """Two columns of wrapped paragraphs, row by row, in plain text (fast for hundreds of voices)."""
    import textwrap
    column = max(20, (width - 3) // 2)
    lines = []
    for n in range(max(len(left), len(right))):
        a = textwrap.wrap(left[n], column) if n < len(left) else []
        b = textwrap.wrap(right[n], column) if n < len(right) else []
        lines += [f"{(a[k] if k < len(a) else ''):<{column}} | {b[k] if k < len(b) else ''}"
                  for k in range(max(len(a), len(b)))]
        lines.append(f"{'':-<{column}}-+-{'':-<{column}}")
    return lines


def _write_lines(lines: list[str]) -> None:
    """Long listings as plain lines: fast for thousands of them, and easy to grep."""
    sys.stdout.write("\n".join(lines) + "\n")


def _reports(n: int) -> str:
    from removalwatch.evidence.summary import reports
    return reports(n)


def _event_json(event) -> dict:
    return dataclasses.asdict(event)


def _home(home: Path | None) -> Path:
    return settings(home).home


@flights_app.command("import")
@_guard
def flights_import(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories: OpenSky CSV/Parquet/JSON, readsb trace or "
                                                     "aircraft.json, SBS-1 text, Beast binary, flight tables "
                                                     "(Radarbox exports, Yakima sighting tables).",
                                                show_default=False)],
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Add positions to the archive (day-partitioned Parquet) and rebuild the legs, sightings and missions
    of the days and aircraft they touch; add the legs of flight tables. Bad records are counted per file,
    never stored. Importing the same data again adds nothing."""
    with _progress(quiet=json_) as step:
        results, built = _rw(home).import_flights(inputs, on_file=lambda path, total: step(str(path), total))
    if json_:
        _emit_json({"files": results, "flights_built": built.flights, "sightings": built.sightings,
                    "missions": built.missions})
    else:
        for r in results:
            if r.error:
                out.print(f"[red]{escape(r.source)}: {escape(r.error)}[/red]")
                continue
            counts = (f"{r.flights_read} legs, {r.flights_added} new" if r.flights_read or r.flights_added
                      else f"{r.positions_read} positions, {r.positions_written} new")
            out.print(f"{escape(r.source)} ({r.kind}): {counts}", highlight=False)
            for label, items in (("rejected", r.rejected), ("kept", r.notes)):
                if items:
                    out.print(f"  {label}: " + escape(", ".join(f"{k}: {v}" for k, v in items.items())), highlight=False)
            if r.note:
                out.print(f"  [yellow]{escape(r.note)}[/yellow]", highlight=False)
        out.print(f"{built.flights} legs built from positions, {built.sightings} sightings, {built.missions} missions")
    if any(r.error for r in results):
        raise typer.Exit(1)


@flights_app.command("rebuild")
@_guard
def flights_rebuild(home: HomeOption = None, json_: JsonOption = False) -> None:
    """Build every leg, sighting and mission again from the position archive and the stored flight
    tables (after upgrading RemovalWatch, or after changing the watchlist)."""
    built, missions = _rw(home).rebuild_flights()
    if json_:
        _emit_json({"flights_built": built.flights, "sightings": built.sightings, "missions": missions})
    else:
        out.print(f"{built.flights} legs built from positions, {built.sightings} sightings, {missions} missions")


@flights_app.command("list")
@_guard
def flights_list(
    candidates: Annotated[bool, typer.Option("--candidates", help="Only removal candidates.")] = False,
    legs: Annotated[bool, typer.Option("--legs", help="One line per leg instead of missions.")] = False,
    month: Annotated[Optional[str], typer.Option("--month", help="Only what departed in this month (YYYY-MM, local time).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many missions (or legs).")] = None,
    gaps: Annotated[bool, typer.Option("--gaps/--no-gaps", help="Show the gaps in each track.")] = True,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Missions with their legs: where the aircraft left the US, technical stops, destinations (observed,
    extrapolated, inferred or predicted), the return, gaps, the removal score with its reasons and the
    third-country flag. Legs outside missions (positioning, domestic) are listed too."""
    from removalwatch.flights import views
    rw = _rw(home)
    if legs:
        found = rw.flights(candidates_only=candidates, month=month, limit=limit)
        if json_:
            _emit_json([f.model_dump(mode="json", exclude={"track"}) for f in found])
            return
        out.print(views.LEGEND, highlight=False)
        for leg in found:
            out.print(f"{escape(leg.registration or leg.icao24 or '?'):<8} {views.leg_line(leg)}", highlight=False)
        return
    missions = rw.missions(candidates_only=candidates, month=month, limit=limit)
    others = [] if candidates else [f for f in rw.flights(month=month, limit=limit) if f.mission is None]
    if json_:
        _emit_json({"missions": [m.model_dump(mode="json", exclude={"legs": {"__all__": {"track"}}}) for m in missions],
                    "other_legs": [f.model_dump(mode="json", exclude={"track"}) for f in others]})
        return
    out.print(views.LEGEND, highlight=False)
    items = sorted([(m.start, views.mission_lines(m, gaps=gaps)) for m in missions]
                   + [(f.takeoff_time or f.first_seen, views.leg_lines(f)) for f in others], key=lambda x: x[0])
    for _, lines in items[:limit] if limit else items:
        for line in lines:
            out.print(line, highlight=False)
    if not items:
        out.print("no missions" if candidates else "no flights")


@flights_app.command("sightings")
@_guard
def flights_sightings(
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many.")] = None,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Watched aircraft seen where no leg could be built (too few positions, or only on the ground)."""
    from removalwatch.flights import views
    found = _rw(home).sightings(limit=limit)
    if json_:
        _emit_json([s.model_dump(mode="json") for s in found])
        return
    for s in found:
        out.print(views.sighting_line(s), highlight=False)
    if not found:
        out.print("no sightings")


@flights_app.command("stats")
@_guard
def flights_stats(
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM (departures in local time).", show_default=False)],
    source: Annotated[Optional[str], typer.Option("--source", help="Only legs of this source: adsb, table:radarbox, "
                                                                   "table:yakima [default: all, each flight once].")] = None,
    home: HomeOption = None,
    json_: JsonOption = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV rows (group, key, legs).")] = False,
) -> None:
    """Legs of one month by what they are (removals, returns, domestic and positioning legs, shuttle
    charters, ...), and removals per destination country, operator and staging airport."""
    import csv as csvmod

    stats = _rw(home).flight_stats(month, source=source)
    groups = {"role": stats.by_role, "removals_by_country": stats.removals_by_country,
              "removals_by_operator": stats.removals_by_operator,
              "removals_by_staging_airport": stats.removals_by_staging_airport,
              "shuttles_by_country": stats.shuttles_by_country}
    if json_:
        _emit_json(stats)
    elif csv_:
        writer = csvmod.writer(sys.stdout)
        writer.writerow(["group", "key", "legs"])
        for group, counts in groups.items():
            for key, n in counts.items():
                writer.writerow([group, key, n])
    else:
        out.print(f"[bold]{month}[/bold]: {stats.legs} legs; {stats.removals} removals "
                  f"({stats.removals_predicted} to a predicted destination), {stats.third_country} to third countries")
        for group, counts in groups.items():
            table = Table(group.replace("_", " "), "legs")
            for key, n in counts.items():
                table.add_row(str(key), str(n))
            out.print(table)


@flights_app.command("listen")
@_guard
def flights_listen(
    address: Annotated[str, typer.Argument(help="HOST:PORT of a receiver's feed.", show_default=False)],
    beast: Annotated[bool, typer.Option("--beast", help="Beast binary (port 30005) instead of SBS-1 text (port 30003).")] = False,
    seconds: Annotated[Optional[float], typer.Option("--seconds", help="Stop after this long [default: until the feed closes].")] = None,
    batch: Annotated[float, typer.Option("--batch", help="Write positions and rebuild flights every this many seconds.")] = 60.0,
    home: HomeOption = None,
) -> None:
    """Read a live receiver feed into the archive, rebuilding flights as positions arrive."""
    from removalwatch.flights import archive
    from removalwatch.flights.importer import rebuild_flights
    from removalwatch.flights.readers import beast as beast_reader, sbs
    from removalwatch.watch.sources import parse_address
    reader = beast_reader if beast else sbs
    host, port = parse_address(address, reader.DEFAULT_PORT)
    rw = _rw(home)
    engine, root, wl, rules = rw.engine, rw.home, rw.watchlist, rw.mission_rules()
    total = 0
    for report in reader.listen(host, port, batch_seconds=batch, max_seconds=seconds):
        written, days = archive.write(root, report.positions)
        total += written
        if days:
            rebuild_flights(engine, root, wl, days, rules)
        bad = ", ".join(f"{k}: {v}" for k, v in report.rejected.items())
        err.print(f"{report.kept} positions ({written} new){'; rejected ' + bad if bad else ''}")
    out.print(f"{total} positions written")


@watchlist_app.command("list")
@_guard
def watchlist_list(home: HomeOption = None, json_: JsonOption = False) -> None:
    """Show watched aircraft (package data and your own file) and watched classes."""
    from removalwatch.flights import watchlist
    wl = watchlist.load(_home(home))
    if json_:
        _emit_json({"aircraft": wl.entries(), "classes": wl.classes})
        return
    table = Table("icao24", "registration", "operator", "type", "callsigns", "valid", "from", title="aircraft")
    for a in wl.entries():
        valid = f"{a.valid_from or ''}–{a.valid_to or ''}"
        table.add_row(a.icao24, a.registration or "", a.operator or "", a.type or "", " ".join(a.callsign_prefixes),
                      valid, a.origin)
    out.print(table)
    table = Table("kind", "value", "operator", "description", title="classes")
    for c in wl.classes:
        table.add_row(c.kind, c.value, c.operator, c.description)
    out.print(table)


@watchlist_app.command("check")
@_guard
def watchlist_check(
    fleet: Annotated[Optional[Path], typer.Option("--fleet", help="A fleet list to compare with (CSV with ModeS, "
                                                                   "Registration, ICAOTypeCode, OperatorFlagCode).")] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="Compare the rows valid on this day (YYYY-MM-DD) with the fleet list.")] = None,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Report watchlist rows whose address, registration, operator or type disagree with each other
    (or with a fleet list). Exit code 1 when any do."""
    import csv as csvmod

    from removalwatch.errors import InputError
    from removalwatch.flights import watchlist
    rows = None
    if fleet is not None:
        try:
            with open(fleet, encoding="utf-8-sig", newline="") as f:
                reader = csvmod.DictReader(f)
                rows = list(reader)
        except (OSError, UnicodeDecodeError, csvmod.Error) as exc:
            raise InputError(str(fleet), f"cannot read the fleet list: {exc}") from None
        if "Registration" not in (reader.fieldnames or []):  # a fleet list with no registrations checks nothing
            raise InputError(str(fleet), "not a fleet list: line 1 has no Registration column "
                                         f"(found: {', '.join(reader.fieldnames or [])[:60] or 'nothing'})")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise InputError("--on", f"expected YYYY-MM-DD, got {on!r}") from None
    found = watchlist.check(watchlist.load(_home(home)), rows, day)
    if json_:
        _emit_json(found)
    else:
        for d in found:
            out.print(escape(f"{d.registration or '-'} ({d.icao24}): {d.problem}"), highlight=False)
        out.print(f"{len(found)} disagreements" if found else "every row agrees")
    if found:
        raise typer.Exit(1)


@watchlist_app.command("add")
@_guard
def watchlist_add(
    registration: Annotated[Optional[str], typer.Option("--registration", help="Registration, e.g. N278GX (a US N-number gives the address).")] = None,
    icao24: Annotated[Optional[str], typer.Option("--icao24", help="ICAO 24-bit address, 6 hex digits.")] = None,
    operator: Annotated[Optional[str], typer.Option("--operator")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="Aircraft type, e.g. A320.")] = None,
    callsigns: Annotated[Optional[str], typer.Option("--callsigns", help="Callsign designators separated by |, e.g. GXA.")] = None,
    valid_from: Annotated[Optional[str], typer.Option("--valid-from", help="YYYY-MM-DD")] = None,
    valid_to: Annotated[Optional[str], typer.Option("--valid-to", help="YYYY-MM-DD")] = None,
    source: Annotated[str, typer.Option("--source", help="Where the information comes from.")] = "user",
    home: HomeOption = None,
) -> None:
    """Watch an aircraft (written to HOME/watchlist.csv)."""
    from removalwatch.errors import InputError
    from removalwatch.flights import watchlist
    if not registration and not icao24:
        raise InputError("watchlist add", "give --registration or --icao24")
    entry = watchlist.parse_entry({"registration": registration, "icao24": icao24, "operator": operator,
                                   "type": type_, "callsign_prefixes": callsigns, "valid_from": valid_from,
                                   "valid_to": valid_to, "source": source}, "watchlist add", "user")
    watchlist.add(_home(home), [entry])
    out.print(f"watching {entry.icao24} ({entry.registration or 'no registration'})")


@watchlist_app.command("import")
@_guard
def watchlist_import(
    path: Annotated[Path, typer.Argument(help="CSV with registration and/or icao24, operator, type, "
                                              "callsign_prefixes, valid_from, valid_to, source.", show_default=False)],
    home: HomeOption = None,
) -> None:
    """Merge a CSV of aircraft into your watchlist; a bad row stops the import naming its line."""
    from removalwatch.flights import watchlist
    entries = watchlist.read_entries(path)
    new = watchlist.add(_home(home), entries)
    out.print(f"{len(entries)} aircraft read, {new} new")


@app.command("links")
@_guard
def links_command(home: HomeOption = None, json_: JsonOption = False) -> None:
    """Reported removal flights (events) and the observed flights that may be the same (same
    destination, a time the reports allow), with the reasons. Evidence to weigh, not proof."""
    from removalwatch.evidence.summary import event_summary, route
    links = _rw(home).links()
    if json_:
        _emit_json([{"event": _event_json(link.event), "flight": link.flight.model_dump(mode="json", exclude={"track"}),
                     "score": link.score, "reasons": link.reasons, "third_country": link.third_country}
                    for link in links])
        return
    for link in links:
        out.print(f"[bold]{escape(event_summary(link.event))}[/bold] ({_reports(link.event.documents)})", highlight=False)
        out.print(f"  ↔ {escape(link.flight.callsign or link.flight.icao24)} {escape(route(link.flight))}, "
                  f"score {link.score:.2f}", highlight=False)
        for reason in link.reasons:
            out.print(f"    - {escape(reason)}", highlight=False)
        if link.third_country:
            out.print(f"    [bold red]THIRD COUNTRY[/]: {escape(link.third_country)}", highlight=False)
    if not links:
        out.print("no reported removal flight matches an observed one")


@app.command("country")
@_guard
def country_command(
    country: Annotated[str, typer.Argument(help="ISO 3166 code or name, e.g. LY or Libya.", show_default=False)],
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """A country's dossier: its status, the events reports describe with who says what, the flights
    seen going there, and the contradictions side by side."""
    dossier = _rw(home).country(_country_code(country), most=None if json_ else VOICES_SHOWN)
    if json_:
        _emit_json({"country": dossier.country, "name": dossier.name, "status": dossier.status,
                    "status_reasons": dossier.status_reasons, "events": dossier.events,
                    "flights": [f.model_dump(mode="json", exclude={"track"}) for f in dossier.flights],
                    "links": [{"event": link.event.id, "flight": link.flight.id, "score": link.score,
                               "reasons": link.reasons, "third_country": link.third_country} for link in dossier.links],
                    "contradictions": [{"event": c.event.id, "supporting": c.supporting, "opposing": c.opposing}
                                       for c in dossier.contradictions],
                    "timeline": dossier.timeline})
        return
    _print_dossier(dossier)


def _country_code(value: str) -> str:
    import pycountry
    from removalwatch.errors import InputError
    from removalwatch.reports.extract.lexicon import lexicon
    text = value.strip()
    if len(text) == 2 and (text.upper() == "XK" or pycountry.countries.get(alpha_2=text.upper())):
        return text.upper()
    known = lexicon().countries.get(text) or lexicon().countries.get(text.title())
    if known:
        return known
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        raise InputError("country", f"{value!r} is not a country code or name (try an ISO code such as LY)") from None


def _print_dossier(d) -> None:
    from removalwatch.evidence.summary import event_summary, route
    out.print(f"[bold]{escape(d.name)} ({d.country})[/bold] — status: [bold]{d.status}[/bold]", highlight=False)
    for reason in d.status_reasons:
        out.print(f"  - {escape(reason)}", highlight=False)
    if d.empty:
        out.print("no reports or flights about this country in the store")
        return
    if d.contradictions:
        out.print("\n[bold]Contradictions[/bold] (both sides shown; RemovalWatch does not decide; per stance the "
                  f"{VOICES_SHOWN} voices heard in most reports, all with --json)")
    for c in d.contradictions:
        out.print(f"event {c.event.id}: {escape(event_summary(c.event))}", highlight=False)
        out.file.flush()
        _write_lines(_side_by_side(["ASSERTS OR CONFIRMS", *_voices(c.supporting)],
                                   ["DENIES OR REJECTS", *_voices(c.opposing)], out.width))
    if d.flights:
        out.print("\n[bold]Flights observed[/bold] (removal candidates going there)")
    for f in d.flights:
        out.print(f"  {escape(f.callsign or f.icao24)} {escape(route(f))}, score {f.removal_score:.2f}", highlight=False)
        for link in (lk for lk in d.links if lk.flight.id == f.id):
            out.print(f"    ↔ event {link.event.id}: {escape(event_summary(link.event))} — "
                      f"{escape('; '.join(link.reasons))}", highlight=False)
            if link.third_country:
                out.print(f"    [bold red]THIRD COUNTRY[/]: {escape(link.third_country)}", highlight=False)
    out.print("\n[bold]Timeline[/bold] (each voice's first statement on each event, and the flights)")
    lines = []
    for t in d.timeline:
        source = f" ({t.source})" if t.source and t.kind == "statement" else ""
        lines.append(f"  {t.day or 'undated'}  {t.stance or t.kind:<7} {t.text[:140]}{source}")
        if t.more:
            lines.append(f"{'':21}{t.more}")
    out.file.flush()
    _write_lines(lines)


@app.command("packet")
@_guard
def packet_command(
    country: Annotated[Optional[str], typer.Option("--country", help="A country's evidence (code or name).")] = None,
    flight: Annotated[Optional[int], typer.Option("--flight", help="One flight's evidence (id from `flights list --legs`).")] = None,
    claim: Annotated[Optional[int], typer.Option("--claim", help="One claim's event and its evidence (id from `claims`).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Folder for the files [default: HOME/packets].")] = None,
    reviewed_only: Annotated[bool, typer.Option("--reviewed-only", help="Leave out statements and claims no person has reviewed.")] = False,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write the HTML file only.")] = False,
    home: HomeOption = None,
    json_: JsonOption = False,
) -> None:
    """Write an evidence packet — flights with maps, statements with exact quotations, contradictions,
    the sha256 of every source — as a self-contained HTML file and a PDF, and print their paths."""
    packet, paths = _rw(home).packet(country=_country_code(country) if country is not None else None, flight=flight,
                                     claim=claim, out=out_dir, reviewed_only=reviewed_only, pdf=not no_pdf)
    if json_:
        _emit_json({"files": [str(p) for p in paths], "scope": packet.scope, "made_at": packet.made_at,
                    "events": len(packet.events), "flights": len(packet.flights), "sources": len(packet.sources)})
        return
    for path in paths:
        out.print(str(path), highlight=False, soft_wrap=True)


@app.command("watch")
@_guard
def watch_command(
    sbs: Annotated[Optional[list[str]], typer.Option("--sbs", help="HOST:PORT of a receiver's SBS-1 feed (port 30003); repeatable.")] = None,
    beast: Annotated[Optional[list[str]], typer.Option("--beast", help="HOST:PORT of a receiver's Beast feed (port 30005); repeatable.")] = None,
    aircraft_json: Annotated[Optional[list[str]], typer.Option("--aircraft-json", help="URL of a readsb/tar1090 aircraft.json (or a readsb-style API), polled; repeatable.")] = None,
    opensky: Annotated[Optional[str], typer.Option("--opensky", help="OpenSky REST URL polled for state vectors (e.g. .../api/states/all?lamin=..); credentials from OPENSKY_CLIENT_ID / OPENSKY_CLIENT_SECRET (token URL: OPENSKY_TOKEN_URL).")] = None,
    poll_every: Annotated[float, typer.Option("--poll-every", min=1, help="Seconds between polls of --aircraft-json and --opensky.")] = 10.0,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", help="URL of an RSS/Atom feed of reports; repeatable.")] = None,
    folder: Annotated[Optional[list[Path]], typer.Option("--folder", help="A folder where new report files appear; repeatable.")] = None,
    replay: Annotated[Optional[Path], typer.Option("--replay", help="Replay a recorded SBS-1 capture instead of (or besides) live feeds, then stop.")] = None,
    speed: Annotated[float, typer.Option("--speed", min=0.01, help="Replay at this many times the capture's own pace.")] = 1.0,
    feed_every: Annotated[float, typer.Option("--feed-every", min=1, help="Seconds between polls of each feed and folder.")] = 300.0,
    no_deliver: Annotated[bool, typer.Option("--no-deliver", help="Fill the outbox but send nothing (another process sends).")] = False,
    allow_private: AllowPrivateOption = False,
    home: HomeOption = None,
) -> None:
    """Watch live sources: receivers' feeds into flights of watched aircraft, report feeds and
    folders into the store; raise alerts (HOME/alerts.yaml) and send them. Logs one line per
    event on stderr; stops cleanly on SIGTERM or Ctrl-C (and at the end of a --replay)."""
    from removalwatch.errors import InputError
    from removalwatch.reports.fetch import check_url
    from removalwatch.watch.reports import FeedPoller, FolderPoller
    from removalwatch.watch.run import watch
    from removalwatch.watch.sources import OPENSKY_TOKEN_URL, Polled, Replay, TcpFeed
    from removalwatch.watch.stopping import Stopping
    if not (sbs or beast or aircraft_json or opensky or feed or folder or replay):
        raise InputError("watch", "name at least one source: --sbs, --beast, --aircraft-json, --opensky, --feed, "
                                  "--folder or --replay")
    rw = _rw(home)
    engine, where, config = rw.engine, rw.home, rw.alert_rules()
    for url in [*(feed or []), *(aircraft_json or []), *([opensky] if opensky else [])]:
        check_url(url, allow_private=allow_private)
    for path in folder or []:
        if not path.is_dir():
            raise InputError(str(path), "not a folder")

    def log(message: str) -> None:
        err.print(f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ} {escape(message)}", highlight=False,
                  soft_wrap=True)

    with Stopping() as stop:
        sources = [TcpFeed(a, beast=False, out=None, stop=stop, log=log) for a in sbs or []]
        sources += [TcpFeed(a, beast=True, out=None, stop=stop, log=log) for a in beast or []]
        sources += [Polled(url, kind="aircraft.json", every=poll_every, out=None, stop=stop, log=log,
                           allow_private=allow_private) for url in aircraft_json or []]
        if opensky:
            sources.append(Polled(opensky, kind="opensky", every=poll_every, out=None, stop=stop, log=log,
                                  allow_private=allow_private, client_id=os.environ.get("OPENSKY_CLIENT_ID"),
                                  client_secret=os.environ.get("OPENSKY_CLIENT_SECRET"),
                                  token_url=os.environ.get("OPENSKY_TOKEN_URL", OPENSKY_TOKEN_URL)))
        if replay:
            sources.append(Replay(replay, speed=speed, out=None, stop=stop, log=log))
        pollers = [FeedPoller(url, feed_every, allow_private) for url in feed or []]
        pollers += [FolderPoller(path, feed_every) for path in folder or []]
        log(f"watching {len(sources)} position sources and {len(pollers)} report sources; "
            f"{len(config.rules)} rules, channels: {', '.join(c.name for c in config.channels) or 'none'}")
        watch(engine, where, sources=sources, pollers=pollers, config=config, watchlist=rw.watchlist,
              rules=rw.mission_rules(), stop=stop, log=log,
              deliver=not no_deliver,
              until_replayed=bool(replay) and not (sbs or beast or aircraft_json or opensky or feed or folder))


@app.command("serve")
@_guard
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Server processes (more than one for a PostgreSQL store).")] = 1,
    anonymous_view: Annotated[Optional[bool], typer.Option(
        "--anonymous-view/--no-anonymous-view",
        help="Let people read without signing in (never write) [default: yes on loopback, no on any other address].",
        show_default=False)] = None,
    tile_server: Annotated[Optional[str], typer.Option(
        "--tile-server", help="Map tiles from this server, e.g. https://tile.example.org/{z}/{x}/{y}.png "
                              "[default: the OpenStreetMap tiles bundled, zoom 0-6, offline].")] = None,
    cache_seconds: Annotated[float, typer.Option(
        "--cache-seconds", min=0, help="Reuse an API answer for this long (0: never); a review made here clears it.")] = 5.0,
    home: HomeOption = None,
) -> None:
    """Serve the web app (http://HOST:PORT/) and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json)
    until stopped."""
    import ipaddress
    import os

    from removalwatch.web.app import serve
    rw = _rw(home)
    rw.engine  # opens (and migrates) the store once, before any worker starts
    if anonymous_view is None:
        try:
            anonymous_view = ipaddress.ip_address(host).is_loopback
        except ValueError:
            anonymous_view = host == "localhost"
    if workers > 1 and rw.settings.is_sqlite:
        err.print("note: several workers share one SQLite file; writes wait for each other (PostgreSQL does not)")
    os.environ.update(REMOVALWATCH_HOME=str(rw.home), REMOVALWATCH_DATABASE_URL=rw.settings.database_url,
                      REMOVALWATCH_ANONYMOUS_VIEW="1" if anonymous_view else "0",
                      REMOVALWATCH_TILE_SERVER=tile_server or "", REMOVALWATCH_CACHE_SECONDS=str(cache_seconds))
    out.print(f"RemovalWatch on http://{host}:{port}/ ({'anyone may read' if anonymous_view else 'sign-in needed'}; "
              "Ctrl-C stops)")
    serve(host, port, workers)


@users_app.command("add")
@_guard
def users_add(
    name: Annotated[str, typer.Argument(help="The name to sign in with.")],
    role: Annotated[str, typer.Option("--role", help="viewer (read), reviewer (read, confirm, reject, correct) or admin.")] = "reviewer",
    password: Annotated[Optional[str], typer.Option(
        "--password", envvar="REMOVALWATCH_PASSWORD", help="The password (else asked for, not echoed).", show_default=False)] = None,
    home: HomeOption = None,
) -> None:
    """Add a person who can sign in (the password is stored as an argon2 hash)."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _rw(home).add_user(name, password, role)
    out.print(f"added {user.name} ({user.role})")


@users_app.command("list")
@_guard
def users_list(home: HomeOption = None) -> None:
    """The people who can sign in, with their roles."""
    for user in _rw(home).users():
        out.print(f"{user.name:<24} {user.role}", highlight=False)


@users_app.command("token")
@_guard
def users_token(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for (shown in the audit log).")] = "script",
    home: HomeOption = None,
) -> None:
    """Make an API token for scripts (sent as `Authorization: Bearer TOKEN`); it is shown once."""
    out.print(_rw(home).create_token(name, label), highlight=False)


@app.command("demo")
@_guard
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
    table = _table(["id", "published", "stmts", "claims"], "sample report (countries it names, most first)", [],
                   wide=False)
    for d in report.documents:
        table.add_row(str(d.id), str(d.published or ""), str(d.statements), str(d.claims),
                      f"{d.title or ''} ({', '.join(d.countries)})")
    out.print(table)
    out.print(f"{len(report.documents)} documents, {len(report.countries)} countries mentioned: "
              + ", ".join(f"{c} ({n})" for c, n in report.countries.items()), highlight=False)
    out.print(f"\n[bold]{len(report.events)} events[/bold] (the claims of all reports, one line per thing reported)")
    for line in report.events:
        out.print(f"  {escape(line)}", highlight=False)
    out.print(f"\n[bold]{len(report.contested)} contested[/bold] (statements on both sides; RemovalWatch does not decide)")
    for item in report.contested:
        out.print(f"  {escape(item.event)} ({_reports(item.reports)})", highlight=False)
        out.print(f"    asserts: {escape('; '.join(item.supporting))}", highlight=False)
        out.print(f"    denies:  {escape('; '.join(item.opposing))}", highlight=False)
    out.print(f"\n[bold]{len(report.missions)} missions[/bold] from sample ADS-B tracks (synthetic)")
    for m in report.missions:
        flag = " [bold red]THIRD COUNTRY[/]" if m.third_country else ""
        verdict = f"removal candidate, score {m.removal_score:.2f}" if m.candidate else "not a removal candidate"
        out.print(f"  {' '.join(m.callsigns) or m.icao24} {escape(m.route)}  {verdict}{flag}", highlight=False)
        for reason in m.reasons:
            out.print(f"    - {escape(reason)}", highlight=False)
    out.print(f"\n[bold]{len(report.links)} event ↔ flight links[/bold] (evidence they may be one event, not proof)")
    for link in report.links:
        out.print(f"  {escape(link.event)}  ↔  {escape(link.flight)}", highlight=False)
        out.print(f"    {escape('; '.join(link.reasons))}", highlight=False)
        if link.third_country:
            out.print(f"    [bold red]THIRD COUNTRY[/]: {escape(link.third_country)}", highlight=False)
    out.print("\n[bold]Dossier[/bold] (`removalwatch country LY`)")
    _print_dossier(report.libya)
    a = report.alerts
    out.print(f"\n[bold]{len(a.raised)} alerts[/bold] (the sample ADS-B feed replayed through `removalwatch watch`; "
              f"sent to the Atom feed {a.atom_feed} and to a webhook receiver on {a.webhook_url}, "
              f"which got {len(a.webhook_received)}, signatures checked)")
    for alert in a.raised:
        out.print(f"  {escape(alert.subject)}", highlight=False)
        if alert.commands:
            out.print(f"    {escape('; '.join(alert.commands))}", highlight=False)
    out.print("\n[bold]Evidence packet[/bold] (`removalwatch packet --country LY`)")
    for path in report.packet:
        out.print(path, highlight=False, soft_wrap=True)
    out.print(f"\n[bold]In a browser[/bold]: removalwatch serve --home {report.home}, then "
              "http://127.0.0.1:8000/countries/LY", highlight=False, soft_wrap=True)


def main() -> None:
    try:
        app()
    except RemovalWatchError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
