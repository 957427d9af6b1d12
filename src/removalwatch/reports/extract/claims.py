"""Claims: what a report asserts about the world, and which statements speak to each.

Each rule reads one sentence (with its neighbours for what a pronoun such as
"both gangs" or "the flight" points back to) and proposes a claim. Claims
with the same key (type and destination, parties, subject ...) are merged into
one, keeping the first span. Then statements are linked to the claims they
are about, and an agreement's status follows what the parties said of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from removalwatch.domain import (
    AgreementClaim, CourtActionClaim, DesignationClaim, Money, RemovalFlightClaim, SolicitationClaim,
)
from removalwatch.reports.extract import quantities, segment
from removalwatch.reports.extract.lexicon import is_nationality, lexicon, place_index
from removalwatch.reports.extract.statements import Found

_PEOPLE_WORDS = re.compile(
    r"\b(?:deport\w*|migrants?|immigrants?|people|men|women|detainees?|nationals|asylum seekers|removals?|"
    r"passengers|aliens|foreigners|individuals|convicts|criminals|[A-Z][a-z]+(?:ans|ese|ians|is))\b")
_FLIGHT = re.compile(
    r"\b(?:deport(?:ed|ing|s|ation|ations)?|expel\w*|remov(?:e|ed|es|ing|al|als)|sen[dt]s?|sending|fl(?:y|ew|own|"
    r"ies|ying)|flights?|transport\w*|transferr?(?:ed|ing|s)?|land(?:ed|s|ing)|arriv(?:e|ed|es|ing)|planes?|"
    r"aircraft|jets?)\b")
_AIRCRAFT_NOUN = re.compile(r"\b(?:flights?|planes?|aircraft|jets?)\b")
_ABOUT_REMOVALS = re.compile(r"\b(?:deport\w*|removals?|removed|expel\w*)\b", re.I)
_TO_COUNTRY = re.compile(
    r"\b(?:to|into|for|toward|towards|bound for)\s+(?:the\s+)?(?:(?:Kingdom|Republic|State|Federal Republic|"
    r"Democratic Republic|Islamic Republic|Commonwealth|Principality) of\s+(?:the\s+)?)?$"
    r"|\b(?:to|into)\s+(?:the\s+)?[A-Z][\w’' -]{2,30}(?:,\s*[A-Z][\w’' -]{2,30})*,?\s+(?:and|or)\s+(?:the\s+)?$"
    r"|\b(?:to|into)\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}(?:in|near|outside)\s+(?:the\s+)?$")
_IN_COUNTRY = re.compile(r"\b(?:landed|arrived|touched down|land|arrive|arriving|landing)\s+(?:\w+\s+){0,3}(?:in|at)\s+(?:the\s+)?$")
_RECEIVES = re.compile(
    r"(?:\s+(?:and|,)\s+[A-Z][\w ]{2,30}?)?\s+(?:each\s+|also\s+|has\s+|have\s+|had\s+)?(?:received|took in|accepted|"
    r"admitted)\s+(?:a\s+|the\s+|\w+\s+)?(?:flights?|planes?|deportees|\d+ deportees|plane ?loads?)\b")
_NOT_DESTINATION = re.compile(r"\b(?:return(?:ed)?|sent back|sent home|repatriat\w+)\s+(?:\w+\s+){0,3}to\s+(?:the\s+)?$|\bhome countr", re.I)
_MODAL = re.compile(
    r"\b(?:would|will|could|may|might|can|to be|about to|(?:plan|prepar|intend|expect|set|aim|seek|want|hop|schedul|"
    r"going|try|trie|attempt)\w*\s+to)\b[^.]*$")
_STATUS_PRIORITY = ["completed", "under_way", "cancelled", "blocked", "planned"]
_STATUS = [
    ("blocked", re.compile(r"\b(?:block\w*|halt\w*|barr(?:ed|ing)|enjoin\w*|turn(?:ed)? (?:back|around)|stopp(?:ed|ing) the)\b")),
    ("cancelled", re.compile(r"\b(?:cancel\w*|scrapp\w+|called off|abort\w*)\b")),
    ("under_way", re.compile(r"\b(?:en route|in the air|took off|departed|on (?:its|their) way|heading to|airborne)\b")),
    ("completed", re.compile(
        r"\b(?:landed|arrived|flew|flown|were (?:sent|deported|removed|transferred|taken|put)|was (?:sent|deported|"
        r"removed|transferred)|had been (?:sent|deported|removed)|have been (?:sent|deported|removed)|received|"
        r"deported\s+(?:\w+\s+){0,4}(?:to|in)|sent\s+(?:\w+\s+){0,4}to|carrying|continued to|"
        r"received|took|the (?:removal|transfer|deportation|expulsion)s? of)\b")),
    ("planned", re.compile(
        r"\b(?:plan\w*|prepar\w*|will|would|expected|intend\w*|could|set to|scheduled|as early as|upcoming|weigh\w*|"
        r"consider\w*|about to|may|might|seeks? to|wants? to)\b")),
]
_MILITARY = re.compile(r"\b(?:military (?:aircraft|plane|flight|jet|transport)|Air Force|C-17|C-130|military cargo)\b", re.I)
_CHARTER = re.compile(r"\bcharter(?:ed)?\b", re.I)
_COMMERCIAL = re.compile(r"\b(?:commercial (?:flight|airline|plane)|airliner|scheduled flight)\b", re.I)

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
_AGREEMENT_STATUS = [
    ("proposed", re.compile(r"\b(?:propos\w+|negotiat\w+|in talks|discuss\w+|would|draft)\b", re.I)),
    ("confirmed", re.compile(r"\b(?:signed|struck|reached|announced|confirmed|finalized|sealed)\b", re.I)),
]
_PEOPLE_CAP = re.compile(r"\b(?:up to|as many as|no more than|a maximum of|at most|cap of)\s+(\d[\d,]*)\b", re.I)

_DESIGNATION = re.compile(
    r"\b(?:designat\w*|label\w*|list\w*|classif\w*|declar\w*|brand\w*|named?|calls?|called)\b[^.]{0,80}?"
    r"\b(?P<label>foreign terrorist organi[sz]ations?|terrorist organi[sz]ations?|specially designated global terrorists?|"
    r"transnational criminal organi[sz]ations?|terrorist groups?)\b", re.I)
_SOLICITATION = re.compile(
    r"\b(?:search\w*|seek\w*|look\w*|ask\w*|press\w*|push\w*|lobb\w+|approach\w*|court(?:ed|ing)|canvass\w*|urg\w+|"
    r"reach\w* out|working with|call\w* on)\b[^.]{0,40}?\b(?:other|third|more|several|dozens of|many|a number of|"
    r"African|Central American|various|foreign)?\s*(?:countries|nations|governments)\b", re.I)
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


@dataclass
class _Draft:
    type: str
    key: tuple
    span: tuple[int, int]
    fields: dict
    evidence: list[tuple[int, int]] = field(default_factory=list)
    id: str = ""


def _places(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Countries named in a span, directly or by their capital, in order."""
    return place_index(text).within(start, end)


def _actor_countries(text: str, start: int, end: int) -> list[str]:
    """Countries named as actors: country names, and demonyms before words for a state's organs."""
    lex = lexicon()
    found = [c for c, ps, _ in _places(text, start, end) if not is_nationality(text, ps)]
    for m in lex.demonym_re.finditer(text, start, end):
        if re.match(r"\s+(?:government|president|officials?|authorities|ministers?|ministry|foreign|leaders?|"
                    r"prime|state|side)\b", text[m.end():m.end() + 20]):
            found.append(lex.demonyms[m.group(0)])
    return found


def _nationalities(text: str, start: int, end: int, origin: str | None, destination: str | None = None) -> list[str]:
    lex = lexicon()
    found = []
    for code, ps, _ in _places(text, start, end):
        if code != origin and code not in found and is_nationality(text, ps):
            found.append(code)
    for m in lex.demonym_re.finditer(text, start, end):
        code = lex.demonyms[m.group(0)]
        plural = m.group(0)[:-1] in lex.demonyms  # "Venezuelans" are people; "Venezuelan" needs a noun
        if code != origin and code not in found and (plural or re.match(
                r"\s+(?:men|women|nationals|migrants|citizens|deportees|detainees|people|immigrants|asylum seekers|"
                r"children)\b", text[m.end():m.end() + 25])):
            found.append(code)
    return found


def _origin(text: str) -> str | None:
    """The deporting country: the US unless the report never mentions it."""
    counts = place_index(text).counts()
    if counts.get("US") or re.search(r"\b(?:ICE|DHS|Trump administration|Homeland Security|Washington)\b", text):
        return "US"
    return max(counts, key=counts.get) if counts else None


def _flight_claims(text, sent, origin, sentences, index, published, about_removals: bool) -> list[_Draft]:
    s, e = sent
    chunk = text[s:e]
    # A sentence about a flight counts when it names people on board, or when the report is about
    # removals at all ("the flight departed from Alexandria and landed in Mbabane").
    if not (_FLIGHT.search(chunk) and (_PEOPLE_WORDS.search(chunk) or (about_removals and _AIRCRAFT_NOUN.search(chunk)))):
        return []
    drafts = []
    for code, ps, pe in _places(text, s, e):
        if code == origin:
            continue
        before = text[max(s, ps - 60):ps]
        receives = _RECEIVES.match(text, pe, e)
        if not receives:
            if _NOT_DESTINATION.search(before) or not (_TO_COUNTRY.search(before) or _IN_COUNTRY.search(before)):
                continue
            if not _FLIGHT.search(text, max(s, ps - 120), ps):
                continue
        statuses = {name for name, rx in _STATUS if any(not _MODAL.search(chunk, max(0, m.start() - 60), m.start())
                                                          for m in rx.finditer(chunk))}
        status = next((name for name in _STATUS_PRIORITY if name in statuses), None)
        if status == "planned" and _AGREEMENT.search(chunk):
            continue  # "asylum seekers may be sent to Paraguay": the terms of a deal, not a flight
        aircraft = None
        for ns, ne in sentences[index:index + 3]:
            window = text[ns:ne]
            if ns != s and any(c not in (code, origin) and not is_nationality(text, p)
                               for c, p, _ in _places(text, ns, ne)):
                break
            if _MILITARY.search(window):
                aircraft = "military"
            elif _CHARTER.search(window):
                aircraft = "charter"
            elif _COMMERCIAL.search(window):
                aircraft = "commercial"
            if aircraft:
                break
        nearby = [sp for sp in sentences[max(0, index - 1):index + 2] if sp == sent or not any(
            c not in (code, origin) and _TO_COUNTRY.search(text[max(sp[0], ps2 - 60):ps2])
            for c, ps2, _ in _places(text, *sp))]
        people = quantities.people_count(chunk)
        nationalities = _nationalities(text, s, e, origin, code)
        for ns, ne in nearby:
            people = people if people is not None else quantities.people_count(text[ns:ne])
            nationalities = nationalities or _nationalities(text, ns, ne, origin, code)
        phrase = quantities.when(chunk)
        dates = quantities.resolve_when(phrase, published)
        drafts.append(_Draft("removal_flight", (code,), sent, {
            "status": status, "origin": origin, "destination": code, "aircraft": aircraft, "when": phrase,
            "people": people, "nationalities": nationalities,
            "dates": [d.isoformat() for d in dates] if dates else None,
        }))
    return drafts


def _agreement_claims(text, sent, origin, speaker_country, around) -> list[_Draft]:
    s, e = sent
    chunk = text[s:e]
    if not _AGREEMENT.search(chunk):
        return []
    trigger = _AGREEMENT.search(chunk)
    cs, ce = _clause(text, s + trigger.start(), s, e)
    countries = [c for c in _actor_countries(text, cs, ce) if c]
    if speaker_country:
        countries.append(speaker_country)
    counterparts = sorted({c for c in countries if c != origin})
    if origin is None or not counterparts:
        return []
    purpose = _purpose(text, [sent, *around])
    status = next((name for name, rx in _AGREEMENT_STATUS if rx.search(chunk)), "reported")
    value = quantities.money(chunk)
    cap = _PEOPLE_CAP.search(chunk)
    return [_Draft("agreement", tuple(sorted({c, origin})), sent, {
        "parties": sorted({c, origin}), "purpose": purpose, "status": status,
        "value": {"amount": value[0], "currency": value[1]} if value else None,
        "people_cap": int(cap.group(1).replace(",", "")) if cap else None,
    }) for c in counterparts]


def _purpose(text: str, spans: list[tuple[int, int]]) -> str | None:
    """What an agreement is for. A specific purpose (detention, transit) named in the sentence or
    the one before it ("... held until their return is arranged. She said the arrangement ...")
    beats the generic "receive" or "host"."""
    for span in spans:
        for name, rx in _PURPOSE[:-1]:
            if rx.search(text, *span):
                return name
    return "reception" if any(_PURPOSE[-1][1].search(text, *span) for span in spans) else None


_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\s+|\.\s")


def _clause(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    """The clause around position `at` within a sentence."""
    left = start
    for m in _CLAUSE_BREAK.finditer(text, start, at):
        left = m.end()
    right = _CLAUSE_BREAK.search(text, at, end)
    return left, right.start() if right else end


def _designation_claims(text, sent, previous, origin) -> list[_Draft]:
    s, e = sent
    m = _DESIGNATION.search(text, s, e)
    if not m:
        return []
    lex = lexicon()
    label = re.sub(r"s$", "", m.group("label").lower()).replace("organisation", "organization")
    groups = [lex.actors[g.group(0)] for g in lex.actor_re.finditer(text, s, e)
              if lex.actors[g.group(0)].kind == "armed_group"]
    for ps, pe in reversed(previous):
        if groups:
            break
        groups = [lex.actors[g.group(0)] for g in lex.actor_re.finditer(text, ps, pe)
                  if lex.actors[g.group(0)].kind == "armed_group"]
    by = next(iter(_actor_countries(text, s, m.start())), None) or origin
    seen, drafts = set(), []
    for g in groups:
        if g.name not in seen:
            seen.add(g.name)
            drafts.append(_Draft("designation", (g.name,), sent, {"subject": g.name, "label": label, "by": by}))
    return drafts


def _solicitation_claims(text, sent, origin, speaker_country) -> list[_Draft]:
    s, e = sent
    m = _SOLICITATION.search(text, s, e)
    if not m or not re.search(r"\b(?:take|accept|receive|deport\w*|migrants|people|willing|send)\b", text[s:e]):
        return []
    named = [c for c in _actor_countries(text, s, m.start())]
    by = named[-1] if named else (speaker_country or origin)
    if by is None:
        return []
    return [_Draft("solicitation", (by,), sent, {"by": by})]


def _court_claims(text, sent) -> list[_Draft]:
    s, e = sent
    m = _COURT.search(text, s, e)
    if not m:
        return []
    rest = text[m.end():e]
    hits = [(hit.start(), effect, hit) for effect, rx in _EFFECT for hit in [rx.search(rest)] if hit]
    for _, effect, hit in sorted(hits, key=lambda h: h[0])[:1]:  # the court's first verb says what it did
        if hit:
            court = re.sub(r"^(?:a|the)\s+", "", m.group(0))
            subject = rest[hit.end():].strip(" ,.")
            subject = re.split(r"[.;]", subject)[0][:160] or None
            return [_Draft("court_action", (effect,), sent, {"court": court, "effect": effect, "subject": subject})]
    return []


def find_claims(text: str, found: list[Found], published: dt.date | None) -> list:
    origin = _origin(text)
    about_removals = _ABOUT_REMOVALS.search(text) is not None  # once per text: never per sentence
    sentences, headings = [], set()
    for number, paragraph in enumerate(segment.paragraphs(text)):
        if not segment.is_caption(text, paragraph):
            sentences.extend(segment.sentences(text, paragraph))
            if segment.is_heading(text, paragraph, number < 3):
                headings.add(paragraph)

    def speaker_country_at(s: int, e: int) -> str | None:
        for f in found:
            cs, ce = f.content_span
            if cs < e and s < ce and f.speaker.country and f.speaker.country != origin:
                return f.speaker.country
        return None

    drafts: list[_Draft] = []
    # Headlines last: the body says more exactly what a headline shortens ("agrees to host").
    order = sorted(range(len(sentences)), key=lambda i: sentences[i] in headings)
    for i in order:
        sent = sentences[i]
        sc = speaker_country_at(*sent)
        drafts += _flight_claims(text, sent, origin, sentences, i, published, about_removals)
        previous = [sentences[i - 1]] if i and not any(h[0] <= sentences[i - 1][0] < h[1] for h in headings) else []
        drafts += _agreement_claims(text, sent, origin, sc, previous)
        drafts += _designation_claims(text, sent, sentences[max(0, i - 3):i], origin)
        drafts += _solicitation_claims(text, sent, origin, sc)
        drafts += _court_claims(text, sent)

    merged: dict[tuple, _Draft] = {}
    for d in drafts:
        key = (d.type, d.key)
        if key not in merged:
            merged[key] = d
        else:
            kept = merged[key]
            for name, value in d.fields.items():
                if name == "status":
                    kept.fields[name] = _stronger_status(d.type, kept.fields[name], value)
                elif kept.fields.get(name) in (None, []) and value not in (None, []):
                    kept.fields[name] = value
        merged[key].evidence.append(d.span)
    ordered = sorted(merged.values(), key=lambda d: d.span)
    for n, d in enumerate(ordered, 1):
        d.id = f"c{n}"
    return ordered


# A party's confirmation outweighs a denial of the same deal (often an earlier or partial one).
_AGREEMENT_PRIORITY = ["confirmed", "denied", "rejected", "proposed", "reported"]


def _stronger_status(claim_type: str, a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    order = _STATUS_PRIORITY if claim_type == "removal_flight" else _AGREEMENT_PRIORITY
    return min(a, b, key=lambda x: order.index(x) if x in order else len(order))


_STANCE_STATUS = {"deny": "denied", "reject": "rejected", "confirm": "confirmed"}
_ABOUT_AGREEMENT = re.compile(
    r"\b(?:agree\w*|deal|arrangement|accord|coordinat\w+|deport\w*|migrants?|receiv\w+|accept\w*|tak\w+ in|help\w*|"
    r"bridge|host\w*|sovereignty)\b", re.I)


_MENTIONS = {
    "agreement": re.compile(r"\b(?:agreement|deal|arrangement|accord|pact|memorandum)s?\b", re.I),
    "removal_flight": re.compile(r"\b(?:flights?|planes?|aircraft|flown|flew|removals?|deport(?:ed|ation|ations)|transfers?)\b",
                                 re.I),
    "court_action": re.compile(r"\b(?:ruling|order|judge|court|decision|injunction)\b", re.I),
}


def _referent(text: str, f: Found, drafts: list[_Draft], claim_type: str, origin: str | None) -> _Draft | None:
    """The claim of a type that a statement's content refers to without naming it fully ("the deal",
    "the flight"): the one whose country is named in it or is the speaker's, else the last one
    mentioned before the statement, else the only one."""
    cs, ce = f.content_span
    candidates = [d for d in drafts if d.type == claim_type]
    if not candidates or not _MENTIONS[claim_type].search(text, cs, ce):
        return None
    named = {c for c, _, _ in _places(text, cs, ce)}
    for d in candidates:
        countries = set(d.fields.get("parties") or [d.fields.get("destination")])
        if countries & (named | {f.speaker.country}) - {origin}:
            return d
    before = [d for d in candidates if min(s for s, _ in d.evidence) < f.span[0]]
    if before:
        return max(before, key=lambda d: max(s for s, _ in d.evidence if s < f.span[0]))
    return candidates[0] if len(candidates) == 1 else None


def link(text: str, found: list[Found], drafts: list[_Draft]) -> None:
    """Attach to each statement the claims it is about, and let an agreement's parties' words set its status."""
    origin = _origin_of(drafts)
    previous: Found | None = None
    for f in found:
        cs, ce = f.content_span
        linked: list[_Draft] = []
        for d in drafts:
            overlaps = any(s < ce and cs < e for s, e in d.evidence)
            party = (d.type == "agreement" and f.speaker.country in d.fields["parties"]
                     and f.speaker.country != origin and _ABOUT_AGREEMENT.search(text[cs:ce]))
            if overlaps or party:
                linked.append(d)
        for claim_type in _MENTIONS:
            if not any(d.type == claim_type for d in linked):
                referent = _referent(text, f, drafts, claim_type, origin)
                if referent is not None:
                    linked.append(referent)
        if not linked and f.cue is None and previous is not None and previous.speaker is f.speaker:
            linked = [d for d in drafts if d.id in previous.claims]  # a quotation continues its statement
        for d in sorted(linked, key=lambda d: d.id):
            f.claims.append(d.id)
            if d.type == "agreement" and f.speaker.country in d.fields["parties"] and f.stance in _STANCE_STATUS:
                d.fields["status"] = _stronger_status("agreement", d.fields["status"], _STANCE_STATUS[f.stance])
        previous = f


def _origin_of(drafts: list[_Draft]) -> str | None:
    return next((d.fields["origin"] for d in drafts if d.type == "removal_flight" and d.fields.get("origin")), "US")


def build(d: _Draft):
    """The public claim for a draft."""
    f = dict(d.fields)
    if d.type == "removal_flight":
        dates = f.pop("dates")
        f["status"] = f["status"] or "planned"  # nothing says it flew: do not say it did
        return RemovalFlightClaim(id=d.id, span=d.span, when_dates=dates, **f)
    if d.type == "agreement":
        value = f.pop("value")
        f["purpose"] = f["purpose"] or "other"
        return AgreementClaim(id=d.id, span=d.span, value=Money(**value) if value else None, **f)
    if d.type == "designation":
        return DesignationClaim(id=d.id, span=d.span, **f)
    if d.type == "solicitation":
        return SolicitationClaim(id=d.id, span=d.span, **f)
    return CourtActionClaim(id=d.id, span=d.span, **f)
