"""The watchlist as monitors keep it: every aircraft from public reporting, versioned by date, checked
for rows whose address, registration, operator or type disagree."""

from __future__ import annotations

import datetime as dt
import json
import re

from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.flights.nnumber import n_number_to_icao
from removalwatch.flights.watchlist import load
from tests.conftest import shared_path

runner = CliRunner()
FLEET = "reference/flights/fleet/aircraft-wiseman-ice-air.csv"


def test_every_aircraft_in_public_reporting_is_watched():
    readme = shared_path("reference/README.md").read_text(encoding="utf-8")
    reported = readme[readme.index("Aircraft seen on ICE Air"):readme.index("Other callsigns")]
    named = set(re.findall(r"\bN\d{1,5}[A-Z]{0,2}\b", reported))
    watched = {e.registration for e in load(None).entries()}
    assert len(named) == 24 and named <= watched
    classes = {c.value for c in load(None).classes if c.kind == "callsign"}
    assert {"RPN", "GXA", "SWQ", "WAL", "HWA", "RCH", "EAL", "BBQ", "TYSON"} <= classes


def test_a_leased_aircraft_has_the_operator_of_the_day():
    wl = load(None)
    icao = n_number_to_icao("N276GX")
    assert wl.operator(icao, None, dt.date(2025, 6, 1)) == "TUI fly Netherlands"
    assert wl.operator(icao, None, dt.date(2026, 8, 1)) == "GlobalX"
    assert wl.match(n_number_to_icao("N703KW"), "EAL8270", dt.date(2025, 6, 1)) == ["callsign EAL8270 (Eastern Airlines)"]
    assert wl.match(n_number_to_icao("N703KW"), "EAL8270", dt.date(2026, 8, 26))[0] == \
        "watched aircraft N703KW (Eastern Airlines)"


def test_the_package_watchlist_agrees_with_itself_and_with_the_fleet_list(home):
    result = runner.invoke(app, ["watchlist", "check"])
    assert result.exit_code == 0 and "every row agrees" in result.output
    fleet = str(shared_path(FLEET))
    assert runner.invoke(app, ["watchlist", "check", "--fleet", fleet, "--on", "2025-06-01"]).exit_code == 0
    later = runner.invoke(app, ["watchlist", "check", "--fleet", fleet, "--on", "2026-06-01", "--json"])
    assert later.exit_code == 1
    problems = json.loads(later.output)
    # two 2025 TUI aircraft flew for GlobalX by 2026: the 2025 fleet list no longer describes them
    assert sorted(p["registration"] for p in problems) == ["N276GX", "N630VA"]


def test_disagreeing_rows_are_reported(home, tmp_path):
    rows = tmp_path / "mine.csv"
    rows.write_text("registration,icao24,operator,type,callsign_prefixes,valid_from,valid_to,source\n"
                    "N123AB,a00001,GlobalX,A320,GXA,2025-01-01,,wrong address\n"
                    "N124AB,,GlobalX,B738,EAL,2025-01-01,,callsign and type of another operator\n"
                    "N125AB,,Hillwood Airways,B738,BBQ,2025-01-01,,overlapping rows\n"
                    "N125AB,,GlobalX,A320,GXA,2025-06-01,,overlapping rows\n")
    assert runner.invoke(app, ["watchlist", "import", str(rows)]).exit_code == 0
    result = runner.invoke(app, ["watchlist", "check", "--json"])
    assert result.exit_code == 1
    problems = {(p["registration"], p["problem"].split(" ")[0]) for p in json.loads(result.output)}
    assert problems == {("N123AB", "address"), ("N124AB", "callsign"), ("N124AB", "type"), ("N125AB", "valid")}


def test_a_file_that_is_no_fleet_list_is_named(home, tmp_path):
    (tmp_path / "notes.txt").write_text("Uganda will receive about 40 deportees next week.\n")
    result = runner.invoke(app, ["watchlist", "check", "--fleet", str(tmp_path / "notes.txt")])
    assert result.exit_code == 1
    assert "notes.txt" in result.output and "no Registration column" in result.output
