"""Solicitations: a government seeking other countries to take its deportees."""

from __future__ import annotations

import re

from removalwatch.domain import SolicitationClaim
from removalwatch.reports.extract.claims.base import Context, Draft, actor_countries

TYPE = "solicitation"
MENTION = re.compile(r"\b(?:request\w*|asked|ask(?:ing)?|pressur\w+|press(?:ed|ing)|push\w*|intentions?|proposal)\b", re.I)

_SOLICITATION = re.compile(
    r"\b(?:search\w*|seek\w*|look\w*|ask\w*|press\w*|push\w* for|lobb\w+|approach\w*|court(?:ed|ing)|canvass\w*|"
    r"urg\w+|reach\w* out|working with|call\w* on)\b[^.]{0,40}?\b(?:other|third|more|several|dozens of|many|"
    r"a number of|African|Central American|various|foreign)?\s*(?:countries|nations|governments)\b", re.I)
# one country asked: "a proposal from the Trump administration to accept deportees", "US request for
# Palau to admit asylum seekers", "was asked whether it would accept non-citizens"
_REQUEST = re.compile(
    r"\b(?:requests?|proposals?|pressure|demands?|offers?)\s+(?P<asker>from\s+(?:the\s+)?(?:[\w.’']+\s+){1,3})?"
    r"(?:(?:for|on)\s+(?:the\s+)?(?:[\w.’']+\s+){1,3}?)?to\s+(?:accept|admit|host|take|receive|do the same)\b"
    r"|\b(?:was|were|been|being)\s+asked\s+(?:whether|if|to)\s+(?:it|they)?\s*(?:would\s+|could\s+)?"
    r"(?:accept|admit|host|take|receive)\b", re.I)


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    if not re.search(r"\b(?:take|accept|receive|admit|host|deport\w*|migrants|people|willing|send|the same)\b", text[s:e]):
        return []
    m = _SOLICITATION.search(text, s, e)
    if m:
        named = actor_countries(text, s, m.start())
        by = named[-1] if named else (ctx.speaker_country_at(s, e) or ctx.origin)
    else:
        m = _REQUEST.search(text, s, e)
        if not m:
            return []
        # the asker is named in the request ("a proposal from the US", "US request"), else the deporting country;
        # the country named before is the one asked ("Burkina Faso has refused a proposal ...")
        asker = actor_countries(text, max(s, m.start() - 12), m.start())
        if m.group("asker"):
            asker += actor_countries(text, *m.span("asker"))
        by = asker[0] if asker else ctx.origin
    if by is None:
        return []
    return [Draft(TYPE, (by,), sent, {"by": by})]


def build(draft: Draft) -> SolicitationClaim:
    return SolicitationClaim(id=draft.id, span=draft.span, **draft.fields)


def summarise(a: dict) -> str:
    return f"{a.get('by')} seeks other countries to take deportees"


EVENT_NEEDS = "government seeking"


def event_key(a: dict) -> str | None:
    return a.get("by")


def countries(a: dict) -> set[str]:
    return {a["by"]} if a.get("by") else set()
