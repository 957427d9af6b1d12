"""Agreements between the deporting country and another to take, hold or pass on deportees."""

from __future__ import annotations

import re

from removalwatch.domain import AgreementClaim, Money
from removalwatch.reports.extract import quantities
from removalwatch.reports.extract.claims.base import Context, Draft, actor_countries, clause, ranked
from removalwatch.reports.extract.statements import Found

TYPE = "agreement"
MENTION = re.compile(r"\b(?:agreement|deal|arrangement|accord|pact|memorandum)s?\b", re.I)

_AGREEMENT = re.compile(
    r"\b(?:deals?|agreements?|arrangements?|accords?|pacts?|memorandum|understanding|agreed to|agrees to|(?:has|have) "
    r"agreed|coordinat\w+|safe third country|will (?:take|accept|receive)|accepted|agreed)\b", re.I)
_PURPOSE = [
    ("safe_third_country", re.compile(r"\b(?:safe third country|asylum cooperative|asylum agreement)\b", re.I)),
    ("detention", re.compile(r"\b(?:imprison\w*|prisons?|jail\w*|detain\w*|detention|incarcerat\w+|lock(?:ed)? up|"
                             r"custody|CECOT|cells?|confinement)\b", re.I)),
    ("transit", re.compile(r"\b(?:bridge|transit|way station|stopover|en route|pass through|onward|sent on|send them on|"
                           r"temporar\w+|until (?:their|they are|they can be) (?:return|repatriat|sent)\w*|refuel\w*|"
                           r"layovers?|on (?:their|its) way to|"
                           r"(?:return|send|sent) (?:them )?(?:to|back to) their (?:home countries|countries of origin)|"
                           r"until they (?:can|could) be (?:sent|returned|repatriated)|before (?:being )?(?:sent|returned|"
                           r"repatriated) (?:home|to their))\b", re.I)),
    ("reception", re.compile(r"\b(?:receiv\w+|reception|take in|taking in|accept\w*|take (?:people|deportees|migrants|them|"
                             r"its|their)|host\w*|resettl\w+|admit\w*)\b", re.I)),
]
_STATUS = [
    ("proposed", re.compile(r"\b(?:propos\w+|negotiat\w+|in talks|discuss\w+|would|draft)\b", re.I)),
    ("confirmed", re.compile(r"\b(?:signed|struck|reached|announced|confirmed|finalized|sealed)\b", re.I)),
]
# A party's confirmation outweighs a denial of the same deal (often an earlier or partial one).
STATUS_ORDER = ["confirmed", "denied", "rejected", "proposed", "reported"]
_PEOPLE_CAP = re.compile(r"\b(?:up to|as many as|no more than|a maximum of|at most|cap of)\s+(\d[\d,]*)\b", re.I)
_STANCE_STATUS = {"deny": "denied", "reject": "rejected", "confirm": "confirmed"}
_ABOUT_AGREEMENT = re.compile(
    r"\b(?:agree\w*|deal|arrangement|accord|coordinat\w+|deport\w*|migrants?|receiv\w+|accept\w*|tak\w+ in|help\w*|"
    r"bridge|host\w*|sovereignty)\b", re.I)


def purpose(text: str, spans: list[tuple[int, int]]) -> str | None:
    """What an agreement is for. A specific purpose (detention, transit) named in the sentence or
    the one before it ("... held until their return is arranged. She said the arrangement ...")
    beats the generic "receive" or "host"."""
    for span in spans:
        for name, rx in _PURPOSE[:-1]:
            if rx.search(text, *span):
                return name
    return "reception" if any(_PURPOSE[-1][1].search(text, *span) for span in spans) else None


def find(ctx: Context, index: int) -> list[Draft]:
    text, origin = ctx.text, ctx.origin
    s, e = sent = ctx.sentences[index]
    chunk = text[s:e]
    trigger = _AGREEMENT.search(chunk)
    if not trigger:
        return []
    cs, ce = clause(text, s + trigger.start(), s, e)
    found = [c for c in actor_countries(text, cs, ce) if c]
    speaker_country = ctx.speaker_country_at(s, e)
    if speaker_country:
        found.append(speaker_country)
    counterparts = sorted({c for c in found if c != origin})
    if origin is None or not counterparts:
        return []
    why = purpose(text, [sent, *ctx.previous_body_sentence(index)])
    status = next((name for name, rx in _STATUS if rx.search(chunk)), "reported")
    value = quantities.money(chunk)
    cap = _PEOPLE_CAP.search(chunk)
    return [Draft(TYPE, tuple(sorted({c, origin})), sent, {
        "parties": sorted({c, origin}), "purpose": why, "status": status,
        "value": {"amount": value[0], "currency": value[1]} if value else None,
        "people_cap": int(cap.group(1).replace(",", "")) if cap else None,
    }) for c in counterparts]


def stronger(a: str | None, b: str | None) -> str | None:
    return ranked(STATUS_ORDER, a, b)


def concerns(draft: Draft, statement: Found, text: str, origin: str | None) -> bool:
    """A statement by one of the agreement's parties (other than the deporting country) about such a deal."""
    cs, ce = statement.content_span
    return (statement.speaker.country in draft.fields["parties"] and statement.speaker.country != origin
            and _ABOUT_AGREEMENT.search(text[cs:ce]) is not None)


def contest(draft: Draft, statement: Found, origin: str | None) -> None:
    """A party's denial, rejection or confirmation sets the agreement's status."""
    if statement.speaker.country in draft.fields["parties"] and statement.stance in _STANCE_STATUS:
        draft.fields["status"] = stronger(draft.fields["status"], _STANCE_STATUS[statement.stance])


def build(draft: Draft) -> AgreementClaim:
    f = dict(draft.fields)
    value = f.pop("value")
    f["purpose"] = f["purpose"] or "other"
    return AgreementClaim(id=draft.id, span=draft.span, value=Money(**value) if value else None, **f)


def summarise(a: dict) -> str:
    value = a.get("value")
    money = f", {value['amount']:,.0f} {value['currency']}" if value else ""
    return f"agreement {'–'.join(a.get('parties', []))} for {a.get('purpose')} ({a.get('status')}{money})"


def countries(a: dict) -> set[str]:
    parties = set(a.get("parties", []))
    return parties - {"US"} if len(parties) > 1 else parties
