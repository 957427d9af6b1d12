"""Stored statements and claims: what `reports add`, `reports reextract` and `claims` show."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.config import settings
from removalwatch.demo import sample_reports_dir
from removalwatch.reports.extract import engine_version
from removalwatch.reports.ingest import add_reports, reextract_reports
from removalwatch.store import open_store
from removalwatch.store.documents import list_documents
from removalwatch.store.extractions import all_claims
from removalwatch.store.schema import claims, statement_claims, statements

runner = CliRunner()
LIBYA = str(sample_reports_dir() / "libya-military-flight.html")


def test_added_report_stores_statements_claims_and_links(engine):
    [result] = add_reports(engine, [LIBYA])
    assert result.status == "added"
    [doc] = list_documents(engine)
    assert doc.statements >= 10 and doc.claims >= 2
    stored = all_claims(engine)
    flight = next(c for c in stored if c.type == "removal_flight")
    assert flight.attributes["destination"] == "LY" and flight.status == "planned"
    assert any("officials" in s.speaker for s in flight.statements)
    deal = next(c for c in stored if c.type == "agreement")
    assert deal.attributes["parties"] == ["LY", "US"] and deal.status == "denied"
    assert {s.stance for s in deal.statements} >= {"deny", "reject"}


def test_reextract_replaces_an_outdated_extraction_without_duplicates(engine):
    add_reports(engine, [LIBYA])
    before = list_documents(engine)[0]
    with engine.begin() as conn:
        conn.execute(update(statements).values(engine_version="rules-0.0"))
        conn.execute(update(claims).values(engine_version="rules-0.0"))
    assert reextract_reports(engine, only_outdated=True) == 1
    assert reextract_reports(engine, only_outdated=True) == 0
    after = list_documents(engine)[0]
    assert (after.statements, after.claims) == (before.statements, before.claims)
    with engine.connect() as conn:
        versions = set(conn.execute(select(statements.c.engine_version)).scalars())
        links = conn.execute(select(statement_claims)).all()
    assert versions == {engine_version()}
    assert len(links) == len(set(links)) > 0


def test_adding_again_keeps_one_extraction(engine):
    add_reports(engine, [LIBYA])
    add_reports(engine, [LIBYA])
    [doc] = list_documents(engine)
    with engine.connect() as conn:
        n = conn.execute(select(statements.c.id)).all()
    assert len(n) == doc.statements


def test_claims_contested_lists_each_contested_event_with_both_sides(home):
    assert runner.invoke(app, ["reports", "add", LIBYA]).exit_code == 0
    result = runner.invoke(app, ["claims", "--contested", "--json"])
    assert result.exit_code == 0, result.output
    contested = json.loads(result.output)
    flight = next(c for c in contested if c["event"]["type"] == "removal_flight")
    assert flight["event"]["key"] == "LY" and flight["event"]["status"] == "contested"
    assert any("officials" in s["speaker"] and s["stance"] == "assert" for s in flight["supporting"])
    assert {(s["speaker"], s["stance"]) for s in flight["opposing"]} >= {
        ("Government of National Unity", "deny"), ("Libyan National Army", "reject")}
    assert all(v["latest"]["document_sha256"] and v["latest"]["document_title"] for v in flight["opposing"])
    text = runner.invoke(app, ["claims", "--contested"], env={"COLUMNS": "200"}).output
    assert "contested event" in text and "denies: Government of National Unity (LY) deny" in text


def test_claims_without_contest_are_not_listed_as_contested(home, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("Costa Rica agreed to serve as a bridge for 200 migrants deported by the United States, "
                      "officials said.\n")
    assert runner.invoke(app, ["reports", "add", str(report)]).exit_code == 0
    assert json.loads(runner.invoke(app, ["claims", "--contested", "--json"]).output) == []
    listed = json.loads(runner.invoke(app, ["claims", "--json"]).output)
    assert [c["attributes"]["parties"] for c in listed if c["type"] == "agreement"] == [["CR", "US"]]


def test_reextract_command(home):
    runner.invoke(app, ["reports", "add", LIBYA])
    result = runner.invoke(app, ["reports", "reextract", "--json"])
    assert json.loads(result.output) == {"reextracted": 1, "engine_version": engine_version()}
    assert len(all_claims(open_store(settings()))) >= 2


def test_reextract_outdated_follows_any_change_of_engine(home):
    """A document extracted by another engine version (any change of the engine's code or data gives
    a new one) is re-extracted by --outdated; once current, it is left alone."""
    from sqlalchemy import update

    from removalwatch.store.schema import claims, statements
    runner.invoke(app, ["reports", "add", LIBYA])
    engine = open_store(settings())
    with engine.begin() as conn:
        for table in (statements, claims):
            conn.execute(update(table).values(engine_version="rules-0.1"))
    again = json.loads(runner.invoke(app, ["reports", "reextract", "--outdated", "--json"]).output)
    assert again == {"reextracted": 1, "engine_version": engine_version()}
    assert engine_version().startswith("rules-") and engine_version() != "rules-0.1"
    assert json.loads(runner.invoke(app, ["reports", "reextract", "--outdated", "--json"]).output)["reextracted"] == 0
