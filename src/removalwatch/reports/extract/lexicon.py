"""The engine's word lists, loaded once from the package's data files.

Nothing is read at import time; `lexicon()` loads and compiles on first use.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import pycountry

from removalwatch.reports.extract.segment import datelines


def _rows(*path: str) -> list[dict[str, str]]:
    with resources.files("removalwatch.data").joinpath(*path).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class KnownActor:
    name: str
    kind: str
    country: str | None
    role: str | None


def _alternation(words) -> str:
    """A regular expression matching any of the words, longest first, built as a trie: Python's
    engine then tries one branch per character instead of every word at every position."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return pattern(trie)


@dataclass(frozen=True)
class Lexicon:
    cue_stance: dict[str, str]          # surface form (lower case) -> stance
    cue_frame: dict[str, str]           # surface form -> any | that | quotation (see data/lexicon/README.md)
    phrase_stance: tuple[str, ...]      # the stance of each cue phrase, by its group number in phrase_re
    decline_phrases: tuple[str, ...]
    roles: dict[str, tuple[str, bool]]  # role noun -> (actor kind, denotes a person)
    actors: dict[str, KnownActor]       # alias (as written) -> actor
    countries: dict[str, str]           # country name or alias -> ISO2
    demonyms: dict[str, str]            # adjective -> ISO2
    capitals: dict[str, str]            # capital city -> ISO2
    cue_re: re.Pattern[str]
    phrase_re: re.Pattern[str]
    decline_re: re.Pattern[str]
    deny_re: re.Pattern[str]            # in a statement's content: a denial
    reject_re: re.Pattern[str]          # in a statement's content: a rejection
    actor_re: re.Pattern[str]
    country_re: re.Pattern[str]
    demonym_re: re.Pattern[str]
    capital_re: re.Pattern[str]
    court_effect: tuple[str, ...]       # the effect of each court phrase, by its group number in court_effect_re
    court_effect_re: re.Pattern[str]
    flight_status: tuple[tuple[str, re.Pattern[str]], ...]  # (status, what says it) in the file's order


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = country.alpha_2
    for row in _rows("gazetteer", "country_aliases.csv"):
        names[row["alias"]] = row["country"]
    return names


def _rows_re(alternatives) -> re.Pattern[str]:
    """Data rows as one case-blind pattern of whole words. The word boundary is tested once before
    the rows are tried, not once per row: most places in a text are not the start of a word."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


def _plural(noun: str) -> str:
    if noun.endswith("s") or " " in noun:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun[:-3] + "men" if noun.endswith("man") else noun + "s"


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cue_stance, cue_frame = {}, {}
    for row in _rows("lexicon", "cues.csv"):
        for form in row["forms"].split("|"):
            cue_stance[form] = row["stance"]
            cue_frame[form] = row["frame"]
            if row["lemma"] == "say":  # "Said Ellis: ...", an inverted cue that opens a sentence
                cue_stance[form.capitalize()] = row["stance"]
                cue_frame[form.capitalize()] = row["frame"]
    phrases = _rows("lexicon", "phrases.csv")
    decline = tuple(r["pattern"] for r in _rows("lexicon", "decline.csv"))
    content = _rows("lexicon", "content_stance.csv")
    court = _rows("lexicon", "court_effects.csv")
    status_rows: dict[str, list[str]] = {}
    for row in _rows("lexicon", "flight_status.csv"):
        status_rows.setdefault(row["status"], []).append(row["pattern"])
    roles = {r["word"]: (r["kind"], r["person"] == "yes") for r in _rows("lexicon", "roles.csv")}
    roles = {_plural(w): role for w, role in roles.items()} | roles  # "networks reported", "agencies said"
    actors: dict[str, KnownActor] = {}
    for row in _rows("gazetteer", "actors.csv"):
        actor = KnownActor(row["name"], row["kind"], row["country"] or None, row["role"] or None)
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            actors[alias] = actor
    countries = _country_names()
    demonyms = {r["demonym"]: r["country"] for r in _rows("gazetteer", "demonyms.csv")}
    demonyms |= {d + "s": c for d, c in demonyms.items() if d.endswith(("an", "i", "ot"))}  # "Venezuelans", "Yemenis"
    capitals = {r["capital"]: r["country"] for r in _rows("gazetteer", "capitals.csv")}
    # Country names must not end inside a word; "U.S." ends with a dot, so no \b there.
    return Lexicon(
        cue_stance=cue_stance,
        cue_frame=cue_frame,
        phrase_stance=tuple(r["stance"] for r in phrases),
        decline_phrases=decline,
        roles=roles,
        actors=actors,
        countries=countries,
        demonyms=demonyms,
        capitals=capitals,
        cue_re=re.compile(r"\b(?:" + _alternation(cue_stance) + r")\b"),
        phrase_re=_rows_re(rf"({r['pattern']})" for r in phrases),
        decline_re=re.compile(r"\b(?:" + _alternation(decline) + r")\b", re.I),
        deny_re=_rows_re(rf"(?:{r['pattern']})" for r in content if r["stance"] == "deny"),
        reject_re=_rows_re(rf"(?:{r['pattern']})" for r in content if r["stance"] == "reject"),
        actor_re=re.compile(r"(?<![\w.])(?:" + _alternation(actors) + r")(?![\w])"),
        country_re=re.compile(r"(?<![\w.])(?:" + _alternation(countries) + r")(?![\w])"),
        # "Central American", "Latin American", "African American": no nationality of the US
        demonym_re=re.compile(r"(?<![\w.])(?<!Central )(?<!South )(?<!Latin )(?<!North )(?<!African )(?<!African-)(?:"
                              + _alternation(demonyms) + r")(?![\w])"),
        capital_re=re.compile(r"(?<![\w.])(?:" + _alternation(capitals) + r")(?![\w])"),
        court_effect=tuple(r["effect"] for r in court),
        court_effect_re=_rows_re(rf"({r['pattern']})" for r in court),
        flight_status=tuple((status, re.compile(r"\b(?:" + "|".join(patterns) + r")\b"))
                            for status, patterns in status_rows.items()),
    )


_NATIONALS_OF = re.compile(
    r"\b(?:nationals|citizens|natives)\s+of\s+|\b(?:deportees|migrants|m[ae]n|wom[ae]n|people|persons?|detainees|"
    r"nationals|individuals|criminals|convicts|inmates|prisoners|refugees|asylum[- ]seekers),?\s+from\s+"
    r"|\bwho\s+(?:come|came|are|were|hail|hailed)\s+from\s+")


_LIST_GLUE = re.compile(
    r"^(?:[\s,]|\band\b|\bor\b|\bas well as\b|\bthe\b|\bother\b|\bcountries\b|\belsewhere\b|"
    r"\b(?:Central|South|Southeast|East|West|North|Eastern|Western|Latin|Sub-Saharan)?\s?"
    r"(?:Asia|Africa|America|Europe|Middle East|Caribbean)n?\b)*$")  # "citizens of Central Asian countries and India"


def is_nationality(text: str, pos: int) -> bool:
    """Whether the country named at `pos` is in a list of where people come from
    ("nationals of Vietnam, Jamaica and Laos"), not a place where something happens
    ("deportees from China and India landed in Panama": Panama is a place)."""
    memo = place_index(text).memo
    key = ("nationality", pos)
    if key not in memo:
        memo[key] = _is_nationality(text, pos)
    return memo[key]


def _is_nationality(text: str, pos: int) -> bool:
    head = text[max(0, pos - 120):pos]
    last = None
    for last in _NATIONALS_OF.finditer(head):
        pass
    if last is None:
        return False
    list_start = pos - len(head) + last.end()
    glue, cursor = [], list_start
    for _, start, end in place_index(text).within(list_start, pos):
        glue.append(text[cursor:start])
        cursor = end
    glue.append(text[cursor:pos])
    return bool(_LIST_GLUE.match(" ".join(glue)))


_AIRPORT_SUFFIX = re.compile(r"\s+(?:International|Intl\.?|Regional|Airport|Air Base|Airfield|Field)\b.*$", re.I)
_AIRPORT_MENTION = re.compile(r"\b([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3}?)\s+(?:International\s+|Intl\.?\s+)?[Aa]irport\b")


def _plain(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).lower().strip()


@functools.lru_cache(maxsize=1)
def airport_names() -> dict[str, str]:
    """Airport names as reports write them ("Toncontín airport") → country, from airportsdata."""
    import airportsdata
    names: dict[str, set[str]] = {}
    for a in airportsdata.load("ICAO").values():
        if a["iata"] and a["name"]:
            key = _plain(_AIRPORT_SUFFIX.sub("", a["name"]))
            if key and key not in ("international", "municipal", "regional", "county"):
                names.setdefault(key, set()).add(a["country"])
    # "Simón Bolívar" is an airport in Venezuela and one in Ecuador: such a name says no country
    return {key: countries.pop() for key, countries in names.items() if len(countries) == 1}


class PlaceIndex:
    """Every country named in one text — directly, by its capital, or by an airport ("landed at
    Toncontín airport") — found in one pass. A dateline names where the report was filed, not a
    place it speaks of, so its places are left out."""

    def __init__(self, text: str):
        lex = lexicon()
        found = [(m.start(), m.end(), lex.countries[m.group(0)]) for m in lex.country_re.finditer(text)]
        found += [(m.start(), m.end(), lex.capitals[m.group(0)]) for m in lex.capital_re.finditer(text)]
        airports = airport_names()
        found += [(m.start(), m.end(), airports[_plain(m.group(1))]) for m in _AIRPORT_MENTION.finditer(text)
                  if _plain(m.group(1)) in airports]
        filed = [m.span() for m in datelines(text)]
        found = sorted(f for f in found if not any(s <= f[0] < e for s, e in filed))
        self._starts = [f[0] for f in found]
        self.memo: dict = {}  # answers about this text (nationalities, clause breaks ...), kept as long as the index
        self._found = found

    def within(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """(country, start, end) of each place named inside [start, end), in order."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return [(code, s, e) for s, e, code in self._found[i:j] if e <= end]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, _, code in self._found:
            out[code] = out.get(code, 0) + 1
        return out


@functools.lru_cache(maxsize=8)
def place_index(text: str) -> PlaceIndex:
    """The PlaceIndex of a text, built once however many rules ask (the text's hash is cached by Python)."""
    return PlaceIndex(text)


@functools.lru_cache(maxsize=8)
def deporting_country(text: str) -> str | None:
    """The deporting country of a report: the US unless the report never mentions it, else the
    country it names most."""
    index = place_index(text)
    if index.counts().get("US") or re.search(r"\b(?:ICE|DHS|Trump administration|Homeland Security|Washington)\b", text):
        return "US"
    # elsewhere, the country the report names as an actor most ("the Australian Department", "Britain
    # was forced"), not where people are sent ("transfer to Papua New Guinea")
    counts: dict[str, int] = {}
    for code, start, _ in index.within(0, len(text)):
        if _SENT_TO_BEFORE.search(text, max(0, start - 80), start):
            counts[code] = counts.get(code, 0) - 2  # "removed to Nauru": where people are sent, not who sends them
        elif _SENT_BY_BEFORE.search(text, max(0, start - 80), start):
            counts[code] = counts.get(code, 0) + 3  # "deported by Australia", "removed from the UK": who sends them
        elif not _DESTINATION_BEFORE.search(text, max(0, start - 15), start) or \
                _INSTITUTION_IN.search(text, max(0, start - 50), start):  # "a court in Italy" acts there
            counts[code] = counts.get(code, 0) + 1
    lex = lexicon()
    for m in lex.demonym_re.finditer(text):
        if _STATE_AFTER.match(text, m.end()):  # "the Australian government", not "an Eritrean man"
            counts[lex.demonyms[m.group(0)]] = counts.get(lex.demonyms[m.group(0)], 0) + 1
    return max(counts, key=counts.get) if counts else None


_DESTINATION_BEFORE = re.compile(r"\b(?:to|into|in|at|for)\s+(?:the\s+)?$")
_SENT_BY_BEFORE = re.compile(r"\b(?:deport\w*|remov\w*|expel\w*|sent|flown|transferr?\w*|deemed\s+[\w-]+(?:\s+[\w-]+)?)\s+"
                             r"(?:[\w’'-]+\s+){0,3}?(?:by|from)\s+(?:the\s+)?$", re.I)
_INSTITUTION_IN = re.compile(r"\b(?:courts?|judges?|government|authorities|officials|parliament|ministry|ministers?)\s+"
                             r"(?:[\w’'-]+\s+){0,2}in\s+(?:the\s+)?$", re.I)
_STATE_AFTER = re.compile(r"\s+(?:government|officials?|authorities|ministers?|ministry|prime|premier|president|"
                          r"home|interior|foreign|immigration|border|state|administration|embassy|courts?|police)\b", re.I)
_SENT_TO_BEFORE = re.compile(r"\b(?:deport\w*|remov\w*|expel\w*|sen[dt](?:s|ing)?|flown|fl(?:y|ew|ights?)|transferr?\w*|"
                             r"relocat\w*|resettle\w*)\s+(?:[\w’'-]+\s+){0,6}?(?:to|into)\s+(?:the\s+)?$", re.I)
