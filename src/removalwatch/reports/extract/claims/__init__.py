"""Claims: what a report asserts about the world, and which statements speak to each.

Each claim type is one module (see base.py for the interface) listed in REGISTRY. Every rule reads
one sentence, with its neighbours for what a phrase such as "both gangs" or "the flight" points
back to, and proposes drafts. Drafts with the same key (type and destination, parties, subject ...)
are merged into one, keeping the first span. Then statements are linked to the claims they are
about, and each type decides how a statement's stance bears on its claim (a party's denial of an
agreement).
"""

from __future__ import annotations

import datetime as dt
import re

from removalwatch.reports.extract import segment
from removalwatch.reports.extract.claims import agreements, court_actions, designations, flights, solicitations
from removalwatch.reports.extract.claims.base import ClaimType, Context, Draft, places
from removalwatch.reports.extract.lexicon import deporting_country
from removalwatch.reports.extract.statements import Found

REGISTRY = {m.TYPE: ClaimType.of(m) for m in (flights, agreements, designations, solicitations, court_actions)}

_ON_TOPIC = re.compile(r"\b(?:deport\w*|remov\w+|migrants?|flights?|agree\w*|deal|talks|accept\w*|receiv\w+|"
                       r"third[- ]country|custody|prisons?|court|order|ruling)\b", re.I)
_ABOUT_REMOVALS = re.compile(r"\b(?:deport\w*|removals?|removed|expel\w*)\b", re.I)


def find_claims(text: str, found: list[Found], published: dt.date | None) -> list[Draft]:
    sentences, headings = [], set()
    for number, paragraph in enumerate(segment.paragraphs(text)):
        if not segment.is_caption(text, paragraph):
            sentences.extend(segment.sentences(text, paragraph))
            if segment.is_heading(text, paragraph, number < 3):
                headings.add(paragraph)
    ctx = Context(text, sentences, headings, deporting_country(text), published,
                  _ABOUT_REMOVALS.search(text) is not None, found)  # about removals: once per text
    drafts: list[Draft] = []
    # Headlines last: the body says more exactly what a headline shortens ("agrees to host").
    order = sorted(range(len(sentences)), key=lambda i: any(h[0] <= sentences[i][0] < h[1] for h in headings))
    for i in order:
        for claim_type in REGISTRY.values():
            drafts += claim_type.find(ctx, i)
    merged: dict[tuple, list[Draft]] = {}
    for d in drafts:
        claim_type = REGISTRY[d.type]
        kept = next((k for k in merged.setdefault((d.type, d.key), []) if claim_type.same(k.fields, d.fields)), None)
        if kept is None:
            merged[(d.type, d.key)].append(d)
            kept = d
        else:
            for name, value in d.fields.items():
                if name == "status":
                    kept.fields[name] = claim_type.stronger(kept.fields[name], value)
                elif kept.fields.get(name) in (None, []) and value not in (None, []):
                    kept.fields[name] = value
        kept.evidence.append(d.span)
    ordered = sorted((d for same_key in merged.values() for d in same_key), key=lambda d: d.span)
    for claim_type in REGISTRY.values():
        claim_type.complete(ctx, ordered)
    for n, d in enumerate(ordered, 1):
        d.id = f"c{n}"
    return ordered


def _referent(text: str, f: Found, drafts: list[Draft], claim_type: str, origin: str | None) -> Draft | None:
    """The claim of a type that a statement's content refers to without naming it fully ("the deal",
    "the flight"): the one whose country is named in it or is the speaker's, else the last one
    mentioned before the statement, else the only one."""
    cs, ce = f.content_span
    candidates = [d for d in drafts if d.type == claim_type]
    claim = REGISTRY[claim_type]
    if not candidates or not (claim.mention and claim.mention.search(text, cs, ce) or f.speaker.kind in claim.speakers):
        return None
    named = {c for c, _, _ in places(text, cs, ce)}
    for d in candidates:
        countries = set(d.fields.get("parties") or [d.fields.get("destination")])
        if countries & (named | {f.speaker.country}) - {origin}:
            return d
    before = [d for d in candidates if min(s for s, _ in d.evidence) < f.span[0]]
    if before:
        return max(before, key=lambda d: max(s for s, _ in d.evidence if s < f.span[0]))
    return candidates[0] if len(candidates) == 1 else None


def link(text: str, found: list[Found], drafts: list[Draft]) -> None:
    """Attach to each statement the claims it is about; each claim type then weighs the statement."""
    origin = next((d.fields["origin"] for d in drafts if d.type == flights.TYPE and d.fields.get("origin")), "US")
    previous: Found | None = None
    for f in found:
        cs, ce = f.content_span
        linked = [d for d in drafts if any(s < ce and cs < e for s, e in d.evidence)
                  or REGISTRY[d.type].concerns(d, f, text, origin)]
        for claim_type, module in REGISTRY.items():
            if (module.mention is not None or module.speakers) and not any(d.type == claim_type for d in linked):
                referent = _referent(text, f, drafts, claim_type, origin)
                if referent is not None:
                    linked.append(referent)
        if not linked and previous is not None and previous.speaker is f.speaker and (
                f.cue is None or f.span[0] - previous.span[1] < 400):
            linked = [d for d in drafts if d.id in previous.claims]  # the same speaker going on
        if not linked and (f.stance == "decline" or _ON_TOPIC.search(text, cs, ce)):
            # a reply, or more words on the subject, just after a claim is made: about that claim
            before = [d for d in drafts if any(e <= f.span[0] and f.span[0] - e < 600 for _, e in d.evidence)]
            if before:
                linked = [max(before, key=lambda d: max(e for _, e in d.evidence if e <= f.span[0]))]
        for d in sorted(linked, key=lambda d: d.id):
            f.claims.append(d.id)
            REGISTRY[d.type].contest(d, f, origin)
        previous = f


def build(draft: Draft):
    """The public claim for a draft."""
    return REGISTRY[draft.type].build(draft)


def summarise(claim_type: str, attributes: dict) -> str:
    """One line describing a claim, in the users' words."""
    return REGISTRY[claim_type].summarise(attributes)
