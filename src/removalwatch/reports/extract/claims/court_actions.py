"""Court actions: a court blocking, allowing, ordering or warning about removals.

A court is a court or judge ("a federal judge", "the high court"), a judge named earlier and now
called by surname ("Murphy ordered ..."), or a court's own order ("an injunction barring ...").
What it did is the first effect phrase after it in its clause (data/lexicon/court_effects.csv),
or the phrase just before "by" and the court ("upheld by the Supreme Court"). A court's order that
something else acts on ("lifting a court order requiring ...") did nothing itself.
"""

from __future__ import annotations

import functools
import re

from removalwatch.domain import CourtActionClaim
from removalwatch.reports.extract.claims.base import Context, Draft, clause
from removalwatch.reports.extract.lexicon import lexicon

TYPE = "court_action"
MENTION = re.compile(r"\b(?:ruling|order|judge|court|decision|injunction)\b", re.I)
SPEAKERS = frozenset({"court"})  # what a judge or court says is about its own action

_COURT = (r"\b(?:(?:(?i:federal|district|appeals|appellate|supreme|high|immigration|state|lower)|U\.S\.|US|U\.K\.|UK)\s+)*"
          r"(?:[Jj]udges?|[Cc]ourts?|[Jj]ustices|[Pp]anel)\b(?!\s+(?:case|cases|hearings?|proceedings|documents|records|"
          r"battle|fight|challenge|date|filings?))"
          r"(?:\s+(?:in|of)\s+[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?|\bSupreme Court\b|\bhigh court\b")
_DOCUMENT = re.compile(
    r"\b(?:(?:(?i:his|her|the|a|an)|[A-Z]\w+(?:’s|'s)|court’s|court's|judge’s|judge's)\s+)(?:[\w-]+\s+){0,3}?(?:court\s+)?"
    r"(?:order|injunction|ruling|decision|judgment|restraining order)\b")
_JUDGE_NAME = re.compile(r"\b(?:Judge|Justice)\s+(?:[A-Z][\w’'-]*\.?\s+){0,3}([A-Z][\w’'-]{2,})")
_HE = re.compile(r"(?<=,\s)(?:and\s+)?(?:he|she)\b|(?<=\sand\s)(?:he|she)\b")
_RULED_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:ruled|said|found|held|decided|concluded|wrote)\b")
_PASSIVE_BY = re.compile(r"\s+by\s+(?:the\s+|a\s+)?$")
# "lifting for now a court order", "overturning a lower court's order": the court's act is acted on
_OBJECT_GAP = re.compile(r"\s+(?:for now\s+|temporarily\s+)?(?:(?:a|an|the|his|her)\s+)?(?:[\w’']+\s+){0,2}$")
# "asking that a court in Accra block", "despite a court order": no act of the court's here
_NOT_AN_ACT = re.compile(r"\b(?:ask\w*|urg\w*|want\w*|seek\w*|sought|petition\w*|request\w*|despite|violat\w*|"
                         r"defy\w*|defied|ignor\w*|in violation of)\s+(?:(?:that|the|a|an|his|her|its)\s+)?"
                         r"(?:[\w’']+\s+){0,3}$")
_HYPOTHETICAL = re.compile(r"\b(?:to|would|could|may|might|should|must)\s+(?:not\s+|also\s+|then\s+)?$")


@functools.lru_cache(maxsize=8)
def _courts(text: str) -> tuple[re.Pattern, re.Pattern]:
    """Courts in one text: the general words and the surnames of the judges it names; and a quick
    test for a sentence that may name one (the full pattern may start at any word)."""
    surnames = sorted({m.group(1) for m in _JUDGE_NAME.finditer(text)}, key=len, reverse=True)
    named = r"|\b(?:" + "|".join(map(re.escape, surnames)) + r")\b(?![’']s)" if surnames else ""
    return re.compile(_COURT + named), re.compile(r"(?i:judge|court|justice|panel|order|injunction|ruling|decision|"
                                                  r"judgment)" + named)


def _effect(text: str, start: int, end: int) -> tuple[str, re.Match] | None:
    m = lexicon().court_effect_re.search(text, start, end)
    return _effect_of(m) if m else None


def _effect_of(m: re.Match) -> tuple[str, re.Match]:
    """The effect named by the data row that matched."""
    return lexicon().court_effect[m.lastindex - 1], m


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    lex = lexicon()
    courts, may_name = _courts(text)
    if not may_name.search(text, s, e):
        return []
    # "the judge's injunction": a possessor names the order's court, it does not act itself
    mentions = [(m, "court") for m in courts.finditer(text, s, e) if not text.startswith(("’s", "'s"), m.end())]
    mentions += [(m, "document") for m in _DOCUMENT.finditer(text, s, e)]
    if mentions:  # "A federal judge ruled ..., and he ordered ...": the judge again
        mentions += [(m, "court") for m in _HE.finditer(text, mentions[0][0].end(), e)]
    mentions.sort(key=lambda x: x[0].start())
    drafts = []
    for n, (m, kind) in enumerate(mentions):
        cs, ce = clause(text, m.start(), s, e)
        if _NOT_AN_ACT.search(text, max(cs, m.start() - 60), m.start()):
            continue
        before = lex.court_effect_re.search(text, max(cs, m.start() - 40), m.start())
        if before and _PASSIVE_BY.fullmatch(text, before.end(), m.start()):
            found = _effect_of(before)  # "upheld by the Supreme Court"
        elif before and (kind == "document" or _OBJECT_GAP.fullmatch(text, before.end(), m.start())):
            continue
        else:
            following = [x.start() for x, k in mentions[n + 1:] if x.start() >= m.end() and k == "court"]
            found = _effect(text, m.end(), min([ce, m.end() + 120, *following[:1]]))
            if found is None and _RULED_AFTER.match(text, m.end()) and re.search(r",\s*(?:the\s+)?$", text[s:m.start()]):
                found = _effect(text, s, m.start())  # "The government can send them to Rwanda, the court ruled"
        if found is None or _HYPOTHETICAL.search(text, max(cs, found[1].start() - 25), found[1].start()):
            continue
        effect, hit = found
        named = mentions[0][0] if m.re is _HE else m  # "he" is the judge named first
        court = re.sub(r"^(?:a|the|his|her|its|their)\s+", "", named.group(0), flags=re.I)
        stop = m.start() if hit.start() < m.start() else ce  # an effect before the court ends at the court
        subject = re.split(r"[.;](?=\s+[A-Z“\"]|$)", text[hit.end():stop].strip(" ,.—"))[0]
        subject = re.sub(r"[,\s]+(?:the|a|an)?$", "", subject)[:160] or None
        drafts.append(Draft(TYPE, (effect,), sent, {"court": court, "effect": effect, "subject": subject}))
    return drafts


def build(draft: Draft) -> CourtActionClaim:
    return CourtActionClaim(id=draft.id, span=draft.span, **draft.fields)


def summarise(a: dict) -> str:
    return f"court ({a.get('court')}) {a.get('effect')}: {a.get('subject') or ''}".rstrip(": ")


EVENT_NEEDS = "named court or judge"
EVENT_WINDOW_DAYS = 7
# "a federal judge", "the court": many courts, not one
_UNNAMED_COURT = re.compile(r"^(?:(?:federal|district|appeals|appellate|lower|state|immigration|U\.S\.|US)\s+)*"
                            r"(?:judges?|courts?|justices|panel)$|^(?:he|she)$", re.I)


def event_key(a: dict) -> str | None:
    court = (a.get("court") or "").strip()
    if not court or _UNNAMED_COURT.match(court):
        return None
    return f"{court.lower()} | {a.get('effect')}"
