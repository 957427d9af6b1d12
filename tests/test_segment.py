"""Paragraphs, sentences, quotations and datelines, as the engine cuts a report."""

from __future__ import annotations

import pytest

from removalwatch.reports.extract import segment
from removalwatch.reports.extract.lexicon import place_index
from removalwatch.reports.extract.speakers import dateline_country


def sentences(text: str) -> list[str]:
    return [text[s:e] for p in segment.paragraphs(text) for s, e in segment.sentences(text, p)]


@pytest.mark.parametrize("text, expected", [
    ("The U.S. Supreme Court ruled. Judge Brian E. Murphy disagreed.",
     ["The U.S. Supreme Court ruled.", "Judge Brian E. Murphy disagreed."]),
    ("Sen. Ana Ruiz of the U.S. said no. Rep. Tom Bell agreed.",
     ["Sen. Ana Ruiz of the U.S. said no.", "Rep. Tom Bell agreed."]),
    ("They were deported from the U.S. The flight landed at 3 a.m. on Friday.",
     ["They were deported from the U.S.", "The flight landed at 3 a.m. on Friday."]),
    ("Costa Rica agreed to take 200 migrants from the U.S. According to officials, most came from Asia.",
     ["Costa Rica agreed to take 200 migrants from the U.S.", "According to officials, most came from Asia."]),
    ("“We will not accept them,” he said. “Never.”", ["“We will not accept them,” he said.", "“Never.”"]),
])
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_a_line_broken_mid_sentence_is_joined_and_a_new_paragraph_is_not():
    text = "The judge ordered the men returned to\nthe United States on Friday.\nThe government said it would appeal."
    assert [text[s:e] for s, e in segment.paragraphs(text)] == [
        "The judge ordered the men returned to\nthe United States on Friday.", "The government said it would appeal."]


def test_text_wrapped_at_a_fixed_width_is_read_by_paragraph():
    text = ("A federal judge in Boston agreed to suspend his decision for\n"
            "fifteen days, giving the government time to appeal. He noted that the U.S.\n"
            "Supreme Court had ruled in the administration's favor last\n"
            "year, pausing his earlier decision and clearing the way for a\n"
            "flight to South Sudan, where the men had no ties at all.\n"
            "Lawyers for the men said they would ask the appeals court to\n"
            "keep the protections in place while the case goes on.")
    paragraphs = [text[s:e] for s, e in segment.paragraphs(text)]
    assert len(paragraphs) == 2, paragraphs
    assert "the U.S.\nSupreme Court had ruled" in paragraphs[0]
    assert sentences(text)[1].startswith("He noted that the U.S.\nSupreme Court had ruled")


def test_a_quotation_after_a_colon_on_its_own_line_stays_with_its_cue():
    text = "The president responded, stating:\n“No such request has been made.”"
    assert segment.paragraphs(text) == [(0, len(text))]


@pytest.mark.parametrize("text, country", [
    ("KAMPALA, Aug 21 — Uganda agreed to take deportees.", "UG"),
    ("MBABANE, Eswatini (Wire) — Ten men arrived.", "SZ"),
    ("DAKAR, Senegal — South Sudan has accepted eight deportees.", "SN"),
    ("Uganda agreed to take deportees.", None),
])
def test_datelines_say_where_a_report_was_filed(text, country):
    assert dateline_country(text) == country


@pytest.mark.parametrize("text", [
    "DAKAR, Senegal — South Sudan has accepted eight deportees from the U.S.",
    "Dakar: South Sudan has accepted eight deportees from the U.S.",
])
def test_a_dateline_names_no_place_the_report_speaks_of(text):
    assert [code for code, _, _ in place_index(text).within(0, len(text))] == ["SS", "US"]


def test_a_line_ending_in_a_preposition_is_joined_to_the_next_whatever_its_case():
    text = "Over 200 migrants were deported from the United States to\nCosta Rica in February."
    assert segment.paragraphs(text) == [(0, len(text))]


def test_quotations_with_curly_straight_and_doubled_apostrophe_marks():
    text = "“One,” he said. \"Two,\" she said. ''Three,'' they said."
    found = [text[q.inner[0]:q.inner[1]] for q in segment.quotes(text, (0, len(text)))]
    assert found == ["One,", "Two,", "Three,"]
