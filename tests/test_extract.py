"""The report engine as a reader of its output sees it: who said what, with what stance, about which claim."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.demo import sample_reports_dir
from removalwatch.domain import Extraction
from removalwatch.reports.extract import extract
from removalwatch.reports.extract.quantities import money, people_count, resolve_when
from tests.conftest import shared_path

runner = CliRunner()


def by_speaker(extraction: Extraction, name: str):
    return [s for s in extraction.statements if name.lower() in s.speaker.name.lower()]


def claim(extraction: Extraction, type_: str, **fields):
    found = [c for c in extraction.claims if c.type == type_ and all(getattr(c, k) == v for k, v in fields.items())]
    assert found, f"no {type_} claim with {fields} in {[c.model_dump() for c in extraction.claims]}"
    return found[0]


def test_seed_report_planned_libya_flight_denied_and_rejected_by_libyans():
    text = shared_path("seeds/000_4a20feb07453a0aa.txt").read_text(encoding="utf-8")
    e = extract(text)
    flight = claim(e, "removal_flight", destination="LY")
    assert (flight.status, flight.origin, flight.aircraft) == ("planned", "US", "military")
    deal = claim(e, "agreement", parties=["LY", "US"])
    assert (deal.purpose, deal.status) == ("reception", "denied")
    officials = e.statements[0]
    assert officials.speaker.anonymous and officials.speaker.country == "US"
    assert flight.id in officials.claims and officials.stance == "assert"
    gnu = by_speaker(e, "Government of National Unity")
    assert {s.stance for s in gnu} >= {"deny"} and all(s.speaker.country == "LY" for s in gnu)
    assert any(deal.id in s.claims and s.stance == "deny" for s in gnu)
    lna = by_speaker(e, "Libyan National Army")
    assert [s.stance for s in lna] == ["reject"] and deal.id in lna[0].claims
    # "It also suggested ..." is the GNU speaking, resolved through the pronoun
    suggested = next(s for s in e.statements if s.cue == "suggested")
    assert suggested.speaker.name == "Government of National Unity" and text[slice(*suggested.speaker.span)] == "It"
    sv = claim(e, "agreement", parties=["SV", "US"])
    assert (sv.purpose, sv.value.amount, sv.value.currency) == ("detention", 6_000_000, "USD")
    assert {c.subject for c in e.claims if c.type == "designation"} == {"Tren de Aragua", "MS-13"}
    assert not [s for s in e.statements if "Getty" in s.content or "Martyrs" in s.content]  # caption and credit


def test_bundled_libya_sample_gives_the_same_picture():
    from removalwatch.reports.sources import Source, read_source
    [doc] = read_source(Source(str(sample_reports_dir() / "libya-military-flight.html")))
    e = extract(doc.text, published=doc.published)
    flight = claim(e, "removal_flight", destination="LY")
    assert flight.status == "planned" and flight.aircraft == "military"
    gnu = by_speaker(e, "Government of National Unity")
    assert [(s.stance, s.mode) for s in gnu][:2] == [("deny", "indirect"), ("deny", "direct")]
    assert claim(e, "agreement", parties=["LY", "US"]).status == "denied"
    assert by_speaker(e, "Libyan National Army")[0].stance == "reject"
    unhcr = by_speaker(e, "spokesperson for the United Nations refugee agency")
    assert [(s.mode, s.speaker.anonymous) for s in unhcr] == [("indirect", True), ("direct", True)]  # "she said"
    assert by_speaker(e, "Department of Homeland Security")[0].stance == "decline"


def test_spans_point_at_the_text_they_describe():
    text = shared_path("seeds/000_4a20feb07453a0aa.txt").read_text(encoding="utf-8")
    e = extract(text)
    for s in e.statements:
        assert text[slice(*s.content_span)] == s.content
        assert s.span[0] <= s.content_span[0] and s.content_span[1] <= s.span[1]
        if s.cue_span:
            assert text[slice(*s.cue_span)] == s.cue
    for c in e.claims:
        assert 0 <= c.span[0] < c.span[1] <= len(text)


def test_relative_dates_resolve_against_the_publication_date():
    e = extract("The U.S. is planning to fly deportees to Libya as early as this week, two officials said.",
                published=dt.date(2025, 5, 7))
    flight = claim(e, "removal_flight", destination="LY")
    assert flight.when == "as early as this week"
    assert flight.when_dates == (dt.date(2025, 5, 5), dt.date(2025, 5, 11))
    assert resolve_when("last month", dt.date(2025, 3, 10)) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert resolve_when("on Tuesday", dt.date(2025, 5, 8)) == (dt.date(2025, 5, 6), dt.date(2025, 5, 6))


def test_amounts_and_head_counts():
    assert money("a $6 million deal") == (6_000_000, "USD")
    assert money("paid €2.5bn to") == (2_500_000_000, "EUR")
    assert people_count("more than 238 Venezuelans were flown") == 238
    assert people_count("Two-hundred will come") is None
    assert people_count("Two-hundred migrants will come") == 200
    assert people_count("two sub-Saharan African nations") is None  # nations are not people
    assert people_count("eight men from Asia") == 8


def test_role_nouns_and_pronouns_resolve_to_the_last_compatible_speaker():
    text = ("Panama's foreign ministry said on Monday that it would receive the flight. "
            "The ministry added that the United States would pay for the operation. "
            "Lawyer Ana Ruiz said the men had no access to counsel. She said she would appeal.")
    e = extract(text)
    names = [s.speaker.name for s in e.statements]
    assert names[0] == names[1] == "Panama's foreign ministry"
    assert e.statements[1].speaker.country == "PA"
    assert names[2] == names[3] == "Ana Ruiz"


def test_anonymous_sources_keep_their_description():
    e = extract("A deportation flight to El Salvador left Texas on Sunday, according to a person familiar "
                "with the plans. Two officials who spoke on condition of anonymity said a second flight was planned.")
    first, second = e.statements
    assert first.speaker.anonymous and "person familiar with the plans" in first.speaker.name
    assert second.speaker.anonymous and second.speaker.name.startswith("Two officials")


def test_cli_extract_json_is_the_public_format(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text('"We have no agreement with anyone," the Libyan government said in a statement.\n')
    result = runner.invoke(app, ["extract", str(report), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    Extraction.model_validate(data)
    assert data["schema"] == "removalwatch.extraction/1"
    [s] = data["statements"]
    assert (s["speaker"]["country"], s["stance"], s["mode"]) == ("LY", "deny", "direct")


def test_cli_extract_tables(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("The Department of Homeland Security declined to comment on the flight to Libya.\n")
    result = runner.invoke(app, ["extract", str(report)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Department of Homeland Security" in result.output and "decline" in result.output


# --- bad input: a clear message or an empty extraction, never a crash ----------------------------

def test_binary_and_empty_files_are_named_errors(tmp_path):
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "e.txt").write_text("")
    for name, message in (("b.bin", "binary file"), ("e.txt", "empty")):
        result = subprocess.run([sys.executable, "-m", "removalwatch", "extract", str(tmp_path / name), "--json"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and message in result.stderr and name in result.stderr
        assert "Traceback" not in result.stderr


def test_ten_megabytes_without_a_full_stop():
    text = ("officials said the flight to Libya was planned and " * 200_000)[:10_000_000]
    e = extract(text)
    assert all(0 <= s.span[0] <= s.span[1] <= len(text) for s in e.statements)


def test_unbalanced_quotes_foreign_passages_and_markup():
    texts = [
        '"This quote never closes, the ministry said. And "this one" does.',
        "“Nested ‘quotes’ and a stray ” mark,” he said. ”",
        "El ministro dijo: «No hay ningún acuerdo». The Salvadoran government said it had no comment.",
        "قالت الحكومة إنه لا يوجد اتفاق. The GNU said in a statement that there was no agreement.",
        "<script>alert('x')</script> The agency said nothing.",
    ]
    for text in texts:
        e = extract(text)
        Extraction.model_validate(e.to_json_dict())
    e = extract(texts[3])
    assert e.statements[-1].speaker.name == "Government of National Unity" and e.statements[-1].stance == "deny"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab ,.;:!?\"'“”‘’\n—-") + [
    " said ", "Officials", "It", " Libya", " denied ", " the ", " flight", " to ", "$6 million", " according to ",
    "GNU", " declined to comment", " deportees", " agreement", " U.S."]), max_size=120).map("".join))
def test_any_text_gives_a_valid_extraction_with_spans_inside_it(text):
    e = extract(text)
    data = e.to_json_dict()
    Extraction.model_validate(data)
    for s in e.statements:
        assert 0 <= s.span[0] <= s.span[1] <= len(text)
        assert s.content == text[slice(*s.content_span)]
        assert s.span[0] <= s.content_span[0] <= s.content_span[1] <= s.span[1]
    for c in e.claims:
        assert 0 <= c.span[0] <= c.span[1] <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_is_read_without_crashing(text):
    e = extract(text)
    assert all(s.content == text[slice(*s.content_span)] for s in e.statements)
