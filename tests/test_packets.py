"""Evidence packets: what a lawyer files — the HTML and the PDF, with the evidence and its hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pypdf
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.demo import run_demo, sample_reports_dir
from removalwatch.reports.sources import Source, read_source

runner = CliRunner()


def pdf_text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_libya_packet_holds_the_flight_its_map_the_statements_both_sides_and_the_hashes(tmp_path):
    home = tmp_path / "demo"
    run_demo(home)
    result = runner.invoke(app, ["packet", "--country", "LY", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    html_path, pdf_path = map(Path, json.loads(result.output)["files"])
    html = html_path.read_text(encoding="utf-8")
    assert "Status: flight observed despite denial" in html
    assert "RCH4451 — KSKF → HLMS (LY)" in html and 'src="data:image/png;base64,' in html
    assert "© OpenStreetMap contributors" in html and "machine-extracted" in html
    [doc] = read_source(Source(str(sample_reports_dir() / "libya-military-flight.html")))
    assert doc.sha256 in html  # the report's text, hashed as stored
    c17_files = [f for f in (home / "positions").glob("day=2025-05-0[78]/*.parquet")
                 if "ae07e1" in pq.read_table(f, columns=["icao24"])["icao24"].to_pylist()]
    assert c17_files and all(hashlib.sha256(f.read_bytes()).hexdigest() in html for f in c17_files)
    pages, text = pdf_text(pdf_path)
    assert pages >= 3
    for expected in ("Evidence packet: Libya (LY)", "Contradictions", "asserts or confirms", "denies or rejects",
                     "Government of National Unity", "Libyan National Army", "RCH4451", "page 1 of"):
        assert expected in text, expected


def test_report_text_with_markup_appears_as_text_and_runs_nowhere(home, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text('"We will not accept anyone <script>alert(1)</script> deported by the United States," '
                      "the Libyan foreign minister said on Friday, denying that a flight to Misrata had been agreed.",
                      encoding="utf-8")
    assert runner.invoke(app, ["reports", "add", str(report)]).exit_code == 0
    result = runner.invoke(app, ["packet", "--country", "LY", "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    html_path, pdf_path = json.loads(result.output)["files"]
    html = open(html_path, encoding="utf-8").read()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in pdf_text(pdf_path)[1]


def test_a_packet_without_evidence_or_with_a_wrong_id_says_why_and_writes_nothing(home, tmp_path):
    out = tmp_path / "out"
    for args, message in ((["--country", "SV"], "no evidence about El Salvador (SV)"),
                          (["--flight", "99"], "no flight with id 99"),
                          (["--claim", "7"], "no claim with id 7"),
                          (["--country", "LY", "--flight", "1"], "exactly one of --country, --flight or --claim")):
        result = runner.invoke(app, ["packet", *args, "--out", str(out)])
        assert result.exit_code == 1 and message in result.output, result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_reviewed_only_keeps_what_a_person_confirmed_and_says_what_it_left_out(tmp_path):
    from removalwatch.core import RemovalWatch
    home = tmp_path / "demo"
    run_demo(home)
    c17 = next(f["id"] for f in json.loads(runner.invoke(app, ["flights", "list", "--legs", "--json", "--home", str(home)]).output)
               if f["callsign"] == "RCH4451")

    def packets(reviewed: bool) -> dict[str, str]:
        html = {}
        for name, scope in (("flight", ["--flight", str(c17)]), ("country", ["--country", "LY"])):
            result = runner.invoke(app, ["packet", *scope, "--home", str(home), "--no-pdf", "--json"]
                                   + (["--reviewed-only"] if reviewed else []))
            assert result.exit_code == 0, result.output
            [html_path] = json.loads(result.output)["files"]
            html[name] = open(html_path, encoding="utf-8").read()
        return html

    everything, nothing_reviewed = packets(False), packets(True)
    assert "Government of National Unity" in everything["flight"]  # the flight's event, with everyone's words
    for name in ("flight", "country"):
        packet = nothing_reviewed[name]
        assert "statements no person confirmed or corrected are left out" in packet and "RCH4451" in packet
        assert "Government of National Unity" not in packet and "removal flight US → LY" not in packet
    assert "Status:" in everything["country"] and "Status:" not in nothing_reviewed["country"]

    with RemovalWatch(home=home) as rw:
        denial = next(s for s in rw.statements(country="LY") if s.speaker == "Government of National Unity")
        other = next(s for s in rw.statements(country="LY") if s.speaker != denial.speaker)
        rw.review("rita", "statement", denial.id, "confirmed")
        rw.review("rita", "statement", other.id, "rejected")
    reviewed = packets(True)["country"]
    assert "Government of National Unity" in reviewed and denial.content in reviewed
    assert '<span class="mark">confirmed by rita' in reviewed  # only what a person confirmed, marked so
    assert '<span class="mark">machine-extracted</span>' not in reviewed
    assert '<span class="mark">machine-extracted</span>' in everything["country"]
    assert other.content not in reviewed


def test_a_flight_with_no_airports_and_no_positions_still_gets_a_packet(home, tmp_path):
    import datetime as dt

    from removalwatch.config import settings
    from removalwatch.domain import Flight
    from removalwatch.store import open_store
    from removalwatch.store.flights import add_flights, list_flights
    engine = open_store(settings())
    seen = dt.datetime(2025, 6, 1, 10, tzinfo=dt.timezone.utc)
    add_flights(engine, [Flight(icao24="abc123", callsign="GXA100", first_seen=seen, last_seen=seen,
                                source="a flight table", leg_key="abc123|2025-06-01")])
    [flight] = list_flights(engine)
    result = runner.invoke(app, ["packet", "--flight", str(flight.id), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    html_path, pdf_path = json.loads(result.output)["files"]
    html = open(html_path, encoding="utf-8").read()
    assert "GXA100 — ? → landing not observed" in html and "data:image/png" not in html
    assert "GXA100" in pdf_text(pdf_path)[1]
