"""What every claim type shares: drafts, the context a rule reads, and the interface a type offers.

A claim type is one module in this package with:

    TYPE                      the public name ("removal_flight")
    find(ctx, i)              candidate claims (drafts) in sentence i
    build(draft)              the public claim (a domain model)
    summarise(attributes)     one line in the users' words
and, where the type needs them (the defaults are in `ClaimType`):
    MENTION                   words by which a statement refers to a claim of the type ("the flight")
    SPEAKERS                  kinds of speaker whose every statement refers to one ("court": a judge)
    countries(attributes)     the countries the claim is about
    stronger(a, b)            of two statuses of one claim, the one to keep
    same(a, b)                whether two drafts with one key (their fields) are one claim
    concerns(draft, statement, text, origin)
                              whether a statement that does not cover the claim's sentence is about it
    contest(draft, statement, origin)
                              how a statement's stance changes the claim (a party denies an agreement)

`claims/__init__.py` lists the modules; a new claim type is one new module there plus its data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from removalwatch.reports.extract.lexicon import is_nationality, lexicon, place_index
from removalwatch.reports.extract.statements import Found


@dataclass
class Draft:
    type: str
    key: tuple
    span: tuple[int, int]
    fields: dict
    evidence: list[tuple[int, int]] = field(default_factory=list)
    id: str = ""


@dataclass
class Context:
    """One document as the claim rules read it."""

    text: str
    sentences: list[tuple[int, int]]
    headings: set[tuple[int, int]]
    origin: str | None
    published: dt.date | None
    about_removals: bool
    found: list[Found]

    def speaker_country_at(self, s: int, e: int) -> str | None:
        """The country of a speaker whose statement covers [s, e), other than the deporting country."""
        for f in self.found:
            cs, ce = f.content_span
            if cs < e and s < ce and f.speaker.country and f.speaker.country != self.origin:
                return f.speaker.country
        return None

    def previous_body_sentence(self, i: int) -> list[tuple[int, int]]:
        if i == 0:
            return []
        prev = self.sentences[i - 1]
        return [] if any(h[0] <= prev[0] < h[1] for h in self.headings) else [prev]


def places(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Countries named in a span, directly or by their capital, in order."""
    return place_index(text).within(start, end)


def countries_named(text: str, start: int, end: int, *, as_places: bool = False) -> frozenset[str]:
    """The countries a span names (with `as_places`, not those that only say where people are
    from), worked out once per statement however many claims weigh it."""
    memo = place_index(text).memo
    key = ("countries", start, end, as_places)
    if key not in memo:
        memo[key] = frozenset(c for c, ps, _ in places(text, start, end) if not (as_places and is_nationality(text, ps)))
    return memo[key]


def actors(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Countries named as actors, in order: country names (not "Venezuelan" in "Venezuelan men"),
    and demonyms before words for a state's organs ("Italian Premier", "the Ugandan government")."""
    lex = lexicon()
    found = [(c, ps, pe) for c, ps, pe in places(text, start, end) if not is_nationality(text, ps)]
    for m in lex.demonym_re.finditer(text, start, end):
        if _STATE_ORGAN.match(text, m.end(), m.end() + 20):
            found.append((lex.demonyms[m.group(0)], m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def actor_countries(text: str, start: int, end: int) -> list[str]:
    return [c for c, _, _ in actors(text, start, end)]


_STATE_ORGAN = re.compile(r"\s+(?:government|president|officials?|authorities|ministers?|ministry|foreign|leaders?|"
                          r"prime|premier|chancellor|king|state|side|administration|embassy)\b", re.I)
# Where a clause ends: a semicolon, a conjunction or subordinator before another clause, a new
# subject that speaks ("... and Rwanda says ..."), a participle of saying.
_CLAUSE_BREAK = re.compile(
    r";|,[”\"]?\s+(?:and|but|while|whereas|saying|adding|noting|citing|meaning|following)\s+"
    r"|\s+(?:but|while|whereas|since|because|although|though)\s+|[—–]\s*where\b"
    r"|\s+and\s+(?=(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?\s+(?:says|said|has|have|had|is|was|will|would)\b)")


# "Ghana, Uganda, Rwanda, Eswatini, and South Sudan have ...": ", and" before a list's last name
_LIST_BEFORE = re.compile(r",\s+(?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*$")


def _breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where clauses end in a sentence, found once per sentence however many rules ask."""
    memo = place_index(text).memo
    key = ("clause breaks", start, end)
    if key not in memo:
        memo[key] = [m.span() for m in _CLAUSE_BREAK.finditer(text, start, end)
                     if not (m.group(0).strip(",”\" ").startswith("and")
                             and _LIST_BEFORE.search(text, max(start, m.start() - 40), m.start()))]
    return memo[key]


def clause(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    """The clause around position `at` within a sentence."""
    breaks = _breaks(text, start, end)
    left = max((e for s, e in breaks if e <= at), default=start)
    right = min((s for s, e in breaks if s >= at), default=end)
    return left, right


def ranked(order: list[str], a: str | None, b: str | None) -> str | None:
    """Of two statuses, the one earlier in `order` (either when the other is unknown)."""
    if a is None or b is None:
        return a or b
    return min(a, b, key=lambda x: order.index(x) if x in order else len(order))


@dataclass(frozen=True)
class ClaimType:
    """A claim type module, with defaults for what it does not define."""

    name: str
    find: Callable
    build: Callable
    summarise: Callable
    mention: re.Pattern | None = None
    speakers: frozenset = frozenset()
    countries: Callable = lambda attributes: set()
    stronger: Callable = lambda a, b: a or b
    same: Callable = lambda a, b: True
    concerns: Callable = lambda draft, statement, text, origin: False
    contest: Callable = lambda draft, statement, origin: None
    complete: Callable = lambda ctx, drafts: None
    # Events: many reports' claims of one thing. The key says which thing (None: the claim cannot
    # be placed, for want of `event_needs`); claims a window of days apart or more are two events.
    event_key: Callable = lambda attributes: None
    event_needs: str = "what identifies it"
    event_window: int | None = None

    @classmethod
    def of(cls, module: ModuleType) -> "ClaimType":
        optional = {name: getattr(module, attr) for name, attr in (
            ("mention", "MENTION"), ("speakers", "SPEAKERS"), ("countries", "countries"), ("stronger", "stronger"),
            ("same", "same"),
            ("concerns", "concerns"), ("contest", "contest"), ("complete", "complete"), ("event_key", "event_key"),
            ("event_needs", "EVENT_NEEDS"), ("event_window", "EVENT_WINDOW_DAYS")) if hasattr(module, attr)}
        return cls(module.TYPE, module.find, module.build, module.summarise, **optional)
