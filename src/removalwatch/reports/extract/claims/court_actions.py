"""Court actions: a court blocking, allowing or ordering something about removals."""

from __future__ import annotations

import re

from removalwatch.domain import CourtActionClaim
from removalwatch.reports.extract.claims.base import Context, Draft

TYPE = "court_action"
MENTION = re.compile(r"\b(?:ruling|order|judge|court|decision|injunction)\b", re.I)

_COURT = re.compile(
    r"\b(?:(?:a|the)\s+)?(?:(?:federal|district|appeals|appellate|supreme|high|immigration|U\.S\.|US|state)\s+)*"
    r"(?:judge|court|justices?)\b(?:\s+in\s+[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?|\bSupreme Court\b")
_EFFECT = [  # verbs only: "violated his earlier order" orders nothing
    ("blocks", re.compile(r"\b(?:blocked|blocks|blocking|halted|halts|halting|barred|bars|barring|stopped|stops|"
                          r"enjoined|suspended|suspends|paused|pauses|prohibited|prohibits|forbade|forbids|"
                          r"restrained|restrains)\b")),
    ("orders", re.compile(r"\b(?:ordered|ordering|required|requires|directed|directs)\b")),
    ("allows", re.compile(r"\b(?:allowed|allows|permitted|permits|lifted|lifts|cleared the way|sided with the "
                          r"(?:administration|government)|green.?lit|upheld|upholds)\b")),
    ("warns", re.compile(r"\b(?:warned|warns|cautioned|cautions|criticized|criticised|rebuked|rebukes)\b")),
]


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    m = _COURT.search(text, s, e)
    if not m:
        return []
    rest = text[m.end():e]
    hits = [(hit.start(), effect, hit) for effect, rx in _EFFECT for hit in [rx.search(rest)] if hit]
    for _, effect, hit in sorted(hits, key=lambda h: h[0])[:1]:  # the court's first verb says what it did
        court = re.sub(r"^(?:a|the)\s+", "", m.group(0))
        subject = rest[hit.end():].strip(" ,.")
        subject = re.split(r"[.;]", subject)[0][:160] or None
        return [Draft(TYPE, (effect,), sent, {"court": court, "effect": effect, "subject": subject})]
    return []


def build(draft: Draft) -> CourtActionClaim:
    return CourtActionClaim(id=draft.id, span=draft.span, **draft.fields)


def summarise(a: dict) -> str:
    return f"court ({a.get('court')}) {a.get('effect')}: {a.get('subject') or ''}".rstrip(": ")
