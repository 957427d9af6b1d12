"""Who said what: one sentence (or two) in, the statement a reader would expect out.

Each row is a way news reports attribute speech, in the team's own words: the speaker as the
engine should name them, the cue, how the content starts, the stance, and the speaker's country.
"""

from __future__ import annotations

import pytest

from removalwatch.reports.extract import extract

# text, speaker, cue, content starts with, stance, country
ROWS = [
    # the subject of a reporting verb, and what may stand between them
    ("The Foreign Ministry said on Friday that it had not been consulted.", "Foreign Ministry", "said",
     "that it had not been consulted", "assert", None),
    ("Uganda's foreign ministry on Thursday denied that it had signed any deal.", "Uganda's foreign ministry", "denied",
     "that it had signed any deal", "deny", "UG"),
    ("A State Department spokesperson said the talks were continuing.", "State Department spokesperson", "said",
     "the talks were continuing", "assert", "US"),
    ("Rwandan government spokesperson Yolande Makolo confirmed that the first group had arrived.", "Yolande Makolo",
     "confirmed", "that the first group had arrived", "confirm", "RW"),
    ("Two U.S. officials familiar with the plans said the flight could leave this week.",
     "Two U.S. officials familiar with the plans",
     "said", "the flight could leave this week", "assert", "US"),
    ("Several cast members said the contract was never signed.", "Several cast members", "said",
     "the contract was never signed", "assert", None),
    ("Cable networks had previously pointed out that the plan was unusual.", "Cable networks", "pointed out",
     "that the plan was unusual", "assert", None),
    ("Guatemala's migration authority said that it had received a first flight.", "Guatemala's migration authority",
     "said", "that it had received a first flight", "assert", "GT"),
    ("Appellate Judge Rosa Linde — a veteran of the bench — said the order went too far.", "Rosa Linde", "said",
     "the order went too far", "assert", None),
    ("Prime Minister of Antigua and Barbuda Gaston Browne said the memorandum was not binding.", "Gaston Browne",
     "said", "the memorandum was not binding", "assert", "AG"),
    # content first, cue after
    ("The men were moved before dawn, the lawyer told Reuters.", "lawyer", "told", "The men were moved before dawn",
     "assert", None),
    ("“We will not take them,” said Interior Minister Ana Ruiz.", "Ana Ruiz", "said", "We will not take them",
     "reject", None),
    ("“Hopefully,” the president said, “this will end the matter.”", "president", "said", "Hopefully",
     "assert", None),
    ("The plan is unlawful, top rights lawyers said Friday afternoon, as they filed their appeal.",
     "top rights lawyers", "said", "The plan is unlawful", "assert", None),
    # according to, passives, participles
    ("According to the interior ministry, 14 people arrived on Saturday.", "interior ministry", "According to",
     "14 people arrived on Saturday", "assert", None),
    ("Their arrival was confirmed by the country's immigration service.", "country's immigration service",
     "confirmed", "Their arrival", "confirm", None),
    ("The five men were described as dangerous criminals by the Department of Homeland Security.",
     "Department of Homeland Security", "described", "The five men", "assert", "US"),
    ("The minister defended the deal, noting that no money changed hands.", "minister", "defended",
     "that no money changed hands", "assert", None),
    ("The president replied, stating:\n“No such request has been made to our government.”", "president", "replied",
     "No such request has been made", "deny", None),
    ("The interior ministry is insisting that no agreement was ever signed.", "interior ministry", "insisting",
     "that no agreement was ever signed", "deny", None),
    ("“We do not know where they are,” the lawyer said, adding that the men had no phones.", "lawyer", "said",
     "We do not know where they are", "assert", None),
    ("“They were moved at night,” she said on Monday at a news conference in the capital.", "she", "said",
     "They were moved at night", "assert", None),
    ("Experts on migration law said the ruling could change that.", "Experts on migration law", "said",
     "the ruling could change that", "assert", None),
    ("Detention on the island is unconstitutional and illegal, a court ruled on Tuesday (April 26).", "court",
     "ruled", "Detention on the island is unconstitutional", "assert", None),
    ("The Minister for Foreign Affairs, Hon. Samuel Ablakwa, has announced that Ghana accepted the men.",
     "Samuel Ablakwa", "announced", "that Ghana accepted the men", "assert", None),
    ("The two ministries have no knowledge of any agreement to take asylum seekers.", "two ministries",
     "have no knowledge of", "any agreement", "deny", None),
    ("The foreign ministry has made no public comment.", "foreign ministry", "made no public comment",
     "made no public comment", "decline", None),
    # stance from the content, declining, refusing
    ("The ministry said it is not coordinating any deportation flights.", "ministry", "said",
     "it is not coordinating any deportation flights", "deny", None),
    ("The embassy declined to comment on the flights.", "embassy", "declined to comment", "declined to comment",
     "decline", None),
    ("The previous government had refused to say how much it paid.", "previous government", "refused to say",
     "refused to say", "decline", None),
    ("The rights body on Monday expressed concern over the deals.", "rights body", "expressed concern",
     "over the deals", "warn", None),
    # passive verbs and nouns that are not reports
    ("They had been told to wait at the airport.", None, None, None, None, None),
    ("Several battleground states could be decisive in the vote.", None, None, None, None, None),
    ("The final say rests with the courts.", None, None, None, None, None),
    ("In a statement posted online, the names were not given.", None, None, None, None, None),
    ("The deal was quietly posted on the ministry's website.", None, None, None, None, None),
]


@pytest.mark.parametrize("text, speaker, cue, content, stance, country", ROWS, ids=[r[0][:40] for r in ROWS])
def test_attribution(text, speaker, cue, content, stance, country):
    statements = extract(text).statements
    if speaker is None:
        assert statements == [], [s.model_dump() for s in statements]
        return
    assert statements, "no statement found"
    first = statements[0]
    assert first.speaker.name == speaker
    assert first.cue == cue
    assert first.content.startswith(content), first.content
    assert first.stance == stance
    if country is not None:
        assert first.speaker.country == country


# two sentences: who "it", "she", "the ministry" and a continuing quotation are
DISCOURSE = [
    ("Eswatini's government confirmed the arrivals. It said the men were in good health.", 1,
     "Eswatini's government", "SZ"),
    ("Foreign Minister Mia Holm met the envoy on Monday. She said the talks were cordial.", 0, "Mia Holm", None),
    ("Ghana's Ministry of Foreign Affairs issued a note. The ministry said it had asked for details.", 0,
     "Ghana's Ministry of Foreign Affairs", "GH"),
    ("Eswatini on Monday received ten deportees from the US, it said.", 0, "Eswatini", "SZ"),
    ("“We did not agree to this,” the minister said. “Nobody asked us before the plane was sent.”", 1, "minister",
     None),
]


@pytest.mark.parametrize("text, index, speaker, country", DISCOURSE, ids=[d[0][:40] for d in DISCOURSE])
def test_pronouns_roles_and_quotations_find_their_speaker(text, index, speaker, country):
    statements = extract(text).statements
    assert len(statements) > index, [s.model_dump() for s in statements]
    assert statements[index].speaker.name == speaker
    if country is not None:
        assert statements[index].speaker.country == country


def test_a_quotation_its_source_and_where_it_was_read_are_one_statement():
    text = ("“You cannot make him give up a right,” the judge said, according to the newspaper, adding that there "
            "was no sign the country would send him on.")
    [statement] = extract(text).statements
    assert statement.speaker.name == "judge"
    assert statement.content.startswith("You cannot make him give up a right")
    assert statement.content.endswith("would send him on")


def test_two_speakers_joined_by_and_each_keep_their_words():
    ghana, togo = extract("Ghana said it had agreed to take the men and Togo said it would not.").statements
    assert (ghana.speaker.name, ghana.content) == ("Ghana", "it had agreed to take the men")
    assert (togo.speaker.name, togo.content) == ("Togo", "it would not")


def test_two_speakers_in_one_sentence_each_keep_their_words():
    text = ("Rwanda says it is in talks on a similar deal, while Nigeria says it is rejecting pressure to do "
            "the same.")
    rwanda, nigeria = extract(text).statements
    assert (rwanda.speaker.name, nigeria.speaker.name) == ("Rwanda", "Nigeria")
    assert "Nigeria" not in rwanda.content and nigeria.stance == "reject"
