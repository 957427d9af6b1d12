"""Flight tables as researchers use them: ICE Air contractor legs (Radarbox exports) and the Yakima
sighting tables, counted as removals, returns, domestic legs and charters, month by month."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from removalwatch.cli import app
from tests.conftest import shared_path

runner = CliRunner()
UWCHR = "reference/flights/uwchr-ice-air"
HEADER = (",Date,Flight,Departure,STD,Arrival,STA,Aircraft,Status,Duration,Unnamed: 9,Airline,ArrivalLoc,"
          "ArrivalIATA,ArrivalICAO,DepartureLoc,DepartureIATA,DepartureICAO")


def row(date, flight, dep, std, arr, aircraft, status="Landed", duration="02h00m", airline="SwiftAir/iAero"):
    return f'0,{date},{flight},x,{std},y,,{aircraft},{status},{duration},,{airline},,,{arr},,,{dep}'


def stats(month: str, *args: str) -> dict:
    result = runner.invoke(app, ["flights", "stats", "--month", month, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_march_2020_counts_no_cuba_charter_as_a_removal(home):
    result = runner.invoke(app, ["flights", "import", str(shared_path(f"{UWCHR}/RadarboxSWQ+WAL20200112-20200427.csv")),
                                 "--json"])
    assert result.exit_code == 0, result.output
    [table] = json.loads(result.output)["files"]
    # every row is a leg, rejected for want of any known airport, or a repeat of another row
    assert table["flights_added"] + sum(table["rejected"].values()) + table["notes"]["repeated row (counted once)"] == 5885
    march = stats("2020-03", "--source", "table:radarbox")
    assert "CU" not in march["removals_by_country"]
    assert march["shuttles_by_country"]["CU"] > 150          # Miami–Havana charters, counted apart
    # hand count: the 33 rows of March 2020 that arrive in Guatemala City, all from US airports, none repeated
    assert march["removals_by_country"]["GT"] == 33
    assert {"removal", "return", "domestic", "positioning", "shuttle", "charter"} <= set(march["by_role"])
    assert sum(march["by_role"].values()) == march["legs"]
    assert march["removals_by_staging_airport"]["KAEX"] >= 10


def test_a_table_row_keeps_what_it_knows(home, tmp_path):
    """One airport missing is kept and inferred from the aircraft's next leg; a watchlist match adds to
    the score; legs are the same only with the same aircraft, time and both airports; months are local."""
    path = tmp_path / "table.csv"
    path.write_text("\n".join([
        HEADER,
        row("2020-03-31", "WQ3557", "KPHX", "", "", "B734 (N441US)", "Landed 21:40 MST", "01h10m"),  # no arrival
        row("2020-03-31", "WQ3558", "KIWA", "22:30 MST", "MHLM", "B734 (N441US)"),  # 05:30Z on April 1st
        row("2020-03-31", "WQ3558", "KIWA", "22:30 MST", "MHLM", "B734 (N441US)"),  # the same row again
        row("2020-04-01", "WQ3559", "MHLM", "", "KIWA", "B734 (N441US)"),           # no time: date only
    ]) + "\n")
    result = runner.invoke(app, ["flights", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    [file] = json.loads(result.output)["files"]
    assert (file["flights_read"], file["notes"]["repeated row (counted once)"]) == (3, 1)
    legs = json.loads(runner.invoke(app, ["flights", "list", "--legs", "--json"]).output)
    first = legs[0]
    assert first["landing_airport"] == "KIWA" and first["landing_basis"] == "inferred"
    assert first["role"] == "positioning"
    removal = next(f for f in legs if f["landing_airport"] == "MHLM")
    assert removal["local_day"] == "2020-03-31" and removal["first_seen"].startswith("2020-04-01T05:30")
    assert removal["role"] == "outbound" and removal["removal_score"] >= 0.8
    assert stats("2020-03")["removals_by_country"] == {"HN": 1}    # March in Phoenix, April in UTC
    assert stats("2020-04")["by_role"] == {"return": 1}
    back = next(f for f in legs if f["takeoff_airport"] == "MHLM")
    assert back["time_known"] is False and back["leg_key"].endswith("|--|MHLM|KIWA")


def test_yakima_sighting_tables_are_read_and_overlapping_files_add_nothing_twice(home):
    folder = shared_path(UWCHR)
    files = sorted(str(p) for p in folder.glob("ICEAirKYKM*.csv"))
    result = runner.invoke(app, ["flights", "import", *files, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["files"]
    assert all(f["kind"] == "yakima-sightings" and f["flights_read"] > 0 for f in report)
    assert report[-1]["flights_added"] < report[-1]["flights_read"] / 10   # the last file repeats the others
    again = json.loads(runner.invoke(app, ["flights", "import", *files, "--json"]).output)["files"]
    assert sum(f["flights_added"] for f in again) == 0
    legs = json.loads(runner.invoke(app, ["flights", "list", "--legs", "--json"]).output)
    first = next(f for f in legs if f["callsign"] == "RPN529")
    assert (first["takeoff_airport"], first["landing_airport"]) in {("KIWA", "KYKM"), ("KYKM", "KELP")}
    boarded = next(f for f in legs if f["callsign"] == "RPN529" and f["takeoff_airport"] == "KYKM")
    assert boarded["first_seen"].startswith("2019-05-07T17:30") and "92 people boarded" in boarded["takeoff_evidence"]


def test_bad_rows_are_counted_and_an_unreadable_table_is_named(home, tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("\n".join([HEADER, row("not a date", "WQ1", "KAEX", "", "MGGT", "B734"),
                               row("2020-03-02", "WQ2", "", "", "", "B734"),
                               row("2020-03-02", "WQ3", "KAEX", "08:00 CST", "MGGT", "B734 (N441US)")]) + "\n")
    [file] = json.loads(runner.invoke(app, ["flights", "import", str(path), "--json"]).output)["files"]
    assert file["rejected"] == {"bad date": 1, "no known airport": 1} and file["flights_read"] == 1
    broken = tmp_path / "broken.csv"
    broken.write_text("Date,Flight,Departure,Arrival\n2020-01-01,WQ1,x,y\n")
    result = runner.invoke(app, ["flights", "import", str(broken), "--json"])
    assert result.exit_code == 1
    assert "needs Date, Flight, DepartureICAO and ArrivalICAO" in json.loads(result.output)["files"][0]["error"]
