"""Events: the claims of many reports about one thing, with all their sources, filed as reports arrive."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from removalwatch.evidence.events import event_status, identity, within
from removalwatch.reports.ingest import add_reports, reextract_reports
from removalwatch.store.events import read_events, rebuild_events, unresolved_claims
from removalwatch.store.schema import claims, statements


def report(folder, name: str, day: str, *paragraphs: str) -> str:
    """A small HTML report in the team's words, with a publication date."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    path = folder / f"{name}.html"
    path.write_text(f'<html><head><title>{name}</title><meta property="article:published_time" content="{day}">'
                    f"</head><body><article><h1>{name}</h1>{body}</article></body></html>", encoding="utf-8")
    return str(path)


PLANNED = ("The United States is preparing a military flight to take deported migrants to Libya as early as this "
           "week, two US officials said.")
DENIED = ("Libya's Government of National Unity denied on Wednesday that it had agreed to receive migrants deported "
          "from the United States.")


def test_one_flight_reported_by_three_reports_is_one_event_with_three_sources(engine, tmp_path):
    paths = [report(tmp_path, f"wire-{n}", day, PLANNED) for n, day in enumerate(["2025-05-06", "2025-05-07", "2025-05-08"])]
    add_reports(engine, paths)
    [flight] = read_events(engine, types=["removal_flight"], with_statements=True)
    assert (flight.key, flight.claims, flight.documents) == ("LY", 3, 3)
    # "as early as this week" in all three: the week from Monday 5 May
    assert (flight.first_day, flight.last_day) == (dt.date(2025, 5, 5), dt.date(2025, 5, 5))
    assert flight.status == "reported" and flight.supporting == 3
    assert {s.document_title for s in flight.statements} == {"wire-0", "wire-1", "wire-2"}


def test_a_flight_months_later_is_another_event(engine, tmp_path):
    add_reports(engine, [report(tmp_path, "may", "2025-05-06", PLANNED), report(tmp_path, "sept", "2025-09-20", PLANNED)])
    flights = read_events(engine, types=["removal_flight"])
    assert [(e.first_day, e.documents) for e in flights] == [(dt.date(2025, 5, 5), 1), (dt.date(2025, 9, 15), 1)]


def test_a_denial_in_another_report_makes_the_event_contested_and_both_sides_are_kept(engine, tmp_path):
    add_reports(engine, [report(tmp_path, "officials", "2025-05-06", PLANNED),
                         report(tmp_path, "tripoli", "2025-05-07", DENIED + " " + PLANNED)])
    contested = read_events(engine, contested=True, with_statements=True)
    flight = next(e for e in contested if e.type == "removal_flight")
    assert flight.supporting >= 1 and flight.opposing >= 1
    stances = {(s.document_title, s.stance) for s in flight.statements}
    assert ("officials", "assert") in stances and ("tripoli", "deny") in stances
    libya = read_events(engine, country="LY")
    assert {e.type for e in libya} >= {"removal_flight", "agreement"}
    assert read_events(engine, country="SV") == []


def test_re_extraction_and_re_adding_leave_the_counts_as_they_were(engine, tmp_path):
    add_reports(engine, [report(tmp_path, "a", "2025-05-06", PLANNED), report(tmp_path, "b", "2025-05-07", DENIED)])
    before = [(e.type, e.key, e.claims, e.documents, e.supporting, e.opposing) for e in read_events(engine)]
    add_reports(engine, [report(tmp_path, "a", "2025-05-06", PLANNED)])
    with engine.begin() as conn:
        conn.execute(update(statements).values(engine_version="rules-0.0"))
        conn.execute(update(claims).values(engine_version="rules-0.0"))
    assert reextract_reports(engine, only_outdated=True) == 2
    after = [(e.type, e.key, e.claims, e.documents, e.supporting, e.opposing) for e in read_events(engine)]
    assert after == before
    with engine.begin() as conn:
        assert rebuild_events(conn) == len(before)
    assert [(e.type, e.key, e.claims, e.documents, e.supporting, e.opposing) for e in read_events(engine)] == before


def test_a_claim_without_a_destination_or_a_date_stays_alone_and_says_why(engine, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(PLANNED + " Officials also said more deportation flights would follow.", encoding="utf-8")
    add_reports(engine, [str(path)])
    reasons = {why for _, _, why in unresolved_claims(engine)}
    assert reasons and all(why.startswith("not in an event: the claim") for why in reasons)
    with engine.connect() as conn:
        unfiled = conn.execute(select(claims.c.id).where(claims.c.event_id.is_(None),
                                                         claims.c.unresolved.is_(None))).all()
    assert unfiled == []


def test_identity_and_status_rules():
    flight = identity("removal_flight", {"destination": "LY", "when_dates": ["2025-05-09", "2025-05-11"]},
                      dt.date(2025, 5, 6))
    assert flight.key == "LY" and flight.day == dt.date(2025, 5, 9)
    assert within(flight, dt.date(2025, 5, 1), dt.date(2025, 5, 2))
    assert not within(flight, dt.date(2025, 4, 1), dt.date(2025, 4, 2))
    assert not within(flight, dt.date(2025, 4, 10), dt.date(2025, 5, 8))  # no event runs for months
    assert identity("removal_flight", {"destination": None}, dt.date(2025, 5, 6)).unresolved == "names no destination"
    assert identity("agreement", {"parties": ["US", "SV"]}, None).key == "SV–US"
    assert identity("court_action", {"court": "federal judge", "effect": "blocks"}, dt.date(2025, 5, 6)).key is None
    assert [event_status(*args) for args in [(1, 0, False), (1, 0, True), (0, 2, False), (3, 1, True)]] == [
        "reported", "confirmed by a party", "denied", "contested"]


def test_country_dossier_status_climbs_the_ladder_with_a_flight_seen_despite_denial():
    from removalwatch.domain import Flight
    from removalwatch.evidence.dossier import build_dossier
    from removalwatch.store.events import StoredEvent, Voice
    from removalwatch.store.records import StoredStatement

    def voice(n, stance, country):
        said = StoredStatement(n, n, f"report {n}", f"speaker {n}", country, stance, "content", (0, 7),
                               document_published=dt.date(2025, 5, 7))
        return Voice(1, said.speaker, country, stance, 1, 1, said, said)

    def event(status, voices):
        return StoredEvent(1, "removal_flight", "LY", ["LY"], dt.date(2025, 5, 7), dt.date(2025, 5, 7),
                           {"destination": "LY", "origin": "US", "status": "planned", "nationalities": ["ER"]},
                           status, 2, 2, sum(v.stance == "assert" for v in voices),
                           sum(v.stance == "deny" for v in voices), False, [])

    flight = Flight(id=7, icao24="ae1234", callsign="RCH4451", first_seen=dt.datetime(2025, 5, 8, 14, tzinfo=dt.timezone.utc),
                    last_seen=dt.datetime(2025, 5, 8, 23, tzinfo=dt.timezone.utc), destination_country="LY",
                    landing_basis="observed", landing_observed=True, removal_score=0.8)
    asserted = [voice(1, "assert", "US")]
    reported = build_dossier("LY", [event("reported", asserted)], {1: asserted}, [])
    assert (reported.status, reported.contradictions) == ("reported", [])
    both = [voice(1, "assert", "US"), voice(2, "deny", "LY")]
    contested = build_dossier("LY", [event("contested", both)], {1: both}, [flight])
    assert contested.status == "flight observed despite denial" and contested.name == "Libya"
    [side_by_side] = contested.contradictions
    assert [v.speaker for v in side_by_side.supporting] == ["speaker 1"]
    assert [v.speaker for v in side_by_side.opposing] == ["speaker 2"]
    [link] = contested.links
    assert link.flight.callsign == "RCH4451" and "nationals of ER, not of LY" in link.third_country
    assert [(t.day.isoformat(), t.kind) for t in contested.timeline] == [
        ("2025-05-07", "statement"), ("2025-05-07", "statement"), ("2025-05-08", "flight")]
    assert build_dossier("SV", [], {}, [flight]).status == "no evidence"


def test_country_command_prints_the_dossier_and_refuses_what_is_no_country(home, tmp_path):
    import json

    from typer.testing import CliRunner

    from removalwatch.cli import app
    runner = CliRunner()
    paths = [report(tmp_path, "officials", "2025-05-06", PLANNED), report(tmp_path, "tripoli", "2025-05-07", DENIED)]
    assert runner.invoke(app, ["reports", "add", *paths]).exit_code == 0
    result = runner.invoke(app, ["country", "Libya", "--json"])
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.output)
    assert dossier["country"] == "LY" and dossier["status"] in ("denied", "contested")
    assert {e["type"] for e in dossier["events"]} >= {"agreement"}
    text = runner.invoke(app, ["country", "ly"], env={"COLUMNS": "120"}).output
    assert "Libya (LY) — status:" in text and "Government of National Unity" in text
    bad = runner.invoke(app, ["country", "Atlantis"])
    assert bad.exit_code == 1 and "'Atlantis' is not a country code or name" in bad.output
    events = json.loads(runner.invoke(app, ["events", "list", "--country", "LY", "--json"]).output)
    assert all("LY" in e["countries"] for e in events) and events
