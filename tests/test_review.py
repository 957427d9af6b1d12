"""Reviews: a person's decisions on statements, claims and links are kept apart from the engine's
output, survive re-extraction, show where a newer engine disagrees, and land in the audit log."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from removalwatch.cli import app
from removalwatch.core import RemovalWatch
from removalwatch.demo import sample_reports_dir
from removalwatch.errors import InputError
from removalwatch.reports.ingest import extraction_of
from removalwatch.store.events import rebuild_events
from removalwatch.store.extractions import write_extraction
from removalwatch.store.users import check_password

LIBYA = str(sample_reports_dir() / "libya-military-flight.html")
PASSWORD = "a long enough password"


@pytest.fixture
def rw(store_settings):
    with RemovalWatch(home=store_settings.home, database_url=store_settings.database_url) as rw:
        rw.add_reports([LIBYA], alerts=False)
        yield rw


def _denials(rw) -> int:
    return sum(e.opposing for e in rw.country("LY").events)


def test_a_corrected_stance_survives_reextraction_and_counts_in_the_dossier(rw):
    statement = next(s for s in rw.statements(country="LY") if s.stance == "assert")
    before = _denials(rw)
    rw.review("rita", "statement", statement.id, "corrected", corrected={"stance": "deny"}, note="misread")
    assert next(s for s in rw.statements(ids=[statement.id])).stance == "deny"  # the same row, corrected
    after = _denials(rw)
    assert after > before  # the statement now denies each event it speaks of
    rw.reextract()
    again = next(s for s in rw.statements(document_id=statement.document_id) if s.span == statement.span)
    assert again.stance == "deny" and _denials(rw) == after
    [review] = rw.reviews(document_id=statement.document_id).values()
    assert review.conflict is None and review.engine_said["stance"] == "assert" and review.reviewer == "rita"


def test_a_newer_engine_reading_differently_is_shown_as_a_conflict_not_applied(rw):
    statement = next(s for s in rw.statements(country="LY") if s.stance == "assert")
    rw.review("rita", "statement", statement.id, "confirmed")
    doc = rw.document(statement.document_id)
    extraction, version = extraction_of(doc)
    changed = [st.model_copy(update={"stance": "warn"}) if tuple(st.span) == statement.span else st
               for st in extraction.statements]
    with rw.engine.begin() as conn:  # what a later engine version might say of the same words
        write_extraction(conn, doc.id, extraction.model_copy(update={"statements": changed}), version + "-next")
    [review] = rw.reviews(document_id=doc.id).values()
    assert review.conflict == "the current engine reads it differently: stance 'assert' → 'warn'"


def test_a_rejected_claim_joins_no_event_even_after_a_rebuild_and_undoing_it_restores_it(rw):
    agreement = next(c for c in rw.claims(country="LY") if c.type == "agreement")
    event = agreement.event_id
    rw.review("rita", "claim", agreement.id, "rejected", note="no agreement is reported")
    assert agreement.id not in {c.id for c in rw.claims(country="LY")}
    assert [c.unresolved for c in rw.claims(claim_id=agreement.id)] == ["rejected by a reviewer"]
    with rw.engine.begin() as conn:
        rebuild_events(conn)
    rw.reextract()
    assert all(c.type != "agreement" for c in rw.claims(country="LY"))
    rw.review("rita", "claim", next(c.id for c in rw.claims(document_id=agreement.document_id)
                                    if c.span == agreement.span), "confirmed")
    assert any(c.type == "agreement" for c in rw.claims(country="LY")) and event is not None
    actions = [e.action for e in rw.audit()]
    assert actions[:2] == ["review.confirmed", "review.rejected"]
    assert rw.audit()[0].before["verdict"] == "rejected"  # who decided what before, kept


def test_a_claim_correction_is_checked_against_the_claim_type(rw):
    flight = next(c for c in rw.claims(country="LY") if c.type == "removal_flight")
    with pytest.raises(InputError, match="status: Input should be"):
        rw.review("rita", "claim", flight.id, "corrected", corrected={"status": "maybe"})
    with pytest.raises(InputError, match="no field colour"):
        rw.review("rita", "claim", flight.id, "corrected", corrected={"colour": "red"})
    with pytest.raises(InputError, match="stance: one of"):
        statement = rw.statements(document_id=flight.document_id)[0]
        rw.review("rita", "statement", statement.id, "corrected", corrected={"stance": "shrug"})
    with pytest.raises(InputError, match="no statement"):
        rw.review("rita", "statement", 10 ** 6, "confirmed")
    rw.review("rita", "claim", flight.id, "corrected", corrected={"status": "cancelled"})
    assert rw.claims(claim_id=flight.id)[0].status == "cancelled"
    assert rw.audit() and rw.audit()[0].after["corrected"] == {"status": "cancelled"}


def test_users_passwords_and_tokens(rw):
    rw.add_user("rita", PASSWORD, "reviewer")
    with pytest.raises(InputError, match="exists already"):
        rw.add_user("rita", PASSWORD, "viewer")
    with pytest.raises(InputError, match="at least 10"):
        rw.add_user("sam", "short", "viewer")
    with pytest.raises(InputError, match="viewer, reviewer, admin"):
        rw.add_user("sam", PASSWORD, "editor")
    assert check_password(rw.engine, "rita", PASSWORD).role == "reviewer"
    assert check_password(rw.engine, "rita", "not it at all") is None
    assert check_password(rw.engine, "nobody", PASSWORD) is None
    token = rw.create_token("rita", "nightly script")
    assert token.startswith("rw_") and token not in str(rw.audit())


def test_users_from_the_command_line(home):
    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "ada", "--role", "admin", "--password", PASSWORD])
    assert added.exit_code == 0 and "added ada (admin)" in added.output
    assert runner.invoke(app, ["users", "list"]).output.split() == ["ada", "admin"]
    assert runner.invoke(app, ["users", "token", "ada"]).output.startswith("rw_")
    bad = runner.invoke(app, ["users", "add", "bob", "--role", "boss", "--password", PASSWORD])
    assert bad.exit_code == 1 and "--role" in bad.output


def test_lists_filter_on_what_people_reviewed_and_on_dates(rw):
    import datetime as dt
    statement = rw.statements(country="LY")[0]
    claim = rw.claims(country="LY")[0]
    rw.review("rita", "statement", statement.id, "confirmed")
    rw.review("rita", "claim", claim.id, "confirmed")
    assert [s.id for s in rw.statements(reviewed=True)] == [statement.id]
    assert statement.id not in {s.id for s in rw.statements(reviewed=False)} and rw.statements(reviewed=False)
    assert [c.id for c in rw.claims(reviewed=True)] == [claim.id]
    published = statement.document_published
    assert rw.statements(since=published, until=published) and not rw.statements(since=published + dt.timedelta(days=1))


def test_two_claims_of_one_sentence_are_reviewed_apart(store_settings, tmp_path):
    report = tmp_path / "two-flights.txt"
    report.write_text("The United States deported migrants on flights to Eswatini and South Sudan last week, "
                      "officials said.\n", encoding="utf-8")
    with RemovalWatch(home=store_settings.home, database_url=store_settings.database_url) as rw:
        rw.add_reports([str(report)], alerts=False)
        eswatini, south_sudan = sorted(rw.claims(), key=lambda c: c.attributes["destination"] != "SZ")
        assert eswatini.span == south_sudan.span and eswatini.item != south_sudan.item
        rw.review("rita", "claim", eswatini.id, "rejected")

        def verdicts() -> dict[str, str | None]:
            return {c.attributes["destination"]: c.unresolved for c in rw.claims()}
        assert verdicts()["SZ"] == "rejected by a reviewer" and verdicts()["SS"] != "rejected by a reviewer"
        rw.reextract()
        assert verdicts()["SZ"] == "rejected by a reviewer" and verdicts()["SS"] != "rejected by a reviewer"
        assert [r.item for r in rw.reviews().values()] == [eswatini.item]
