"""Removal flights: people flown (or to be flown) from the deporting country to a destination.

What became of a flight (planned, under way, completed, blocked, cancelled) is read from the words
of `data/lexicon/flight_status.csv`; the patterns here find the destination and the people.
"""

from __future__ import annotations

import re

from removalwatch.domain import RemovalFlightClaim
from removalwatch.reports.extract import quantities
from removalwatch.reports.extract.claims.base import Context, Draft, clause, countries_named, places, ranked
from removalwatch.reports.extract.lexicon import is_nationality, lexicon

TYPE = "removal_flight"
MENTION = re.compile(r"\b(?:flights?|planes?|aircraft|flown|flew|removals?|deport(?:ed|ation|ations)|transfers?)\b",
                     re.I)

_PEOPLE_WORDS = re.compile(
    r"\b(?:deport\w*|migrants?|immigrants?|people|men|women|detainees?|nationals|asylum seekers|removals?|"
    r"passengers|aliens|foreigners|individuals|convicts|criminals|[A-Z][a-z]+(?:ans|ese|ians|is)|"
    r"(?<=send |sent )them|(?<=sending )them)\b")  # "blocked the government from sending them to Libya"
_FLIGHT = re.compile(
    r"\b(?:deport(?:ed|ing|s|ation|ations)?|expel\w*|remov(?:e|ed|es|ing|al|als)|sen[dt]s?|sending|fl(?:y|ew|own|"
    r"ies|ying)|flights?|transport\w*|transferr?(?:ed|ing|s)?|land(?:ed|s|ing)|arriv(?:e|ed|es|ing)|planes?|"
    r"aircraft|jets?|transit(?:ed|ing))\b")
_AIRCRAFT_NOUN = re.compile(r"\b(?:flights?|planes?|aircraft|jets?)\b")
# "to war-torn South Sudan", "in southern Costa Rica": a word that places or describes the country
_DESCRIBED = r"(?:(?:war-torn|war-ravaged|conflict-ridden|[a-z]+ern|neighbou?ring|nearby|distant|impoverished|tiny|small|" \
             r"remote|landlocked)\s+)?(?:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?,\s+)?"  # "in Yaounde, Cameroon"
_TO_COUNTRY = re.compile(
    r"\b(?:to|into|for|toward|towards|bound for)\s+(?:the\s+)?" + _DESCRIBED + r"(?:(?:Kingdom|Republic|State|"
    r"Federal Republic|Democratic Republic|Islamic Republic|Commonwealth|Principality) of\s+(?:the\s+)?)?$"
    r"|\b(?:to|into)\s+(?:the\s+)?[A-Z][\w’' -]{2,30}(?:,\s*[A-Z][\w’' -]{2,30})*(?:,?\s+(?:and|or)|,)\s+(?:the\s+)?$"
    r"|\b(?:to|into)\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}(?:in|near|outside)\s+(?:the\s+)?$")
_IN_COUNTRY = re.compile(r"\b(?:landed|arrived|touched down|land|arrive|arriving|landing|received|transited|passed)\s+"
                         r"(?:[\w’'-]+\s+){0,6}?(?:in|at|through)\s+(?:the\s+)?" + _DESCRIBED + "$")
# people held where they were sent: "The deportees ... are currently held at the ... facility in Juba",
# "transported for their incarceration in prisons in El Salvador"
_HELD_IN = re.compile(r"\b(?:held|housed|detained|stranded|incarcerat\w+|imprison\w+|jailed)\s+(?:[\w’'-]+\s+){0,6}?"
                      r"(?:in|at)\s+(?:the\s+)?" + _DESCRIBED + "$")
_DEPORTED_PEOPLE = re.compile(r"\b(?:deportees|deported|migrants|detainees)\b", re.I)
# "South Sudan has accepted eight third-country deportees", "Ghana will receive about 40 West African deportees"
_RECEIVES = re.compile(
    r"(?:\s+(?:and|,)\s+[A-Z][\w ]{2,30}?)?\s+(?:(?:each|also|has|have|had|will|would|is to|is set to|is expected to|"
    r"agreed to|to|begun|started)\s+){0,3}"
    r"(?:received?|receiving|took in|take in|taking in|accept(?:ed|ing)?|admit(?:ted)?|host|"
    r"(?:announced|confirmed|reported|welcomed) the arrival of)\s+"
    r"(?:a\s+|the\s+|about\s+|some\s+|nearly\s+|more than\s+|up to\s+|another\s+|a group of\s+|a new group of\s+)?"
    r"(?:[\w.-]+\s+){0,4}(?:flights?|planes?|deportees|migrants|nationals|deported (?:migrants|people|men|women)|plane ?loads?|"
    r"batch(?:es)? of deportees|(?:men|women|people|individuals|persons) (?:deported|expelled|removed))\b")
_A_GROUP = re.compile(r"\b(?:(?:a|an|the)\s+)?(?:new|second|third|first|next|latest|further)\s+(?:group|batch|flight|planeload)\b"
                      r"|\b(?:a|another)\s+(?:group|batch|flight|planeload)\b", re.I)
_TERMS = re.compile(r"\b(?:under which|allow\w*|permit\w*|would let)\b", re.I)
_WISH = re.compile(r"\b(?:prefer\w*|wish\w*|shall|would like)\b", re.I)
_COUNT_TO = re.compile(r"\b(" + quantities.NUMBER + r")\s+(?:more\s+)?(?:to|into)\s+(?:the\s+)?$", re.I)  # "five to Eswatini"
_ON_BOARD = re.compile(r"\b(?:flights?|planes?|aircraft|aboard|on board|carr(?:ied|ying)|passengers|deportees|the group)\b", re.I)
_COUNT_FROM = re.compile(r"\b(" + quantities.NUMBER + r"|a|an)\s+(?:[a-z-]+\s+)?(?:m[ae]n|wom[ae]n|persons?|people|migrants?|"
                         r"nationals?)\s+from\s+$", re.I)  # "two men from Laos and a man from Mexico"
_FROM = re.compile(r"\b(?:flown|flew|fly|deported|sent|transferred|removed|departed|left|took off|carried|moved)\s+"
                   r"(?:[\w’'-]+\s+){0,6}?from\s+(?:the\s+)?$")  # "flew 177 migrants from Guantanamo Bay to"
_TO_THAT_COUNTRY = re.compile(r"\b(?:deported|sent|flown|flew|transferred|removed)\s+(?:[\w’'-]+\s+){0,4}?to\s+the\s+"
                              r"(?:country|nation|kingdom|island|territory)\b")
_DEPORTED_NATIONALS = re.compile(
    r"\b(?:deported|repatriated|flew|removed)\s+(?:more than\s+|about\s+|some\s+|nearly\s+|over\s+)?(?:\d[\d,]*\s+|[a-z]+\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:citizens|nationals)\s+of\s+")
_HOME_RETURN = re.compile(
    r"\b(?:were|was|been|are being|is being)\s+(?:all\s+|later\s+|then\s+)?(?:deported|sent|flown|returned|removed|"
    r"repatriated)\s+(?:back\s+)?(?:to\s+their\s+(?:home|native|own)\s+(?:countries|nations|country)|home)\b", re.I)
_MONEY_BEFORE = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s*(?:million|billion|dollars|euros)\b", re.I)
_FOREIGN_DEPORTER = re.compile(
    r"(?<![\w.])(?:U\.K\.|UK|Britain|British|United Kingdom|Netherlands|Dutch|Italy|Italian|Denmark|Danish|Germany|"
    r"German|Australia|Australian|Israel|Israeli|Sweden|Swedish)(?![\w])")
_NOT_DESTINATION = re.compile(
    r"\b(?:return(?:ed)?|sent back|sent home|repatriat\w+)\s+(?:\w+\s+){0,3}to\s+(?:the\s+)?$|\bhome countr", re.I)
_MODAL = re.compile(
    r"\b(?:would|will|could|may|might|can|to be\s+(?:\w+ed|sent|flown|taken)|about to|"
    r"(?:plan|prepar|intend|expect|set|aim|seek|want|hop|schedul|"
    r"going|try|trie|attempt)\w*\s+to)\b[^.]*$")
_AGREEMENT_WORDS = re.compile(
    r"\b(?:deals?|agreements?|arrangements?|accords?|pacts?|memorandum|understanding|agreed to|agrees to|(?:has|have) "
    r"agreed|coordinat\w+|safe third country|will (?:take|accept|receive)|accepted|agreed)\b", re.I)
STATUS_ORDER = ["completed", "under_way", "cancelled", "blocked", "planned"]
_MILITARY = re.compile(r"\b(?:military (?:aircraft|plane|flight|jet|transport)|Air Force|C-17|C-130|military cargo)\b", re.I)
_CHARTER = re.compile(r"\bcharter(?:ed)?\b", re.I)
_COMMERCIAL = re.compile(r"\b(?:commercial (?:flight|airline|plane)|airliner|scheduled flight)\b", re.I)


def nationalities(text: str, start: int, end: int, origin: str | None) -> list[str]:
    lex = lexicon()
    found = []
    for code, ps, _ in places(text, start, end):
        if code != origin and code not in found and is_nationality(text, ps):
            found.append(code)
    for m in lex.demonym_re.finditer(text, start, end):
        code = lex.demonyms[m.group(0)]
        plural = m.group(0)[:-1] in lex.demonyms  # "Venezuelans" are people; "Venezuelan" needs a noun
        counted = _COUNTED.search(text, max(start, m.start() - 20), m.start())  # "three Togolese", "one Liberian"
        if code != origin and code not in found and (plural or counted or re.match(
                r"\s+(?:men|women|nationals|migrants|citizens|deportees|detainees|people|immigrants|asylum seekers|"
                r"children)\b", text[m.end():m.end() + 25])):
            found.append(code)
    return found


_COUNTED = re.compile(r"\b" + quantities.NUMBER + r"\s+$", re.I)
# a later sentence about the people of a removal: "The deportees come from ...", "The group included ..."
_THE_PEOPLE = re.compile(r"\b(?:the|those|these|all|other)\s+(?:[\w-]+\s+){0,2}?(?:deportees|men|women|individuals|"
                         r"people|detainees|migrants|group|passengers|inmates|prisoners|nationals)\b", re.I)


def complete(ctx: Context, drafts: list[Draft]) -> None:
    """Nationalities of a removal that its own sentence does not give, from one of the next three
    sentences that describes its people ("The five men were from Vietnam, Laos and Cuba") and
    names no other destination."""
    text = ctx.text
    removals = [d for d in drafts if d.type == TYPE]
    for i, (s, e) in enumerate(ctx.sentences):
        if not _THE_PEOPLE.search(text, s, e):
            continue
        earlier = [(max(ev[1] for ev in [d.span, *d.evidence] if ev[1] <= s), d) for d in removals
                   if any(ev[1] <= s for ev in [d.span, *d.evidence])]
        if not earlier:
            continue
        last_end, draft = max(earlier, key=lambda x: x[0])
        if draft.fields["nationalities"] or last_end <= ctx.sentences[max(0, i - 3)][0]:
            continue
        destination = draft.fields["destination"]
        if any(c != destination and _TO_COUNTRY.search(text[max(s, ps - 60):ps])
               for c, ps, _ in places(text, s, e) if not is_nationality(text, ps)):
            continue  # "... were flown on to Ghana": another removal's people
        found = nationalities(text, s, e, ctx.origin)  # the destination's own nationals too: they were aboard
        if found:
            draft.fields["nationalities"] = found


def _status(text: str, s: int, e: int, ps: int, held: bool) -> str | None:
    """What became of a flight, from the words of its clause nearest the destination: before it
    if any ("blocked ... from sending them to Libya"), else after ("Eswatini received ten ...")."""
    cs, ce = clause(text, ps, s, e)
    found = [(m.start(), name) for name, rx in lexicon().flight_status for m in rx.finditer(text, s, e)
             if not _MODAL.search(text, max(s, m.start() - 60), m.start())]
    for side in ([f for f in found if cs <= f[0] < ps], [f for f in found if ps <= f[0] < ce], found):
        names = {name for _, name in side}
        status = next((name for name in STATUS_ORDER if name in names), None)
        if status:
            return status
    return "completed" if held else None


def _people(text: str, s: int, e: int, ps: int) -> int | None:
    """The head count nearest before the destination in its clause ("the eight men deported to
    South Sudan and five to Eswatini"), else the first in the sentence."""
    cs, _ = clause(text, ps, s, e)
    elliptic = _COUNT_TO.search(text, max(cs, ps - 25), ps)
    if elliptic:
        return quantities.number(elliptic.group(1))
    before = [m for m in quantities.PEOPLE.finditer(text, cs, ps)]
    for m in reversed(before):
        n = quantities.people_count(m.group(0))
        if n is not None:
            return n
    if len({c for c, _, _ in places(text, s, e)}) > 2:
        return None  # a count elsewhere in a sentence about several countries may be any one's
    return quantities.people_count(text[s:e])


def _origin(text: str, s: int, e: int, ps: int, code: str, origin: str | None) -> str | None:
    """Where the people were flown from: a country after "from" in the destination's clause
    ("from El Salvador to Venezuela"), else the deporting country."""
    cs, ce = clause(text, ps, s, e)
    for c, qs, qe in places(text, cs, ce):
        route = re.match(r"\s+(?:to|into)\s", text[qe:qe + 6])  # "from El Salvador to Caracas": a route, not a nationality
        if c != code and _FROM.search(text, max(cs, qs - 80), qs) and (route or not is_nationality(text, qs)):
            return c
    return origin


def _other_deporter(text: str, s: int, ps: int, origin: str | None) -> bool:
    """Whether a country known to deport, other than this report's, is named before the destination."""
    lex = lexicon()
    for m in _FOREIGN_DEPORTER.finditer(text, s, ps):
        if (lex.countries.get(m.group(0)) or lex.demonyms.get(m.group(0))) != origin:
            return True
    return False


def _aircraft(ctx: Context, index: int, code: str) -> str | None:
    text, sentences = ctx.text, ctx.sentences
    s = sentences[index][0]
    for ns, ne in sentences[index:index + 3]:
        if ns != s and any(c not in (code, ctx.origin) and not is_nationality(text, p) for c, p, _ in places(text, ns, ne)):
            return None  # the next sentences speak of another country's flight
        window = text[ns:ne]
        for name, rx in (("military", _MILITARY), ("charter", _CHARTER), ("commercial", _COMMERCIAL)):
            if rx.search(window):
                return name
    return None


def _removal(sent: tuple[int, int], destination: str, status: str | None, origin: str | None, *, when: str | None,
             people: int | None, nationalities: list[str], aircraft: str | None = None,
             dates: list[str] | None = None) -> Draft:
    return Draft(TYPE, (destination,), sent, {
        "status": status, "origin": origin, "destination": destination, "aircraft": aircraft, "when": when,
        "people": people, "nationalities": nationalities, "dates": dates,
    })


def _to_the_country(ctx: Context, index: int) -> list[Draft]:
    """"groups in Eswatini ... after the US deported five men to the country": the country named
    before in the sentence."""
    text, origin = ctx.text, ctx.origin
    s, e = sent = ctx.sentences[index]
    m = _TO_THAT_COUNTRY.search(text, s, e)
    if not m:
        return []
    named = [c for c, ps, _ in places(text, s, m.start()) if c != origin and not is_nationality(text, ps)]
    if not named:
        return []
    code = named[-1]
    return [_removal(sent, code, _status(text, s, e, m.end(), False), origin, when=quantities.when(text[s:e]),
                     people=_people(text, s, e, m.end()), nationalities=nationalities(text, s, e, origin))]


def _nationals_sent_home(ctx: Context, index: int) -> list[Draft]:
    """"The United States deported more than 100 citizens of Uzbekistan, Kazakhstan and Kyrgyzstan":
    with no destination named, one removal to the first country named, carrying them all."""
    text, origin = ctx.text, ctx.origin
    s, e = sent = ctx.sentences[index]
    m = _DEPORTED_NATIONALS.search(text, s, e)
    if not m or any(c != origin and _TO_COUNTRY.search(text[max(s, ps - 60):ps]) for c, ps, _ in places(text, s, e)):
        return []  # a destination is named: the usual rules read it
    found = nationalities(text, m.end() - 4, e, origin)
    if not found:
        return []
    status = "planned" if _MODAL.search(text, max(s, m.start() - 60), m.start()) else "completed"
    return [_removal(sent, found[0], status, origin, when=quantities.when(text[s:e]),
                     people=quantities.people_count(m.group(0)), nationalities=found)]


def _home_returns(ctx: Context, index: int) -> list[Draft]:
    """People sent to their own countries ("two men from Vietnam ... were all deported to their
    home nations", "the Gambian migrant was flown home"): one removal to each country named."""
    text = ctx.text
    s, e = sent = ctx.sentences[index]
    home = _HOME_RETURN.search(text, s, e)
    if not home:
        return []
    drafts = []
    for code in nationalities(text, s, e, ctx.origin):
        at = next((ps for c, ps, _ in places(text, s, e) if c == code), None)
        count = _COUNT_FROM.search(text, max(s, at - 40), at) if at is not None else None
        people = (1 if count.group(1).lower() in ("a", "an") else quantities.number(count.group(1))) if count else None
        drafts.append(_removal(sent, code, "completed", ctx.origin, when=quantities.when(text[s:e]), people=people,
                               nationalities=[code]))
    return drafts


def find(ctx: Context, index: int) -> list[Draft]:
    text, sentences, origin = ctx.text, ctx.sentences, ctx.origin
    s, e = sent = sentences[index]
    chunk = text[s:e]
    # A sentence about a flight counts when it names people on board, or when the report is about
    # removals at all ("the flight departed from Alexandria and landed in Mbabane").
    if not (_FLIGHT.search(chunk) and (_PEOPLE_WORDS.search(chunk) or (ctx.about_removals and _AIRCRAFT_NOUN.search(chunk)))
            or _RECEIVES.search(chunk) or ctx.about_removals and _DEPORTED_PEOPLE.search(chunk)):
        return []
    drafts = _home_returns(ctx, index) + _to_the_country(ctx, index) + _nationals_sent_home(ctx, index)
    for code, ps, pe in places(text, s, e):
        if code == origin:
            continue
        before = text[max(s, ps - 60):ps]
        receives = _RECEIVES.match(text, pe, e)
        if _MONEY_BEFORE.search(text, max(s, ps - 40), ps):
            continue  # "transferred $7.5 million to Equatorial Guinea": money, not people
        if _other_deporter(text, s, ps, origin) and not any(c == origin for c, _, _ in places(text, s, e)):
            continue  # "a similar [British] plan to deport asylum-seekers to Rwanda": not this deporter's
        held = not receives and ctx.about_removals and _HELD_IN.search(before) and _DEPORTED_PEOPLE.search(chunk)
        if not (receives or held):
            if _NOT_DESTINATION.search(before) or not (_TO_COUNTRY.search(before) or _IN_COUNTRY.search(before)):
                continue
            # "were received at Juba airport after a flight from Djibouti": arrival needs a flight in the sentence
            if not _FLIGHT.search(text, max(s, ps - 120), ps) and not (_IN_COUNTRY.search(before) and _FLIGHT.search(chunk)):
                continue
        status = _status(text, s, e, ps, bool(held))
        phrase = quantities.when(chunk)
        people = _people(text, s, e, ps)
        if status in (None, "planned") and _AGREEMENT_WORDS.search(chunk) and (
                _TERMS.search(text, s, ps) or not (phrase or people or _A_GROUP.search(chunk))):
            continue  # "an agreement under which asylum seekers may be sent to Paraguay": terms, not a flight
        if status in (None, "planned") and (receives or _WISH.search(text, s, ps)) and not (people or _A_GROUP.search(chunk)):
            continue  # "Mexico will accept some migrants", "prefers that Africans be transferred": no flight yet
        # neighbours about the flight itself ("The plane carried 130 Venezuelans") tell its count and
        # nationalities, unless they speak of a flight of their own
        nearby = [sp for sp in sentences[max(0, index - 1):index + 2] if sp != sent and _ON_BOARD.search(text, *sp)
                  and not any(c != origin and (c != code or _FLIGHT.search(text, *sp))
                              and _TO_COUNTRY.search(text[max(sp[0], ps2 - 60):ps2]) for c, ps2, _ in places(text, *sp))]
        found_nationalities = nationalities(text, *clause(text, ps, s, e), origin)
        for ns, ne in nearby:
            people = people if people is not None else quantities.people_count(text[ns:ne])
            found_nationalities = found_nationalities or nationalities(text, ns, ne, origin)
        dates = quantities.resolve_when(phrase, ctx.published)
        drafts.append(_removal(sent, code, status, _origin(text, s, e, ps, code, origin), when=phrase, people=people,
                               nationalities=found_nationalities, aircraft=_aircraft(ctx, index, code),
                               dates=[d.isoformat() for d in dates] if dates else None))
    return drafts


def same(a: dict, b: dict) -> bool:
    """Whether two mentions of flights to one country are one removal: not when they carry clearly
    different numbers of people at different times or stages ("40 more next week"; "14 have
    transited so far"), but "some 170 were to arrive" and "flew 177" are one flight."""
    if a["people"] is None or b["people"] is None or abs(a["people"] - b["people"]) <= 0.1 * max(a["people"], b["people"]):
        return True
    return a["status"] == b["status"] and (a["when"] is None or b["when"] is None or a["when"] == b["when"])


_REMOVAL_TALK = re.compile(
    r"\b(?:deport\w*|flights?|planes?|migrants|arriv\w+|received|custody|correctional|facilit(?:y|ies)|inmates|"
    r"individuals|detainees|released|held|housed|batch(?:es)?|group|sent|transferr?\w*|removal|removed)\b", re.I)


def concerns(draft: Draft, statement, text: str, origin: str | None) -> bool:
    """A statement that speaks of people removed to the destination: naming it, or said by its
    government ("the individuals are under the care of the ministry")."""
    cs, ce = statement.content_span
    destination = draft.fields["destination"]
    named = destination in countries_named(text, cs, ce)
    return (named or statement.speaker.country == destination != origin) and _REMOVAL_TALK.search(text, cs, ce) is not None


def stronger(a: str | None, b: str | None) -> str | None:
    return ranked(STATUS_ORDER, a, b)


def build(draft: Draft) -> RemovalFlightClaim:
    f = dict(draft.fields)
    dates = f.pop("dates")
    f["status"] = f["status"] or "planned"  # nothing says it flew: do not say it did
    return RemovalFlightClaim(id=draft.id, span=draft.span, when_dates=dates, **f)


def summarise(a: dict) -> str:
    extra = f", {a['aircraft']} aircraft" if a.get("aircraft") else ""
    return f"removal flight {a.get('origin') or '?'} → {a.get('destination')} ({a.get('status')}{extra})"


def countries(a: dict) -> set[str]:
    return {a["destination"]} if a.get("destination") else set()


EVENT_NEEDS = "destination"
EVENT_WINDOW_DAYS = 7  # reports of one flight: "as early as this week", then "landed on Friday"


def event_key(a: dict) -> str | None:
    return a.get("destination")
