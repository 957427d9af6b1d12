"""Contested claims: where stored statements take opposite sides.

A removal flight to a country and an agreement with that country are two
faces of one question: will the country receive these people? A claim is
contested when some statement asserts or confirms it (or the flight, or the
arrangement) and another denies or rejects it. Both sides are listed; the
system does not decide who is right.
"""

from __future__ import annotations

from dataclasses import dataclass

from removalwatch.reports.extract.claims import REGISTRY
from removalwatch.store.records import StoredClaim, StoredStatement

SUPPORTS = {"assert", "confirm"}
OPPOSES = {"deny", "reject"}


@dataclass(frozen=True)
class ContestedClaim:
    claim: StoredClaim
    supporting: list[StoredStatement]
    opposing: list[StoredStatement]


def _countries(claim: StoredClaim) -> set[str]:
    return REGISTRY[claim.type].countries(claim.attributes)


def contested_claims(claims: list[StoredClaim]) -> list[ContestedClaim]:
    """Flights and agreements with statements on both sides, across all stored documents."""
    by_country: dict[str, list[StoredClaim]] = {}
    for c in claims:
        for country in _countries(c):
            by_country.setdefault(country, []).append(c)
    result = []
    for claim in claims:
        if claim.type not in ("removal_flight", "agreement"):
            continue
        related = [c for country in _countries(claim) for c in by_country[country]]
        supporting, opposing, seen = [], [], set()
        for c in [claim, *related]:
            for st in c.statements:
                if st.id in seen:
                    continue
                seen.add(st.id)
                if st.stance in OPPOSES:
                    opposing.append(st)
                elif st.stance in SUPPORTS and (c is claim or c.type == claim.type):
                    supporting.append(st)
        # An agreement that its own parties deny is contested by a flight said to be going there.
        if claim.type == "agreement" and opposing and not supporting:
            supporting = [st for c in related if c.type == "removal_flight" for st in c.statements
                          if st.stance in SUPPORTS]
        if supporting and opposing:
            result.append(ContestedClaim(claim, supporting, opposing))
    return result
