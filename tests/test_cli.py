"""The `removalwatch` command as a user meets it: help, version, demo, db upgrade, store settings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from removalwatch import __version__
from removalwatch.cli import app

runner = CliRunner()


def all_commands():
    def walk(command, path):
        yield path
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "removalwatch")
def test_every_command_has_help(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"removalwatch {__version__}"


def test_demo_shows_the_sample_reports_and_their_countries(tmp_path):
    result = runner.invoke(app, ["demo", "--home", str(tmp_path / "demo"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    titles = [d["title"] for d in report["documents"]]
    assert len(titles) >= 3 and all(t.startswith("Sample:") for t in titles)
    libya = next(d for d in report["documents"] if "Libya" in d["title"])
    assert libya["countries"][0] == "LY" and libya["published"] == "2025-05-07"
    assert {"LY", "SV", "SS", "SZ", "CR"} <= set(report["countries"])
    assert any(e.startswith("removal flight US → LY (planned, military aircraft)") and "contested" in e
               for e in report["events"])
    libya = next(c for c in report["contested"] if c["event"].startswith("removal flight US → LY"))
    assert "Government of National Unity (deny)" in libya["opposing"]
    c17 = next(m for m in report["missions"] if m["callsigns"] == ["RCH4451"])
    assert c17["route"] == "KSKF (staging) → HLMS LY" and c17["candidate"] and c17["third_country"]
    assert c17["removal_score"] == 0.798  # address block, callsign, staging airport, leaves the US
    assert any(link["event"].startswith("removal flight US → LY") and link["flight"].startswith("RCH4451")
               for link in report["links"])
    # the GlobalX flight to San Salvador: a third-country removal by the reports' account (Venezuelans)
    globalx = next(link for link in report["links"] if link["flight"].startswith("GXA6712"))
    assert "nationals of VE, not of SV" in globalx["third_country"]
    dossier = report["libya"]
    assert dossier["status"] == "flight observed despite denial"
    assert [f["callsign"] for f in dossier["flights"]] == ["RCH4451"]
    assert any(c["event"]["type"] == "removal_flight" for c in dossier["contradictions"])
    alerts = report["alerts"]
    c17_alert = next(a for a in alerts["raised"] if a["key"].startswith("third-country:ae07e1"))
    assert c17_alert["country"] == "LY" and "removalwatch packet --country LY" in c17_alert["commands"]
    assert c17_alert["key"] in alerts["webhook_received"]  # delivered, signature checked by the receiver
    assert sorted(alerts["webhook_received"]) == sorted(a["key"] for a in alerts["raised"])
    assert "RCH4451" in open(alerts["atom_feed"], encoding="utf-8").read()
    html, pdf = report["packet"]
    assert html.endswith(".html") and pdf.endswith(".pdf") and "RCH4451" in open(html, encoding="utf-8").read()
    assert (tmp_path / "demo" / "removalwatch.db").exists()


def test_demo_twice_in_one_home_adds_nothing_twice(tmp_path):
    runs = [json.loads(runner.invoke(app, ["demo", "--home", str(tmp_path), "--json"]).output) for _ in range(2)]
    assert runs[0]["documents"] == runs[1]["documents"]


def test_demo_as_a_new_user_runs_it(tmp_path):
    """The README's command, in a real process, with its table output."""
    result = subprocess.run([sys.executable, "-m", "removalwatch", "demo"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "Sample: US weighs military flight of deportees to Libya" in result.stdout
    assert "5 documents" in result.stdout
    assert "contested" in result.stdout and "denies:  Government of National Unity (deny)" in result.stdout
    assert "Libya (LY) — status: flight observed despite denial" in result.stdout
    assert "THIRD COUNTRY: reports say the people aboard are nationals of VE, not of SV" in result.stdout
    assert "packet-country-LY-" in result.stdout and ".pdf" in result.stdout
    assert "RCH4451 (ae07e1, US Air Mobility Command) heading to third country LY" in result.stdout


def test_db_upgrade_reports_the_head_revision(home):
    from removalwatch.store import head_revision
    result = runner.invoke(app, ["db", "upgrade", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["revision"] == head_revision()
    assert (home / "removalwatch.db").exists()


def test_any_command_creates_the_store_by_itself(home):
    result = runner.invoke(app, ["reports", "list", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []
    assert (home / "removalwatch.db").exists()


def test_store_on_postgresql_through_the_environment(home, monkeypatch, postgres_schema_url, tmp_path):
    monkeypatch.setenv("REMOVALWATCH_DATABASE_URL", postgres_schema_url)
    (tmp_path / "r.txt").write_text("The ministry denied any agreement.")
    assert runner.invoke(app, ["reports", "add", str(tmp_path / "r.txt")]).exit_code == 0
    docs = json.loads(runner.invoke(app, ["reports", "list", "--json"]).output)
    assert [d["source"] for d in docs] == [str(tmp_path / "r.txt")]
    assert not (home / "removalwatch.db").exists()


def test_unreachable_database_is_one_clear_line(home, monkeypatch):
    monkeypatch.setenv("REMOVALWATCH_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = subprocess.run([sys.executable, "-m", "removalwatch", "reports", "list"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the store at postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_named(home, monkeypatch):
    monkeypatch.setenv("REMOVALWATCH_DATABASE_URL", "not a url")
    result = subprocess.run([sys.executable, "-m", "removalwatch", "reports", "list"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "REMOVALWATCH_DATABASE_URL is not a database URL" in result.stderr


def test_listings_fit_an_80_column_terminal_and_wide_shows_every_column(home):
    from removalwatch.demo import sample_reports_dir
    assert runner.invoke(app, ["reports", "add", str(sample_reports_dir())]).exit_code == 0
    for command in (["reports", "list"], ["events", "list"]):
        narrow = runner.invoke(app, command, env={"COLUMNS": "80"}).output.splitlines()
        assert all(len(line) <= 80 for line in narrow), command
        assert len(narrow) == 1 + len(json.loads(runner.invoke(app, [*command, "--json"]).output))  # a line each
    wide = runner.invoke(app, ["reports", "list", "--wide"], env={"COLUMNS": "250"}).output
    assert "sha256" in wide and "publisher" in wide
