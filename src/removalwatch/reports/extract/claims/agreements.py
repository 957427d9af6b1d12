"""Agreements between the deporting country and another to take, hold or pass on deportees."""

from __future__ import annotations

import re

from removalwatch.domain import AgreementClaim, Money
from removalwatch.reports.extract import quantities
from removalwatch.reports.extract.claims.base import Context, Draft, actors, clause, countries_named, ranked
from removalwatch.reports.extract.statements import Found

TYPE = "agreement"
MENTION = re.compile(r"\b(?:agreement|deal|arrangement|accord|pact|memorandum)s?\b", re.I)

# people, or the places to hold them ("would not be hosting any return hubs")
_PEOPLE = (r"(?:deportees|deported|migrants|people|nationals|detainees|criminals|prisoners|individuals|asylum seekers|"
           r"non-citizens|hubs|centres|centers|camps)")
_AGREEMENT = re.compile(
    r"\b(?:deals?|agreements?|arrangements?|accords?|pacts?|memorand(?:um|a)|MOUs?|understanding|agreed to|agrees to|"
    r"(?:has|have) "
    r"agreed|coordinat\w+|in cooperation with|safe third country|will (?:take|accept|receive)|agreed|"
    # promises, offers and pressure to take people: "committed to accepting", "pressure on Nigeria to accept"
    r"(?:consent|commit|offer|willing|ready|pressur|propos|request|asked)\w*\s+(?:[\w’']+\s+){0,3}?to\s+"
    r"(?:(?:accept|receiv|tak|host|hous|shelter)\w*(?:\s+in)?\s+(?:[\w-]+\s+){0,3}?" + _PEOPLE + r"|do the same)|"
    # a country as a stopover: "its offer to act as a stopover", "offered Panama as a bridge"
    r"(?:offer\w*|agree\w*|serve|act)\s+(?:[\w’']+\s+){0,3}?as\s+(?:a\s+)?(?:bridge|stopover|transit (?:point|country|hub)|"
    r"way station|hub)|"
    # a refusal: "his country would not be hosting any return hubs"
    r"(?:would|will)\s+not\s+(?:be\s+)?(?:host|accept|tak|receiv)\w*\s+(?:[\w-]+\s+){0,3}?" + _PEOPLE + r"|"
    r"to\s+(?:accept|receive|take in|host|house|shelter|admit)\s+(?:[\w-]+\s+){0,3}" + _PEOPLE + r")\b", re.I)
# "agreement with Denmark", "a deal between Kosovo and the US": the partner named after the trigger
_WITH = re.compile(r"\b(?:with|between)\s+(?:the\s+)?(?:(?:government|authorities|administration)s?\s+(?:of|in)\s+"
                   r"(?:\w+\s+){0,2})?$", re.I)
_ONWARD = re.compile(r"\b(?:on (?:their|its|the) way|en route|bound|headed|heading|onward)\s+(?:to|for)\s+(?:the\s+)?$")
_SOURCE = re.compile(r"(?:\bfrom\s+(?:the\s+)?(?:countries|nations|places)\s+(?:like|such as|including)\s+|"
                     r"\b(?:migrants|deportees|people|nationals|citizens|men|women)\s+from\s+(?:the\s+)?)"
                     r"(?:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:,\s*|\s+and\s+|\s+or\s+))*$")
_OWN_RETURN = re.compile(r"\breturn\w*\s+(?:[\w’'-]+\s+){0,4}?to\s+$")
# "a UK-Rwanda deal" names both parties; "the US-Mexico border" names none
_PAIR = re.compile(r"\s*[-–/]\s*$")
_PAIR_DEAL = re.compile(r"\s+(?:deal|agreement|accord|pact|arrangement|partnership|plan|scheme|model|treaty)\b", re.I)
_PURPOSE = [
    ("safe_third_country", re.compile(r"\b(?:safe[- ]third[- ]country|asylum cooperative|asylum agreement)\b", re.I)),
    ("detention", re.compile(r"\b(?:imprison\w*|prison(?:s|ers?)?|jail\w*|detain\w*|detention|incarcerat\w+|lock(?:ed)? up|"
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
    ("rejected", re.compile(r"\b(?:refus\w+|reject\w*|turned down|"
                            r"(?:would|will|could) not (?:be )?(?:accept|host|tak|receiv)\w*|"
                            r"declin\w+ to)\b", re.I)),
    ("proposed", re.compile(r"\b(?:propos\w+|negotiat\w+|in talks?|talks|discuss\w+|would|draft|hop\w+ to|seek\w* to|"
                            r"pressur\w*|offer\w*|asked|request\w*)\b", re.I)),
    ("confirmed", re.compile(r"\b(?:signed|struck|reached|announced|confirmed|finali[sz]ed|sealed|ratified|concluded)\b",
                             re.I)),
]
# "nothing has been signed", "has yet to finalise": no confirmation
_NEGATED = re.compile(r"\b(?:not|no|never|nothing|yet to|n[’']t)\b[^.,;]{0,20}$", re.I)
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


def parties(ctx: Context, s: int, e: int, trigger: re.Match) -> list[tuple[str, str]]:
    """The pairs of countries an agreement sentence speaks of, within the trigger's clause: a named
    pair ("UK-Rwanda deal"); a partner named after the trigger ("with Denmark") and the actor named
    before it; else each other country named, with the deporting country."""
    text, origin = ctx.text, ctx.origin
    cs, ce = clause(text, trigger.start(), s, e)
    named = actors(text, cs, ce)
    dropped: set[int] = set()
    for (a, _, a_end), (b, b_start, b_end) in zip(named, named[1:]):
        if a != b and _PAIR.match(text[a_end:b_start]):
            if _PAIR_DEAL.match(text, b_end):
                return [(a, b)]
            dropped |= {a_end, b_end}  # "the US-Mexico border"
    named = [n for n in named if n[2] not in dropped]
    at = trigger.start()
    partners = [c for c, ps, _ in named if ps > at and _WITH.search(text, max(cs, ps - 45), ps)]
    between = [c for c, ps, _ in named if ps > at and re.search(r"\bbetween\s+(?:the\s+)?(?:[\w.]+\s+){0,3}?(?:and|,)\s+"
                                                                 r"(?:the\s+)?$", text[max(cs, ps - 60):ps])]
    if partners and between:  # "a deal between Kosovo and the US"
        return [(partners[0], between[0])] if partners[0] != between[0] else []
    if partners:
        # "Ghana, Uganda and Rwanda have accepted deportees under agreements with the United States"
        others = list(dict.fromkeys(c for c, ps, _ in named if ps < at and c not in partners))
        others = others or [ctx.speaker_country_at(cs, ce) or origin]
        return [(p, other) for p in dict.fromkeys(partners) for other in others if other and p != other]
    # "flights refuel on their way to Venezuela": where the people go on to is no party; nor where
    # they come from ("migrants from countries like Cuba and Venezuela"), nor a country taking back
    # its own nationals ("the individual's return to Jamaica")
    found = [c for c, ps, _ in named if not _ONWARD.search(text, max(cs, ps - 30), ps)
             and not _SOURCE.search(text, max(cs, ps - 60), ps) and not _OWN_RETURN.search(text, max(cs, ps - 50), ps)]
    speaker_country = ctx.speaker_country_at(cs, ce)
    if speaker_country:
        found.append(speaker_country)
    return [(c, origin) for c in sorted(set(found)) if origin and c != origin]


def find(ctx: Context, index: int) -> list[Draft]:
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    drafts, seen = [], set()
    for trigger in _AGREEMENT.finditer(text, s, e):
        # offsets from here on are the text's: finditer over the whole text within the sentence
        cs, ce = clause(text, trigger.start(), s, e)
        if (cs, ce) in seen:
            continue
        seen.add((cs, ce))
        pairs = parties(ctx, s, e, trigger)
        if not pairs:
            continue
        chunk = text[cs:ce]
        why = purpose(text, [sent, *ctx.previous_body_sentence(index)])
        status = next((name for name, rx in _STATUS if any(not _NEGATED.search(chunk, max(0, m.start() - 25), m.start())
                                                             for m in rx.finditer(chunk))), "reported")
        value = quantities.money(chunk)
        cap = _PEOPLE_CAP.search(chunk)
        drafts += [Draft(TYPE, tuple(sorted(pair)), sent, {
            "parties": sorted(pair), "purpose": why, "status": status,
            "value": {"amount": value[0], "currency": value[1]} if value else None,
            "people_cap": int(cap.group(1).replace(",", "")) if cap else None,
        }) for pair in pairs]
    return drafts


def stronger(a: str | None, b: str | None) -> str | None:
    return ranked(STATUS_ORDER, a, b)


def concerns(draft: Draft, statement: Found, text: str, origin: str | None) -> bool:
    """A statement about such a deal by one of its parties other than the deporting country, or
    naming that party ("We cannot accept Venezuelan deportees to Nigeria")."""
    cs, ce = statement.content_span
    others = set(draft.fields["parties"]) - {origin}
    named = countries_named(text, cs, ce, as_places=True)
    return bool(({statement.speaker.country} | named) & others) and _ABOUT_AGREEMENT.search(text, cs, ce) is not None


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


EVENT_NEEDS = "two parties"


def event_key(a: dict) -> str | None:
    parties = a.get("parties") or []
    return "–".join(sorted(parties)) if len(parties) > 1 else None
