"""Missions on real and generated tracks: where the aircraft left the US, technical stops and
destinations, the return, gaps and what fits in them, sightings where no leg can be built."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.flights.synthetic import synthetic_flight
from tests.conftest import shared_path

runner = CliRunner()
UTC = dt.timezone.utc


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def listing() -> dict:
    return json.loads(run("flights", "list", "--json"))


def legs() -> list[dict]:
    return json.loads(run("flights", "list", "--legs", "--json"))


def import_tracks(tmp_path, *tracks: pa.Table) -> dict:
    for i, track in enumerate(tracks):
        pq.write_table(track, tmp_path / f"track{i}.parquet")
    return json.loads(run("flights", "import", *[str(tmp_path / f"track{i}.parquet") for i in range(len(tracks))],
                          "--json"))


def test_the_eswatini_removal_from_its_real_trace(home):
    """N703KW, August 2026: Kansas City → Alexandria to position, then Alexandria → Dakar (fuel) →
    southern Africa, coverage ending in the descent towards Eswatini."""
    run("flights", "import", str(shared_path("reference/flights/real-traces/trace_full_a960a9.json")))
    found = listing()
    [positioning] = found["other_legs"]
    assert (positioning["takeoff_airport"], positioning["landing_airport"]) == ("KMCI", "KAEX")
    assert positioning["landing_basis"] == "inferred" and positioning["role"] == "positioning"
    assert positioning["removal_score"] == 0 and not positioning["third_country"]

    [mission] = found["missions"]
    assert mission["candidate"] and mission["departure_airport"] == "KAEX" and mission["from_staging_airport"]
    outbound, onward = mission["legs"]
    assert outbound["takeoff_basis"] == "extrapolated" and "medium confidence" in outbound["takeoff_evidence"]
    assert "8.0 km" in outbound["takeoff_evidence"] and "9,537 ft" in outbound["takeoff_evidence"]
    dakar, destination = mission["stops"]
    assert (dakar["airport"], dakar["country"], dakar["kind"]) == ("GOBD", "SN", "technical stop")
    assert (destination["airport"], destination["country"], destination["kind"]) == ("FDSK", "SZ", "destination")
    assert destination["basis"] == "predicted" and destination["arrived"] is None   # never stated as observed
    assert not outbound["third_country"] and onward["third_country"]              # the flag is not on Senegal
    assert mission["third_country"] and "SN" not in " ".join(mission["third_country_reasons"])
    last_gap = onward["gaps"][-1]
    assert last_gap["kind"] == "after last fix" and last_gap["closed"] is None
    assert last_gap["opened"]["altitude_ft"] == 28700 and last_gap["opened"]["vertical_rate_fpm"] < -2000
    assert "SZ" in last_gap["descent_reach"]["countries"]
    atlantic = max(outbound["gaps"], key=lambda g: g["seconds"])
    assert 5 * 3600 < atlantic["seconds"] < 6 * 3600 and atlantic["landing_possible"] is False

    text = run("flights", "list")
    assert "KAEX (staging) → GOBD SN (tech. stop) → FDSK? SZ" in text and "THIRD COUNTRY" in text
    assert "KMCI → KAEX*" in text and "positioning" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_return_leg_closes_the_mission_and_a_stop_in_honduras_is_a_destination(home, tmp_path):
    """GlobalX from Harlingen: Comayagua (Honduras, people left there), San Salvador, back to Harlingen."""
    start = dt.datetime(2025, 3, 15, 14, 0, tzinfo=UTC)
    kw = dict(icao24="a2c4e0", callsign="GXA6712", dropouts=0)
    first = synthetic_flight("KHRL", "MHPR", start, seed=1, **kw)
    second = synthetic_flight("MHPR", "MSLP", start + dt.timedelta(hours=4), seed=2, **kw)
    back = synthetic_flight("MSLP", "KHRL", start + dt.timedelta(hours=7), seed=3, **kw)
    import_tracks(tmp_path, pa.concat_tables([first, second, back]))
    [mission] = listing()["missions"]
    assert [(s["airport"], s["kind"]) for s in mission["stops"]] == [("MHPR", "destination"), ("MSLP", "destination")]
    assert mission["returned_to"] == "KHRL" and mission["status"] == "returned to KHRL"
    roles = [(leg["role"], leg["removal_score"] > 0) for leg in mission["legs"]]
    assert roles == [("outbound", True), ("onward", True), ("return", False)]
    assert not mission["third_country"]   # Honduras and El Salvador are usual removal destinations


def test_a_round_trip_inside_a_gap(home, tmp_path):
    """Coverage lost over the Gulf heading south; the aircraft reappears there five hours later heading
    north. The gap after the first leg holds every airport a round trip could reach."""
    start = dt.datetime(2025, 4, 2, 13, 0, tzinfo=UTC)
    kw = dict(icao24="a2c4e0", callsign="GXA6713", dropouts=0)
    out = synthetic_flight("KHRL", "MGGT", start, stop_at=0.35, seed=4, **kw)
    home_leg = synthetic_flight("MGGT", "KHRL", start + dt.timedelta(hours=5), seed=5, **kw)
    keep = pa.compute.greater(home_leg["time"], pa.scalar(start + dt.timedelta(hours=5, minutes=40),
                                                          pa.timestamp("ms", tz="UTC")))
    import_tracks(tmp_path, pa.concat_tables([out, home_leg.filter(keep)]))
    [mission] = listing()["missions"]
    first, second = mission["legs"]
    gap = first["gaps"][-1]
    assert gap["kind"] == "after last fix" and gap["closed"] is not None and 4 * 3600 < gap["seconds"] < 6 * 3600
    one_hour = gap["envelope"][0]
    assert one_hour["ground_hours"] == 1 and {"GT", "MX", "HN"} <= set(one_hour["countries"])
    assert all(r["ground_hours"] != 24 for r in gap["envelope"])   # a day on the ground does not fit
    assert first["landing_basis"] == "predicted" and second["role"] == "return"
    assert mission["returned_to"] == "KHRL" and mission["stops"][0]["basis"] == "predicted"


def test_shuttle_round_trips_are_not_removals(home, tmp_path):
    """A watched charter flying Miami–Havana and back twice in a day flies a shuttle, not a removal."""
    start = dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    kw = dict(icao24="a2c4e0", callsign="GXA2201", dropouts=0)
    tracks = [synthetic_flight(a, b, start + dt.timedelta(hours=h), seed=h, **kw)
              for h, (a, b) in enumerate([("KMIA", "MUHA"), ("MUHA", "KMIA"), ("KMIA", "MUHA"), ("MUHA", "KMIA")])]
    import_tracks(tmp_path, pa.concat_tables(tracks))
    missions = listing()["missions"]
    assert len(missions) == 2 and all(m["kind"] == "shuttle" and not m["candidate"] for m in missions)
    assert "back to back" in missions[0]["reasons"][0]
    assert all(leg["role"] == "shuttle" and leg["removal_score"] == 0 for leg in legs())
    month = json.loads(run("flights", "stats", "--month", "2025-06", "--json"))
    assert month["removals"] == 0 and month["shuttles_by_country"] == {"CU": 2}


def snapshots(rows: list[tuple[str, float, float, float | None, bool]]) -> str:
    """OpenSky state vectors (SI units) of N703KW, one every 30 to 60 minutes."""
    lines = ["time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,baroaltitude"]
    for when, lat, lon, alt_ft, ground in rows:
        t = int(dt.datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp())
        alt = "" if alt_ft is None else f"{alt_ft / 3.28084:.0f}"
        lines.append(f"{t},a960a9,{lat},{lon},{0 if ground else 230},{90},0,EAL8100,{ground},{alt}")
    return "\n".join(lines) + "\n"


def test_sparse_snapshots_give_sightings_and_say_why_no_leg(home, tmp_path):
    path = tmp_path / "states.csv"
    path.write_text(snapshots([
        ("2026-03-14T16:02:00", 33.3076, -111.6559, None, True),    # Mesa Gateway
        ("2026-03-14T16:48:00", 33.3077, -111.6560, None, True),
        ("2026-03-14T17:31:00", 33.3076, -111.6558, None, True),
        ("2026-03-14T18:20:00", 32.9, -104.2, 35000, False),        # over New Mexico
        ("2026-03-14T21:10:00", 31.3274, -92.5486, None, True),     # Alexandria
        ("2026-03-14T21:55:00", 31.3275, -92.5487, None, True),
    ]))
    result = json.loads(run("flights", "import", str(path), "--json"))
    assert result["flights_built"] == 0 and result["sightings"] == 3
    assert "too sparse" in result["files"][0]["note"] and "46 min apart" in result["files"][0]["note"]
    found = json.loads(run("flights", "sightings", "--json"))
    assert [(s["airport"], s["on_ground"], s["positions"]) for s in found] == [
        ("KIWA", True, 3), (None, False, 1), ("KAEX", True, 2)]
    text = run("flights", "sightings")
    assert "N703KW on the ground at KIWA, 2026-03-14 16:02Z–17:31Z (3 positions)" in text
    assert "no leg built" in run("flights", "import", str(path))  # and says so in the table too
