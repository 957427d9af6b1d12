"""Designations: a government labelling a group (a "foreign terrorist organization")."""

from __future__ import annotations

import re

from removalwatch.domain import DesignationClaim
from removalwatch.reports.extract.claims.base import Context, Draft, actor_countries
from removalwatch.reports.extract.lexicon import lexicon

TYPE = "designation"

_DESIGNATION = re.compile(
    r"\b(?:designat\w*|label\w*|list\w*|classif\w*|declar\w*|brand\w*|named?|calls?|called)\b[^.]{0,80}?"
    r"\b(?P<label>foreign terrorist organi[sz]ations?|terrorist organi[sz]ations?|specially designated global terrorists?|"
    r"transnational criminal organi[sz]ations?|terrorist groups?)\b", re.I)


def _groups(text: str, start: int, end: int) -> list:
    lex = lexicon()
    return [lex.actors[g.group(0)] for g in lex.actor_re.finditer(text, start, end)
            if lex.actors[g.group(0)].kind == "armed_group"]


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    m = _DESIGNATION.search(text, s, e)
    if not m:
        return []
    label = re.sub(r"s$", "", m.group("label").lower()).replace("organisation", "organization")
    groups = _groups(text, s, e)
    for ps, pe in reversed(ctx.sentences[max(0, index - 3):index]):
        if groups:
            break
        groups = _groups(text, ps, pe)  # "both gangs": named in the sentences before
    by = next(iter(actor_countries(text, s, m.start())), None) or ctx.origin
    seen, drafts = set(), []
    for g in groups:
        if g.name not in seen:
            seen.add(g.name)
            drafts.append(Draft(TYPE, (g.name,), sent, {"subject": g.name, "label": label, "by": by}))
    return drafts


def build(draft: Draft) -> DesignationClaim:
    return DesignationClaim(id=draft.id, span=draft.span, **draft.fields)


def summarise(a: dict) -> str:
    return f"{a.get('subject')} designated {a.get('label')} by {a.get('by')}"


EVENT_NEEDS = "group"


def event_key(a: dict) -> str | None:
    subject = (a.get("subject") or "").strip().lower()
    return f"{subject} | {(a.get('label') or '').lower()} | {a.get('by') or '?'}" if subject else None
