"""Money, head counts and dates as news text writes them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "two-hundred": 200, "two hundred": 200,
    "three hundred": 300, "a dozen": 12, "dozen": 12,
}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "€": "EUR", "eur": "EUR",
             "euros": "EUR", "euro": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP"}

MONEY = re.compile(
    r"(?P<pre>US\$|\$|€|£|USD\s?|EUR\s?)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion|thousand|mn|bn|m|b|k)?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>million|billion|thousand)?\s*(?P<post>dollars|euros|pounds|USD|EUR)\b",
    re.I,
)
NUMBER = r"(?:\d[\d,]*|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
# Case matters only in the last alternative: "238 Venezuelans" are people, "two ... nations" are not.
PEOPLE = re.compile(
    r"\b(?:(?P<qual>(?i:more than|over|at least|about|around|nearly|almost|some|up to|as many as|no more than))\s+)?"
    r"(?P<n>(?i:" + NUMBER + r"))\s+(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+|(?:[a-z-]+\s+){1,2})?"
    r"(?P<noun>(?i:people|persons|migrants|immigrants|deportees|detainees|men|women|children|individuals|nationals|citizens|"
    r"passengers|asylum seekers|aliens|foreigners|convicts|criminals)|[A-Z][a-z]+(?:ans|ese|ians|is|ns))\b"
)
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WHEN = re.compile(
    r"\b(?:as early as|as soon as|by|within|in the coming|over the|earlier|later|late|early)?\s*"
    r"(?:(?:this|next|last|coming|past)\s+(?:week(?:end)?|month|year)|days|weeks|"
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?:in\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?|yesterday|today|tomorrow|the weekend)\b"
)


def money(text: str) -> tuple[float, str] | None:
    """The first amount of money in `text`, e.g. ("$6 million") -> (6000000.0, "USD")."""
    m = MONEY.search(text)
    if not m:
        return None
    num = m.group("num") or m.group("num2")
    scale = (m.group("scale") or m.group("scale2") or "").lower()
    unit = (m.group("pre") or m.group("post") or "").strip().lower()
    amount = float(num.replace(",", "")) * _SCALE.get(scale, 1)
    return amount, _CURRENCY.get(unit, "USD")


def number(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def people_count(text: str) -> int | None:
    """A head count such as "238 Venezuelans", "eight men" or "Two-hundred migrants"."""
    for m in PEOPLE.finditer(text):
        n = number(m.group("n"))
        if n is not None and not (1900 <= n <= 2100 and m.group("n").isdigit() and len(m.group("n")) == 4):
            return n
    return None


def when(text: str) -> str | None:
    m = WHEN.search(text)
    return m.group(0).strip() if m else None


def resolve_when(phrase: str | None, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The dates a relative expression covers, counted from the publication date."""
    if not phrase or not published:
        return None
    p = phrase.lower()
    monday = published - dt.timedelta(days=published.weekday())
    if "this week" in p:
        return monday, monday + dt.timedelta(days=6)
    if "next week" in p or "coming week" in p:
        return monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)
    if "last week" in p or "past week" in p:
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    first = published.replace(day=1)
    if "this month" in p:
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if "last month" in p or "past month" in p:
        end = first - dt.timedelta(days=1)
        return end.replace(day=1), end
    if "next month" in p:
        start = (first + dt.timedelta(days=32)).replace(day=1)
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if "yesterday" in p:
        d = published - dt.timedelta(days=1)
        return d, d
    if "today" in p:
        return published, published
    if "tomorrow" in p:
        d = published + dt.timedelta(days=1)
        return d, d
    for name, index in _WEEKDAYS.items():
        if name in p:  # news usage: a bare weekday is the most recent one, or today
            back = (published.weekday() - index) % 7
            d = published - dt.timedelta(days=back)
            return d, d
    for name, month in _MONTHS.items():
        if re.search(rf"\b{name}\b", p):
            year_m = re.search(r"\d{4}", p)
            year = int(year_m.group(0)) if year_m else (published.year if month <= published.month else published.year - 1)
            day_m = re.search(rf"{name}\s+(\d{{1,2}})\b", p)
            if day_m:
                d = dt.date(year, month, int(day_m.group(1)))
                return d, d
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return None
