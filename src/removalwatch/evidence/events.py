"""Events: the one thing many reports speak of.

Ten reports of the planned Libya flight are ten claims and one event. A claim joins the event of
its type with the same key (a removal's destination, an agreement's parties, a designated group, a
government seeking partners, a named court and what it did) and, for types that happen on a day
(removals, court actions), a day within the type's window of the event's days. A claim without a
key stays on its own, and says what it lacks.

An event's status is read from the statements about its claims, never decided:

    reported → confirmed by a party → denied → contested

"contested" means statements on both sides; both are shown, the system does not pick one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from removalwatch.reports.extract.claims import REGISTRY

SUPPORTS = frozenset({"assert", "confirm"})
OPPOSES = frozenset({"deny", "reject"})
STATUSES = ("reported", "confirmed by a party", "denied", "contested")


@dataclass(frozen=True)
class Identity:
    """Where a claim belongs: its event's type and key, the countries it concerns, its day."""

    type: str
    key: str | None
    countries: frozenset[str]
    day: dt.date | None
    unresolved: str | None = None  # why the claim is in no event

    @property
    def window(self) -> dt.timedelta | None:
        days = REGISTRY[self.type].event_window
        return None if days is None else dt.timedelta(days=days)


def identity(claim_type: str, attributes: dict, published: dt.date | None) -> Identity:
    kind = REGISTRY[claim_type]
    key = kind.event_key(attributes)
    countries = frozenset(kind.countries(attributes))
    dates = attributes.get("when_dates")
    day = dt.date.fromisoformat(str(dates[0])) if dates else published
    if key is None:
        return Identity(claim_type, None, countries, day, f"names no {kind.event_needs}")
    if kind.event_window is not None and day is None:
        return Identity(claim_type, None, countries, None, "has no date and its report none either")
    return Identity(claim_type, key, countries, day)


SPAN_WINDOWS = 4  # an event lasts at most four windows: daily reports must not chain a year into one flight


def within(ident: Identity, first: dt.date | None, last: dt.date | None) -> bool:
    """Whether a claim's day falls in an event's days, widened by the type's window, without
    stretching the event beyond its longest span."""
    window = ident.window
    if window is None or first is None or last is None or ident.day is None:
        return True
    return first - window <= ident.day <= last + window and \
        max(last, ident.day) - min(first, ident.day) <= SPAN_WINDOWS * window


def event_status(supporting: int, opposing: int, party_confirmed: bool) -> str:
    if supporting and opposing:
        return "contested"
    if opposing:
        return "denied"
    if party_confirmed:
        return "confirmed by a party"
    return "reported"


def merge_attributes(claim_type: str, current: dict, new: dict) -> dict:
    """An event's attributes: the strongest status any claim gives, and for every other field the
    first value a claim gave (later reports do not overwrite earlier ones silently: the claims keep
    their own values)."""
    merged = dict(current)
    for name, value in new.items():
        if name == "status":
            merged[name] = REGISTRY[claim_type].stronger(merged.get(name), value)
        elif merged.get(name) in (None, [], "") and value not in (None, [], ""):
            merged[name] = value
    return merged
