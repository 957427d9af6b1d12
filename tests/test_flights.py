"""The flight engine as a volunteer monitor or researcher uses it: import data, see flights and candidates."""

from __future__ import annotations

import csv
import datetime as dt
import json
import socket
import threading
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.errors import InputError
from removalwatch.flights.build import build_flights
from removalwatch.flights.nnumber import icao_to_n_number, n_number_to_icao
from removalwatch.flights.readers import read_positions
from removalwatch.flights.readers import beast, sbs
from removalwatch.flights.synthetic import synthetic_flight
from removalwatch.flights.watchlist import callsign_matches, load
from tests.conftest import shared_path

runner = CliRunner()
UTC = dt.timezone.utc


def c17(stop_at: float = 1.0, departure=dt.datetime(2025, 5, 7, 14, 0, tzinfo=UTC)) -> pa.Table:
    return synthetic_flight("KSKF", "HLMS", departure, icao24="ae07e1", callsign="RCH4451", cruise_ft=31000,
                            cruise_kt=430, step_s=10, ocean_gap=(0.3, 0.75), stop_at=stop_at, seed=1)


def flights_json(*args: str) -> list[dict]:
    """The stored legs, as `flights list --legs --json` prints them."""
    result = runner.invoke(app, ["flights", "list", "--legs", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def missions_json(*args: str) -> dict:
    result = runner.invoke(app, ["flights", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def import_files(*paths) -> dict:
    result = runner.invoke(app, ["flights", "import", *map(str, paths), "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


# --- N-numbers -----------------------------------------------------------------------------------

def test_fleet_registrations_convert_to_their_listed_addresses():
    path = shared_path("reference/flights/fleet/aircraft-wiseman-ice-air.csv")
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert len(rows) == 14
    assert [n_number_to_icao(r["Registration"]) for r in rows] == [r["ModeS"].lower() for r in rows]


@pytest.mark.parametrize("registration, icao", [("N1", "a00001"), ("N99999", "adf7c7"), ("N1A", "a00002"),
                                                ("N1AA", "a00003"), ("N10", "a0025a"), ("N9ZZ", "ac6cd1")])
def test_n_number_algorithm_at_the_block_edges(registration, icao):
    assert n_number_to_icao(registration) == icao
    assert icao_to_n_number(icao) == registration


def test_every_us_address_round_trips():
    for value in range(0xA00001, 0xADF7C8, 997):
        assert n_number_to_icao(icao_to_n_number(f"{value:06x}")) == f"{value:06x}"


# --- the reference samples ----------------------------------------------------------------------

def test_readsb_trace_ends_with_a_flight_landing_at_denver():
    report = read_positions(shared_path("reference/flights/traffic-samples/trace_full_ac671b.json"))
    assert report.kept == 2500 and not report.rejected
    flights = build_flights(report.positions, load(None)).flights
    last = flights[-1]
    assert (last.takeoff_airport, last.landing_airport, last.landing_observed) == ("KMSP", "KDEN", True)
    assert last.callsign == "DAL2927" and last.registration == "N899DN"
    assert all(f.icao24 == "ac671b" for f in flights) and len(flights) == 4  # the trace's four legs


def test_beast_capture_decodes_to_positions():
    report = read_positions(shared_path("reference/flights/traffic-samples/sample_dump1090.bin"))
    assert report.kept >= 2
    rows = report.positions.to_pylist()
    assert {r["icao24"] for r in rows} == {"48520a"}
    assert all(43 < r["lat"] < 44 and 1 < r["lon"] < 2 and r["altitude_ft"] == 38000 for r in rows)


def test_opensky_sample_becomes_flights_with_airports():
    report = read_positions(shared_path("reference/flights/traffic-samples/switzerland.json.gz"))
    assert report.kept == 139_098
    flights = build_flights(report.positions, load(None)).flights
    assert len({f.icao24 for f in flights}) == 842
    # every track is en route over Switzerland (none lands in the sample): each gets ranked destinations
    assert all(f.predicted and not f.landing_observed for f in flights)
    assert Counter(f.predicted[0].country for f in flights).most_common(1)[0][1] > 50


# --- readers and bad input --------------------------------------------------------------------------

def beast_frame(message_hex: str, clock: int) -> bytes:
    body = clock.to_bytes(6, "big") + b"\x80" + bytes.fromhex(message_hex)
    return b"\x1a\x33" + body.replace(b"\x1a", b"\x1a\x1a")


PAIR = [("8D40621D58C382D690C8AC2863A7", 0), ("8D40621D58C386435CC412692AD6", 12_000_000)]


def test_beast_bad_crc_and_truncation_are_counted_not_decoded():
    good = b"".join(beast_frame(m, c) for m, c in PAIR)
    corrupt = beast_frame("8D40621D58C382D690C8AC2863A8", 24_000_000)  # last byte changed: CRC fails
    report = beast.read_bytes(good + corrupt + good[:9], "test", dt.datetime(2025, 1, 1, tzinfo=UTC))
    assert report.rejected["bad CRC"] == 1 and report.rejected["truncated frame"] == 1
    assert report.kept >= 1
    lat, lon = report.positions["lat"][0].as_py(), report.positions["lon"][0].as_py()
    assert abs(lat - 52.26) < 0.02 and abs(lon - 3.93) < 0.02  # the textbook CPR pair, off the Dutch coast


SBS_LINES = [
    "MSG,1,1,1,A2C4E0,1,2025/03/15,16:30:00.000,2025/03/15,16:30:00.000,GXA6712,,,,,,,,,,,0",
    "MSG,4,1,1,A2C4E0,1,2025/03/15,16:30:01.000,2025/03/15,16:30:01.000,,,420,95.0,,,-64,,,,,0",
    "MSG,3,1,1,A2C4E0,1,2025/03/15,16:30:02.000,2025/03/15,16:30:02.000,,33000,,,26.2,-97.6,,,,,,0",
    "this is not SBS",
    "MSG,3,1,1,A2C4E0,1,2025/03/15,16:30:12.000,2025/03/15,16:30:12.000,,33000,,,95.0,-97.5,,,,,,0",
    "MSG,3,1,1,A2C4E0,1,2025/03/15,16:30:22.000,2025/03/15,16:30:22.000,,33000,,,26.21,-97.58,,,,,,0",
    "MSG,3,1,1,A2C4E0,1,2025/03/15,16:30:22.000,2025/03/15,16:30:22.000,,33000,,,26.21,-97.58,,,,,,0",
    "MSG,3,1,1,A2C4E0,1,2025/03/15,16:31:22.000,2025/03/15,16:31:22.000,,33000,,,44.0,-80.0,,,,,,0",
    "MSG,3,1,1,A2C4E0,1,2099/03/15,16:30:22.000,2099/03/15,16:30:22.000,,33000,,,26.3,-97.5,,,,,,0",
]


def test_sbs_file_counts_every_kind_of_bad_record(tmp_path):
    path = tmp_path / "feed.sbs"
    path.write_text("\n".join(SBS_LINES) + "\n")
    report = read_positions(path)
    assert dict(report.rejected) == {"garbage line": 1, "latitude out of range": 1, "time in the future": 1,
                                     "duplicate message": 1, "impossible jump": 1}
    rows = report.positions.to_pylist()
    assert [(r["lat"], r["callsign"], r["ground_speed_kt"]) for r in rows] == [
        (26.2, "GXA6712", 420.0), (26.21, "GXA6712", 420.0)]


@pytest.mark.parametrize("content, message", [
    (b'{"icao": "ac671b", "timestamp": 1, "trace": [[0, 1', "truncated or invalid JSON"),
    (b"\x89PNG\r\n\x1a\n", "unknown flight data format"),
    (b"", "unknown flight data format"),
])
def test_unreadable_files_are_named(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_positions(path)
    assert str(path) in str(info.value) and message in str(info.value)


def serve_once(payload: bytes) -> int:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def run():
        conn, _ = server.accept()
        with conn:
            conn.sendall(payload)
        server.close()

    threading.Thread(target=run, daemon=True).start()
    return server.getsockname()[1]


def test_live_sbs_feed_over_tcp():
    port = serve_once(("\n".join(SBS_LINES[:3] + SBS_LINES[5:6]) + "\n").encode())
    reports = list(sbs.listen("127.0.0.1", port, batch_seconds=60, max_seconds=10))
    assert sum(r.kept for r in reports) == 2


def test_live_beast_feed_over_tcp():
    port = serve_once(b"".join(beast_frame(m, c) for m, c in PAIR))
    reports = list(beast.listen("127.0.0.1", port, batch_seconds=60, max_seconds=10))
    assert sum(r.kept for r in reports) >= 1


def test_opensky_csv_in_si_units_is_converted(tmp_path):
    path = tmp_path / "states.csv"
    path.write_text("time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,squawk,baroaltitude\n"
                    "1746626400,AE07E1,29.38,-98.58,100.0,90.0,5.08,RCH4451 ,False,1234,1000.0\n")
    [row] = read_positions(path).positions.to_pylist()
    assert row["icao24"] == "ae07e1" and row["callsign"] == "RCH4451"
    assert round(row["altitude_ft"]) == 3281 and round(row["ground_speed_kt"]) == 194
    assert round(row["vertical_rate_fpm"]) == 1000 and row["on_ground"] is False


# --- import, flights, classification ------------------------------------------------------------------

def write_opensky_csv(table: pa.Table, path):
    """The synthetic table as OpenSky's historical-database CSV (SI units, epoch seconds)."""
    out = pa.table({
        "time": pc.divide(table["time"].cast(pa.int64()), 1000),
        "icao24": table["icao24"], "lat": table["lat"], "lon": table["lon"],
        "velocity": pc.divide(table["ground_speed_kt"].cast(pa.float64()), 1.943844),
        "heading": table["track"], "vertrate": pc.divide(table["vertical_rate_fpm"].cast(pa.float64()), 196.850394),
        "callsign": table["callsign"], "onground": table["on_ground"],
        "baroaltitude": pc.divide(table["altitude_ft"].cast(pa.float64()), 3.28084),
    })
    pacsv.write_csv(out, path)


def test_c17_from_kelly_field_to_misrata_is_a_third_country_removal_candidate(home, tmp_path):
    write_opensky_csv(c17(), tmp_path / "c17.csv")
    result = import_files(tmp_path / "c17.csv")
    assert result["flights_built"] == 1
    [flight] = flights_json("--candidates")
    assert (flight["takeoff_airport"], flight["landing_airport"]) == ("KSKF", "HLMS")
    assert flight["destination_country"] == "LY" and flight["third_country"] is True
    assert flight["role"] == "outbound" and flight["operator"] == "US Air Mobility Command"
    # address block 0.4, callsign 0.4, staging airport 0.3, leaves the US 0.2: 1 - 0.6*0.6*0.7*0.8
    assert flight["removal_score"] == 0.798
    assert any("US military address block" in r for r in flight["reasons"])
    assert any(r.startswith("departed staging airport KSKF") for r in flight["reasons"])
    [mission] = missions_json("--candidates")["missions"]
    assert mission["third_country"] and mission["third_country_reasons"][0].startswith("destination HLMS (observed)")
    # the Atlantic crossing out of receiver range is a gap in which no landing fits
    [ocean] = [g for g in flight["gaps"] if g["seconds"] > 3600]
    assert ocean["kind"] == "in flight" and ocean["landing_possible"] is False
    text = runner.invoke(app, ["flights", "list"], env={"COLUMNS": "80"}).output
    assert "KSKF (staging) → HLMS LY" in text and "THIRD COUNTRY" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_reimporting_adds_nothing(home, tmp_path):
    pq.write_table(c17(), tmp_path / "c17.parquet")
    first = import_files(tmp_path / "c17.parquet")
    again = import_files(tmp_path / "c17.parquet")
    assert first["files"][0]["positions_written"] > 0 and again["files"][0]["positions_written"] == 0
    assert len(flights_json()) == 1


def test_flight_still_in_the_air_gets_a_predicted_destination(home, tmp_path):
    pq.write_table(c17(stop_at=0.85), tmp_path / "c17-part.parquet")
    import_files(tmp_path / "c17-part.parquet")
    [flight] = flights_json()
    assert flight["landing_observed"] is False and flight["landing_airport"] is None
    assert flight["landing_basis"] == "predicted" and flight["landing_evidence"].startswith("landing not observed")
    assert flight["predicted"][0]["country"] == "LY" and flight["third_country"] is True
    [mission] = missions_json()["missions"]
    assert mission["stops"][-1]["basis"] == "predicted" and "return not observed" in mission["status"]
    assert flight["gaps"][-1]["kind"] == "after last fix" and flight["gaps"][-1]["closed"] is None


def test_flight_over_midnight_stays_one_flight(home, tmp_path):
    late = synthetic_flight("KHRL", "MSLP", dt.datetime(2025, 3, 15, 22, 50, tzinfo=UTC), icao24="a2c4e0",
                            callsign="GXA6712", seed=2)
    pq.write_table(late, tmp_path / "late.parquet")
    import_files(tmp_path / "late.parquet")
    assert len(list((home / "positions").glob("day=*"))) == 2
    [flight] = flights_json()
    assert (flight["takeoff_airport"], flight["landing_airport"]) == ("KHRL", "MSLP")
    assert flight["registration"] == "N278GX" and flight["operator"] == "GlobalX"
    assert flight["third_country"] is False  # El Salvador is a usual removal destination


def test_airliner_is_not_a_candidate(home, tmp_path):
    flight = synthetic_flight("KDEN", "KORD", dt.datetime(2025, 5, 7, 15, tzinfo=UTC), icao24="a1b2c3",
                              callsign="UAL1234", seed=3)
    pq.write_table(flight, tmp_path / "ual.parquet")
    import_files(tmp_path / "ual.parquet")
    assert flights_json("--candidates") == []
    [f] = flights_json()
    assert f["removal_score"] == 0 and f["role"] == "domestic" and f["reasons"] == ["domestic leg (not a removal)"]


def test_a_bad_file_does_not_stop_the_import(home, tmp_path):
    pq.write_table(c17(), tmp_path / "c17.parquet")
    (tmp_path / "junk.bin").write_bytes(b"\x00junk")
    result = runner.invoke(app, ["flights", "import", str(tmp_path / "junk.bin"), str(tmp_path / "c17.parquet"), "--json"])
    assert result.exit_code == 1
    files = json.loads(result.output)["files"]
    assert files[0]["error"].startswith("unknown flight data format") and files[1]["positions_written"] > 0
    assert len(flights_json()) == 1


# --- watchlist --------------------------------------------------------------------------------------

def test_callsign_designators_do_not_collide():
    assert callsign_matches("SWQ3555", "SWQ")
    assert not callsign_matches("SWA3555", "SWQ") and not callsign_matches("SWQA", "SWQ")
    wl = load(None)
    assert wl.match("a00001", "SWA1234", dt.date(2025, 1, 1)) == []
    assert wl.match("a00001", "SWQ1234", dt.date(2025, 1, 1)) == ["callsign SWQ1234 (iAero / Swift Air)"]


def test_watchlist_add_import_and_list(home, tmp_path):
    assert runner.invoke(app, ["watchlist", "add", "--registration", "N123AB", "--operator", "Example Air"]).exit_code == 0
    listing = json.loads(runner.invoke(app, ["watchlist", "list", "--json"]).output)
    mine = [a for a in listing["aircraft"] if a["registration"] == "N123AB"]
    assert mine and mine[0]["icao24"] == n_number_to_icao("N123AB") and mine[0]["origin"] == "user"
    bad = tmp_path / "bad.csv"
    bad.write_text("registration,icao24,operator\nN1,,ok\nG-ABCD,,foreign\n")
    result = runner.invoke(app, ["watchlist", "import", str(bad)])
    assert result.exit_code == 1 and "line 3" in result.stderr and "not a US N-number" in result.stderr


# --- statistics ------------------------------------------------------------------------------------

def test_stats_month_must_be_valid(home):
    result = runner.invoke(app, ["flights", "stats", "--month", "March"])
    assert result.exit_code == 1 and "expected YYYY-MM" in result.stderr


def test_listen_command_archives_a_live_feed_and_builds_flights(home):
    track = synthetic_flight("KHRL", "MSLP", dt.datetime(2025, 3, 15, 16, 30, tzinfo=UTC), icao24="a2c4e0",
                             callsign="GXA6712", step_s=20, dropouts=0, seed=2).to_pylist()
    lines = []
    for p in track:
        stamp = p["time"].strftime("%Y/%m/%d,%H:%M:%S.000")
        altitude = "" if p["altitude_ft"] is None else f"{p['altitude_ft']:.0f}"
        lines.append(f"MSG,3,1,1,A2C4E0,1,{stamp},{stamp},GXA6712,{altitude},{p['ground_speed_kt']:.0f},"
                     f"{p['track']:.1f},{p['lat']:.5f},{p['lon']:.5f},0,,,,,{-1 if p['on_ground'] else 0}")
    port = serve_once(("\n".join(lines) + "\n").encode())
    result = runner.invoke(app, ["flights", "listen", f"127.0.0.1:{port}", "--seconds", "20", "--batch", "60"])
    assert result.exit_code == 0, result.output
    assert f"{len(lines)} positions written" in result.output
    [flight] = flights_json()
    assert (flight["takeoff_airport"], flight["landing_airport"], flight["callsign"]) == ("KHRL", "MSLP", "GXA6712")


def test_user_adds_a_third_country(home, tmp_path):
    flight = synthetic_flight("KHRL", "MSLP", dt.datetime(2025, 3, 15, 16, 30, tzinfo=UTC), icao24="a2c4e0",
                              callsign="GXA6712", seed=2)
    pq.write_table(flight, tmp_path / "gxa.parquet")
    home.mkdir(parents=True, exist_ok=True)
    (home / "destinations.csv").write_text("country,group,source\nSV,third,Venezuelans sent to CECOT in 2025\n")
    import_files(tmp_path / "gxa.parquet")
    [f] = flights_json()
    assert f["destination_country"] == "SV" and f["third_country"] is True


def test_aircraft_json_snapshot(tmp_path):
    path = tmp_path / "aircraft.json"
    path.write_text(json.dumps({"now": 1746626400.0, "aircraft": [
        {"hex": "ae07e1", "flight": "RCH4451 ", "lat": 29.38, "lon": -98.58, "alt_baro": 3000, "gs": 250,
         "track": 80.5, "baro_rate": 1500, "squawk": "1234", "seen_pos": 1.5},
        {"hex": "a2c4e0", "flight": "GXA6712", "lat": 26.23, "lon": -97.65, "alt_baro": "ground", "gs": 5},
        {"hex": "abcdef", "flight": "NOPOS"}]}))
    report = read_positions(path)
    assert report.rejected == Counter({"no position": 1})
    rows = {r["icao24"]: r for r in report.positions.to_pylist()}
    assert rows["ae07e1"]["callsign"] == "RCH4451" and rows["ae07e1"]["time"].timestamp() == 1746626398.5
    assert rows["a2c4e0"]["on_ground"] is True and rows["a2c4e0"]["altitude_ft"] == 0


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_as_beast_never_crash(data):
    framed = b"\x1a\x33" + data + b"\x1a\x32" + data[::-1]  # frames start mid-garbage, escapes and all
    report = beast.read_bytes(framed, "fuzz", dt.datetime(2025, 1, 1, tzinfo=UTC))
    assert report.kept == report.positions.num_rows
    assert all(-90 <= r["lat"] <= 90 for r in report.positions.to_pylist())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.sampled_from(SBS_LINES),
                          st.sampled_from(SBS_LINES).map(lambda line: line[: len(line) // 2])), max_size=30))
def test_any_lines_as_sbs_never_crash(lines):
    report = sbs.read_lines(lines, "fuzz")
    for row in report.positions.to_pylist():
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180


def test_links_join_a_reported_flight_to_the_observed_one(home, tmp_path):
    from removalwatch.demo import sample_reports_dir
    assert runner.invoke(app, ["reports", "add", str(sample_reports_dir() / "libya-military-flight.html")]).exit_code == 0
    pq.write_table(c17(), tmp_path / "c17.parquet")
    import_files(tmp_path / "c17.parquet")
    result = runner.invoke(app, ["links", "--json"])
    assert result.exit_code == 0, result.output
    [link] = json.loads(result.output)
    assert link["event"]["key"] == "LY" and link["flight"]["callsign"] == "RCH4451"
    assert "destination LY (observed)" in link["reasons"] and "military aircraft, as reported" in link["reasons"]
    assert link["third_country"] is None  # the report does not say who is aboard
