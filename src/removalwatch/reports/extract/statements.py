"""Statements: who said what, found around reporting cues and quotations.

For each cue ("said", "denied", "declined to comment", "according to") the
engine finds the speaker beside it and the content it introduces or closes:
a quotation, a that-clause, or the clause before ", officials said". A
quotation with no cue of its own continues the previous speaker's statement.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from removalwatch.reports.extract import segment
from removalwatch.reports.extract.lexicon import lexicon
from removalwatch.reports.extract.speakers import (
    Discourse, Mention, Speaker, _country_in, own_country_check, resolve, source_left, source_right,
)


@dataclass
class Found:
    """A statement before it is numbered: spans into the text, a resolved speaker."""

    speaker: Speaker
    speaker_span: tuple[int, int] | None
    cue: str | None
    cue_span: tuple[int, int] | None
    content_span: tuple[int, int]
    stance: str
    mode: str
    span: tuple[int, int]
    claims: list[str] = field(default_factory=list)


_ACCORDING = re.compile(r"\baccording to\b", re.I)
_THAT = re.compile(r"\bthat\b")
# What may stand between a cue and the end of its sentence when the content came before it:
# "said.", "said on Tuesday.", "told reporters in Tripoli.", "said in a statement posted online."
_ADJUNCT = (
    r"(?:(?:in|on|at|during|to|from|via|through|after|before|with|by|for|of|late|early|earlier|later|last|this|"
    r"also|again|then|reporters|journalists|in an? \w+|(?:[A-Z][\w.’'\-]*))\b"
    r"(?:\s+(?:a|an|the|his|her|its|their|our|social|local|state|national|news|press|\d+|[A-Z][\w.’'\-]*|"
    r"statement|post|interview|conference|briefing|meeting|media|television|radio|week|month|year|morning|"
    r"afternoon|evening|night|weekend|online|call|email|message|letter|video|speech|rally|hearing|court|filing|"
    r"posted|published|issued|released|sent|on|in|at|with|to|of|during)\b)*)"
)
# "... , top black lawmakers said Friday afternoon, as they bristled ...": the content came before
_ADJUNCT_THEN_CLAUSE = re.compile(r"^(?:\s*,?\s*" + _ADJUNCT + r")*\s*,\s*(?:as|while|when|after|before|adding|saying|"
                                  r"noting|citing|according|who|which|because|though|although|even as)\b")
# '... , its government said after Sir Keir confirmed ...': a subordinate clause, not what was said
_SUBORDINATE_AFTER = re.compile(r"\s*(?:after|before|when|as|while|because|since|although|though|following|amid|despite)\b")
# a quotation right after its cue is the content ('said: "..."', 'said that "..."'); one further on is
# a part of it ('says he is making "a demand" of Obama')
_QUOTE_OR_STOP = re.compile(r"[“\".;]|''")  # the first quotation mark after a cue, unless the clause ends first
_QUOTE_OPENS_CONTENT = re.compile(r"\s*,?\s*(?:(?:saying|stating|adding|writing|noting)\s*)?[,:]?\s*(?:that\s+)?")
_CLAUSE_END = re.compile(r",\s+(?:and|but|while)\s|;")
_SPEAKER_APPOSITIVE = re.compile(r"\s*,\s*(?:who|whose|which|a|an|the|one of|its|his|her)\b")
_PASSIVE = re.compile(r"\b(?:been|be|being|was|were|is|are|get|got)\s+(?:[a-z]+ly\s+)?$")
_PASSIVE_AFTER = re.compile(r"\s+(?:by|for|as)\b")
_BY_AGENT = re.compile(r"(?:\s+as\s+[^,.;“”\"]{1,60}?)?\s+by\s+(?=(?:the\s+|a\s+|an\s+)?[A-Za-z])")  # "described as ... by"
_COORDINATED_CUE = re.compile(r",?\s+(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?=[a-z])")
# "..., while Nigeria says ...": a second speaker's clause ends the first one's content
_TURN = re.compile(r",?\s+(?:while|whereas|but|and)\s+|;\s+")
_THAT_NEXT = re.compile(r"\s+that\b")
_NAMED_SUBJECT = re.compile(r"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}\s+(?:also\s+)?")
_SIGNED = re.compile(r"\s*[―—]\s*([A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})(?=\s*(?:$|[,.\n“\"]))")
_END_OF_NAME = re.compile(r",|(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bSt)(?<!\bRep)(?<!\bSen)(?<!\bGov)"
                          r"(?<!\bGen)(?<!\bCol)(?<!\bLt)(?<!\bSgt)(?<!\bCapt)(?<!\bAmb)(?<!\bSec)(?<!\bJr)(?<!\bSr)\.(?=\s|$)")
_HEARER = re.compile(
    r"\s+(?:me|him|her|them|us|reporters|journalists|lawmakers|supporters|the (?:newspaper|paper|network|station|"
    r"outlet|agency|committee|court|audience|crowd)|(?:[A-Z][\w.’'\-]*\s*)+(?:[a-z]+\s*)?)(?=\s|,|\.)")
_ADJUNCT_ONLY = re.compile(r"^(?:\s*,?\s*" + _ADJUNCT + r")*(?:\s*\([^()]{1,40}\))?\s*[.!?]?[\"”’]*\s*$")
_SPEECH_CONTENT_END = re.compile(r"[\s,.;:!?]+$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t,;:—–-":
        start += 1
    while end > start and text[end - 1] in " \t,;:—–-.":
        end -= 1
    return start, end


_SUBORDINATE = re.compile(r"\s(?:when|because|if|after|unless|since|while|whereas)\s|[,;]\s")


_SPEAKER_SUBJECT = re.compile(
    r"^(?:that\s+)?(?:(?:i|we|it|he|she|they|this|there|which)\b|(?:the|our|this|its|his|her|their)\s+(?:\w+\s+)?"
    r"(?:government|country|nation|ministry|kingdom|authorities|administration|state|side|office|department|"
    r"president|minister|court|judge)\b)", re.I)


def _said_by_speaker(content: str, at: int, speaker: Speaker) -> bool:
    """Whether the denial or rejection at `at` in a statement's content is the speaker's own: its
    clause opens with no subject of its own, with a pronoun, or with the speaker's own organ ("we will
    not accept", "the government has not signed", "there is no agreement") — not with someone else
    ("their home countries had refused")."""
    clause = re.split(r"[,;:]|\b(?:and|but|because|while|although)\b", content[:at])[-1].strip()
    clause = re.sub(r"^that\b\s*", "", clause)  # "said that no request had been received"
    if not clause or _SPEAKER_SUBJECT.match(clause):
        return True
    first = re.findall(r"[\w’']+", clause)[:3]
    return bool({w.lower() for w in first} & {w.lower() for w in speaker.name.split()}) or (
        speaker.country is not None and _country_in(" ".join(first)) == speaker.country)


def _content_stance(cue_stance: str, content: str, speaker: Speaker) -> str:
    """The cue's stance, or for a neutral cue ("said") what the main clause of the content does:
    "said that it is not coordinating ..." denies. Subordinate clauses, and clauses whose subject is
    someone else, are not the speaker's stance."""
    if cue_stance != "assert":
        return cue_stance
    sub = _SUBORDINATE.search(content, 15)
    content = content[:sub.start()] if sub else content
    lex = lexicon()
    if lex.decline_re.search(content):
        return "decline"
    for regex, stance in ((lex.deny_re, "deny"), (lex.reject_re, "reject")):
        if any(_said_by_speaker(content, m.start(), speaker) for m in regex.finditer(content)):
            return stance
    return "assert"


def _mode(content_span: tuple[int, int], quotes: list[segment.Quote]) -> str:
    cs, ce = content_span
    inside = [q for q in quotes if q.start < ce and cs < q.end]
    if not inside:
        return "indirect"
    q = inside[0]
    if len(inside) == 1 and q.start <= cs + 1 and q.end >= ce - 1:
        return "direct"
    return "mixed"


def _sentence_cover(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    s = [sp for sp in sentences if sp[0] < end and start < sp[1]]
    return (min(start, s[0][0]), max(end, s[-1][1])) if s else (start, end)


def find_statements(text: str) -> list[Found]:
    lex = lexicon()
    discourse = Discourse(text)
    found: list[Found] = []
    for number, paragraph in enumerate(segment.paragraphs(text)):
        if segment.is_caption(text, paragraph) or segment.is_heading(text, paragraph, number < 3):
            continue
        sents = segment.sentences(text, paragraph)
        quotes = segment.quotes(text, paragraph)
        used_quotes: set[segment.Quote] = set()

        starts = [q.start for q in quotes]

        def quote_at(i: int) -> segment.Quote | None:
            k = bisect.bisect_right(starts, i) - 1
            return quotes[k] if k >= 0 and i < quotes[k].end else None

        def add(speaker: Speaker, mention: Mention | None, cue: str | None, cue_span, content_span, stance) -> None:
            cs, ce = content_span
            for q in quotes:
                if q.start < ce and cs < q.end:
                    used_quotes.add(q)
            mode = _mode(content_span, quotes)
            spans = [content_span] + ([mention.span] if mention else []) + ([cue_span] if cue_span else [])
            span = _sentence_cover(sents, min(s[0] for s in spans), max(s[1] for s in spans))
            found.append(Found(speaker, mention.span if mention else None, cue, cue_span, content_span,
                               _content_stance(stance, text[cs:ce], speaker), mode, span))
            discourse.remember(speaker)

        def notice_subject(s_start: int, s_end: int, before: int | None = None) -> None:
            """Remember the sentence's subject as what a later "it" or "the minister" may mean."""
            subject = source_right(text, s_start, min(s_end, s_start + 150))
            if subject is not None and (before is None or subject.span[1] <= before):
                discourse.notice(resolve(subject, discourse))

        for s_start, s_end in sents:
            said_before = len(found)
            events = []
            for m in lex.cue_re.finditer(text, s_start, s_end):
                if _verb_reading(text, s_start, m, s_end):
                    events.append((m.start(), m.end(), lex.cue_stance[m.group(0)], "verb"))
            for m in lex.phrase_re.finditer(text, s_start, s_end):
                events.append((m.start(), m.end(), lex.phrase_stance[m.lastindex - 1], "verb"))
            for m in lex.decline_re.finditer(text, s_start, s_end):
                events.append((m.start(), m.end(), "decline", "decline"))
            for m in _ACCORDING.finditer(text, s_start, s_end):
                events.append((m.start(), m.end(), "assert", "according"))
            events.sort()
            taken_until = s_start
            for c_start, c_end, stance, kind in events:
                if c_start < taken_until or quote_at(c_start):
                    continue
                if kind == "according" and len(found) > said_before and not text[
                        max(found[-1].cue_span[1], (found[-1].speaker_span or (0, 0))[1]):c_start].strip(" ,"):
                    continue  # '"...," the judge said, according to the newspaper': where the quote was read
                result = _frame(text, s_start, s_end, c_start, c_end, kind, quote_at, found, sents)
                if result is None:
                    continue
                mention, content_span, cue_span = result
                if mention is None and found and found[-1].cue_span and found[-1].cue_span[0] >= s_start:
                    # '"...," she said, adding that ...': one speaker, one sentence, one statement
                    prev = found[-1]
                    prev.content_span = (min(prev.content_span[0], content_span[0]), content_span[1])
                    prev.stance = _content_stance(prev.stance, text[slice(*prev.content_span)], prev.speaker)
                    prev.mode = _mode(prev.content_span, quotes)
                    taken_until = max(c_end, content_span[1])
                    continue
                speaker = found[-1].speaker if mention is None else resolve(mention, discourse)
                if mention is not None and speaker.name == mention.text and mention.text.lower() in ("it", "they"):
                    # "Eswatini received 10 deportees, it said": the sentence's subject is what "it" means
                    notice_subject(s_start, s_end, before=mention.span[0])
                    speaker = resolve(mention, discourse)
                add(speaker, mention, text[cue_span[0]:cue_span[1]], cue_span, content_span, stance)
                taken_until = max(c_end, content_span[1] if content_span[0] >= c_end else c_end)
            if len(found) == said_before and not quote_at(s_start):
                notice_subject(s_start, s_end)  # a sentence with a statement has its speaker remembered

        # A quotation signed with a dash ('"..." ― Sonya Herridge') is its signer's.
        for q in quotes:
            signed = _SIGNED.match(text, q.end, paragraph[1])
            if q not in used_quotes and signed:
                mention = Mention(signed.group(1), signed.span(1))
                add(resolve(mention, discourse), mention, signed.group(0).strip()[0], None, _trim(text, *q.inner), "assert")
        # Quotations nobody was cued for continue the last speaker of this or the previous paragraph.
        for q in quotes:
            if q in used_quotes or not found:
                continue
            prev = found[-1]
            if prev.span[1] > q.start or q.start - prev.span[1] > 400:
                continue
            if text[q.start - 1: q.start] not in ("", " ", "\n", "\t") or q.end - q.start < 25:
                continue  # a quoted phrase inside a sentence, not a quotation of its own
            cs, ce = _trim(text, *q.inner)
            add(prev.speaker, None, None, None, (cs, ce), "assert")
            found[-1].speaker_span = prev.speaker_span  # the mention that named this speaker
    own_country_check(text, found)
    return found


_NOUN_BEFORE = re.compile(
    r"(?:\b(?:a|an|the|this|that|these|those|his|her|its|their|our|my|your|any|no|every|each|such|final|"
    r"latest|new|previous|earlier|same|first|second|of|\d+)|[’']s)\s+$", re.I)  # "a series of questions"
_DOCUMENT_BEFORE = re.compile(r"\b(?:a|an|the|its|his|her|their)\s+(?:statement|letter|post|report|filing|video|"
                              r"message|document|memo|note|release)\s+$", re.I)
_VERB_AFTER_NOUN = re.compile(r"\s+(?:could|would|will|can|may|might|should|must|are|were|have|had|do|did|of|which)\b")
_STATES_NOUN = re.compile(r"(?:\b(?:other|member|nation|island|small|neighbou?ring|frontline|several|many|Gulf|Arab|"
                          r"Baltic|[A-Z][a-z]+(?:an|ese|ic|ish))|,)\s+$")
_THAT_SOON = re.compile(r"(?:\s+[\w’',]+){0,4}?\s+that\b")
_QUOTE_MARKS = re.compile(r"[“”\"«»]|''")


_CLAUSE_OPENER = re.compile(r"\b(?:it|he|she|they|we|i|there|could|would|will|can|may|might|should|must|is|are|"
                            r"was|were|has|have|had|does|did)\b", re.I)
# ", adding that ...": the comma ends this cue's frame; the participle is a statement of its own
_PARTICIPLE_NEXT = re.compile(r"\s*,\s*(?:\w+ly\s+)?\w+ing\b")
# "is saying", "was insisting": a progressive, read as the finite verb it stands for
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|am|been)\s+(?:(?:also|now|still|again|once\s+again|repeatedly)\s+)?$")


def _complementizer(right: str) -> re.Match | None:
    """The "that" opening the cue's complement: within a few words of the cue ("said on Monday that",
    "told reporters that"), not a relative "that" inside a bare clause that already began ("said it
    intends to fly to countries that have agreed")."""
    that = _THAT.search(right[:90])
    if that is None:
        return None
    before = right[:that.start()]
    if len(before.split()) > 7 or _CLAUSE_OPENER.search(before) or _PARTICIPLE_NEXT.match(before):
        return None
    if not re.match(r"\s+\w", right[that.end():that.end() + 3]):
        return None  # "... could change that.": a pronoun, not a complementizer
    return that


def _verb_reading(text: str, s_start: int, m: re.Match, s_end: int) -> bool:
    """Whether a cue word is used as a verb of saying here: not after a determiner ("the final say",
    "their claims"), and in the frame its row asks for ("ruled that"; "called" with a quotation)."""
    if _NOUN_BEFORE.search(text, max(s_start, m.start() - 30), m.start()):
        return False
    if m.group(0).endswith("s") and _VERB_AFTER_NOUN.match(text, m.end()):
        return False  # "battleground states could be decisive", "the claims of": a plural noun
    if m.group(0) == "states" and _STATES_NOUN.search(text, max(s_start, m.start() - 20), m.start()):
        return False  # "other African states", "member states"
    if m.group(0).endswith("ed") and _DOCUMENT_BEFORE.search(text, max(s_start, m.start() - 30), m.start()):
        return False  # "In a statement posted on social media, ...": the document is not a speaker
    frame = lexicon().cue_frame.get(m.group(0), "any")
    if frame == "that":
        # "ruled that ...", or at the end after what was ruled: "..., a court ruled on Tuesday."
        return _THAT_SOON.match(text, m.end(), s_end) is not None or (
            s_end - m.end() < 80 and "," in text[max(s_start, m.start() - 60):m.start()]
            and _ADJUNCT_ONLY.match(text[m.end():s_end]) is not None)
    if frame == "quotation":
        return _QUOTE_MARKS.search(text, m.end(), s_end) is not None
    return True


def _frame(text, s_start, s_end, c_start, c_end, kind, quote_at, found, sents):
    """Speaker mention, content span and cue span for one cue, or None when it is no report."""
    lex = lexicon()
    cue_word = text[c_start:c_end]
    progressive = kind == "verb" and cue_word.endswith("ing") and _PROGRESSIVE.search(
        text, max(s_start, c_start - 24), c_start)
    passive = kind == "verb" and not progressive and _PASSIVE.search(text, max(s_start, c_start - 24), c_start)
    agent = _BY_AGENT.match(text, c_end) if passive else None
    if agent:
        # "Their situation was confirmed by rights activists": the agent speaks, the subject is the content
        end_of_name = _END_OF_NAME.search(text, agent.end(), s_end)
        mention = source_right(text, agent.end(), end_of_name.start() if end_of_name else s_end)
        content = _trim(text, s_start, passive.start())
        if mention is None or content[1] - content[0] < 8:
            return None
        return mention, content, (c_start, c_end)
    if kind == "verb" and (passive or _PASSIVE_AFTER.match(text, c_end)):
        return None  # "they had been told", "each person proposed for relocation": not a report
    if kind == "according":
        after_comma = text.find(",", c_end, s_end)
        stop = after_comma if after_comma != -1 else s_end
        mention = source_right(text, c_end, stop, loose=True)
        if mention is None:
            return None
        if text[s_start:c_start].strip():  # "..., according to officials."
            content = _trim(text, s_start, c_start)
        else:  # "According to officials, ..."
            content = _trim(text, mention.span[1], s_end)
        if content[1] - content[0] < 10:
            return None
        return mention, content, (c_start, c_end)

    participle = kind == "verb" and cue_word.endswith("ing") and not progressive
    if participle:
        # "..., adding that ...", "X issued a statement saying ...": the sentence's speaker said it
        if found and found[-1].span[1] > s_start:
            mention = None
        else:
            mention = source_right(text, s_start, c_start)
            if mention is None:
                return None
        right = text[c_end:s_end]
        that = _THAT.search(right[:40])
        content = _trim(text, c_end + (that.start() if that else 0), s_end)
        if content[1] - content[0] < 10:
            return None
        return mention, content, (c_start, c_end)
    mention = source_left(text, s_start, c_start)
    if mention is None and re.search(r"\b(?:and|but)\s+(?:also\s+|then\s+|later\s+)?$", text[s_start:c_start]):
        # "Cruz urged Republicans to vote their conscience and said ...": the sentence's subject
        mention = source_right(text, s_start, c_start)
    inverted = False
    if mention is None and kind == "verb":
        before = text[s_start:c_start].rstrip()
        if before.endswith((",", "”", '"', ",”", ',"', "''")) or not before:
            end_of_name = _END_OF_NAME.search(text, c_end, s_end)
            stop = end_of_name.start() if end_of_name else s_end
            mention = source_right(text, c_end, stop)
            inverted = mention is not None
    if mention is None:
        return None
    right_start = mention.span[1] if inverted else c_end
    if cue_word.startswith("told") or cue_word.startswith("tell"):
        hearer = _HEARER.match(text, right_start, s_end)  # "told reporters", "told The Washington Post"
        if hearer:
            right_start = hearer.end()
    right = text[right_start:s_end]
    if inverted and _SPEAKER_APPOSITIVE.match(right):
        right = ""  # '"...," said one mother, who asked ...': what follows describes the speaker
    before_source = (mention.span[0] if mention and not inverted else c_start)

    if kind == "decline":
        clause_end = _CLAUSE_END.search(text, c_end, s_end)
        content = _trim(text, c_start, clause_end.start() if clause_end else s_end)
        return mention, content, (c_start, c_end)

    # Content after the cue: a quotation, a that-clause, or a clause.
    that = _complementizer(right)
    q_after = None
    mark = _QUOTE_OR_STOP.search(text, right_start, min(s_end, right_start + 90))
    if mark and mark.group(0) not in ".;":
        q_after = quote_at(mark.start())
    closed_before = text[s_start:before_source].rstrip().endswith((",”", ',"', "”", '"', "''"))
    q_before = quote_at(before_source - 1) or quote_at(max(before_source - 3, 0))
    if q_before is not None and q_before.end <= before_source + 1 and q_after is not None \
            and q_after.start - right_start <= 4 and q_before is not q_after:
        # '"Hopefully," the president said, "this museum can help ..."': one statement around its cue
        return mention, (_trim(text, *q_before.inner)[0], _trim(text, *q_after.inner)[1]), (c_start, c_end)
    if q_after is not None and not _QUOTE_OPENS_CONTENT.fullmatch(text, right_start, q_after.start):
        q_after = None
    if q_after is None and closed_before and q_before is not None and q_before.end <= before_source + 1 \
            and not _THAT_NEXT.match(right):
        # '"...," she said at a news conference announcing ...': the quotation is what she said
        return mention, _trim(text, *q_before.inner), (c_start, c_end)
    if _ADJUNCT_ONLY.match(right) or (q_after is None and that is None and before_source > s_start and (
            right.strip().startswith(",") or (closed_before and len(right.split()) <= 8)
            or _ADJUNCT_THEN_CLAUSE.match(right) or _SUBORDINATE_AFTER.match(right))):
        # Content before the source: '"...," X said.' or '..., officials said.'
        if q_before is not None and q_before.end <= before_source + 1:
            content = _trim(text, *q_before.inner)
            return mention, content, (c_start, c_end)
        content = _trim(text, s_start, before_source)
        after = _trim(text, right_start, s_end)
        if right.strip().startswith(",") and after[1] - after[0] > content[1] - content[0]:
            content = after  # "And perhaps, he said, it could help ...": the longer side carries it
        if content[1] - content[0] < 12:
            return None
        return mention, content, (c_start, c_end)
    if q_after is not None and (that is None or q_after.start < right_start + that.start()):
        content = _trim(text, *q_after.inner)
        return mention, content, (c_start, c_end)
    content_start = right_start + that.start() if that is not None else right_start
    content_end = s_end
    coordinated = None if that is not None else _COORDINATED_CUE.search(text, content_start, s_end)
    if coordinated and lexicon().cue_re.match(text, coordinated.end()):
        content_end = coordinated.start()  # "He claimed vast wealth and said ...": two statements
    for turn in _TURN.finditer(text, content_start, content_end):
        subject = _NAMED_SUBJECT.match(text, turn.end())
        if subject and lex.cue_re.match(text, subject.end()):
            content_end = turn.start()
            break
    content = _trim(text, content_start, content_end)
    if content[1] - content[0] < (3 if lex.cue_stance.get(cue_word, "assert") != "assert" else 10):
        return None
    # A quotation that starts in the content and runs past the sentence belongs to it.
    q = quote_at(content[1] - 1)
    if q is not None and q.end > content[1]:
        content = (content[0], _trim(text, content[0], q.end)[1])
    return mention, content, (c_start, c_end)
