"""Country mentions in text: ISO 3166 names from pycountry plus the gazetteer's informal names."""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from importlib import resources

import pycountry


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:  # "Bolivia, Plurinational State of" is no running-text name
                names[value] = country.alpha_2
    with resources.files("removalwatch.data").joinpath("gazetteer", "country_aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["alias"]] = row["country"]
    return names


@functools.lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names = sorted(_country_names(), key=len, reverse=True)  # longest first: "South Sudan" before "Sudan"
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def countries_mentioned(text: str) -> Counter[str]:
    """ISO 3166-1 alpha-2 codes of the countries named in `text`, with how often."""
    names = _country_names()
    return Counter(names[m.group(0)] for m in _country_pattern().finditer(text))
