"""Solicitations: a government seeking other countries to take its deportees."""

from __future__ import annotations

import re

from removalwatch.domain import SolicitationClaim
from removalwatch.reports.extract.claims.base import Context, Draft, actor_countries

TYPE = "solicitation"

_SOLICITATION = re.compile(
    r"\b(?:search\w*|seek\w*|look\w*|ask\w*|press\w*|push\w*|lobb\w+|approach\w*|court(?:ed|ing)|canvass\w*|urg\w+|"
    r"reach\w* out|working with|call\w* on)\b[^.]{0,40}?\b(?:other|third|more|several|dozens of|many|a number of|"
    r"African|Central American|various|foreign)?\s*(?:countries|nations|governments)\b", re.I)


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    m = _SOLICITATION.search(text, s, e)
    if not m or not re.search(r"\b(?:take|accept|receive|deport\w*|migrants|people|willing|send)\b", text[s:e]):
        return []
    named = actor_countries(text, s, m.start())
    by = named[-1] if named else (ctx.speaker_country_at(s, e) or ctx.origin)
    if by is None:
        return []
    return [Draft(TYPE, (by,), sent, {"by": by})]


def build(draft: Draft) -> SolicitationClaim:
    return SolicitationClaim(id=draft.id, span=draft.span, **draft.fields)


def summarise(a: dict) -> str:
    return f"{a.get('by')} seeks other countries to take deportees"
