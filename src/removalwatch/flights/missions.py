"""The legs of each aircraft → missions: where it left the US, its technical stops, the
destinations where people were left, and the return. Pure: legs in, legs and missions out.

A mission starts with a leg that leaves the US and takes every following leg of the aircraft
until one lands in the US again, or until the aircraft stays on the ground longer than
`max_ground_hours`. The stop farthest from the departure airport is the turnaround: legs up to
it fly out (outbound, onward), legs after it fly back (return). A stop on the way is a technical
stop when the aircraft is on the ground briefly and goes on farther, at a known refuelling
airport or in a country that is not a removal destination; every other stop is a destination.

Legs outside missions are domestic (US to US), positioning (a domestic leg to the airport a
mission then leaves from), or abroad (a mission whose start from the US was not seen). Two kinds
of mission are not removal patterns, and are counted apart: a shuttle, whose aircraft flies round
trip after round trip from one US airport (scheduled and tourist charters fly that way, removal
missions do not), and a charter, which leaves from an airport that is not a staging airport for
a country that is not known to take third-country deportees. Only removal-pattern missions can
be removal candidates (classify.py), and only their destinations can be third countries.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources

from removalwatch.domain import REMOVAL_CANDIDATE_SCORE, Flight, Mission, Stop
from removalwatch.flights import airports as ap
from removalwatch.flights import classify, gaps
from removalwatch.flights.collector import collector_paused
from removalwatch.flights.ends import label
from removalwatch.flights.watchlist import Watchlist

HOUR = 3600.0


@dataclass(frozen=True)
class MissionRules:
    max_ground_hours: float = 48.0       # longer on the ground ends a mission
    technical_stop_hours: float = 3.0    # a stop this short, going on farther, may be a technical stop
    positioning_hours: float = 48.0      # a domestic leg this close before a mission is its positioning leg
    shuttle_hours: float = 12.0          # round trips from one airport this close together are a shuttle
    shuttle_route_share: float = 0.5     # a route whose trips are mostly shuttles is a shuttle route...
    shuttle_route_trips: int = 5         # ...when it has at least this many trips
    extra_third: frozenset[str] = field(default_factory=frozenset)  # the user's third countries


@functools.lru_cache(maxsize=1)
def technical_stop_airports() -> dict[str, str]:
    with resources.files("removalwatch.data").joinpath("flights", "technical_stops.csv").open(encoding="utf-8") as f:
        return {r["icao"]: r["name"] for r in csv.DictReader(f)}


def _start(leg: Flight) -> dt.datetime:
    return leg.takeoff_time or leg.first_seen


def _end(leg: Flight) -> dt.datetime:
    return leg.landing_time or leg.last_seen


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / HOUR


def _aircraft(leg: Flight) -> str:
    return leg.registration or leg.icao24 or f"{leg.callsign or '?'}|{leg.leg_key}"


def assemble(legs: list[Flight], watchlist: Watchlist, rules: MissionRules = MissionRules()
             ) -> tuple[list[Flight], list[Mission]]:
    """Legs of one source (any number of aircraft) → the same legs with their ends inferred from
    neighbouring legs, gaps after them, roles, scores and reasons; and the missions."""
    with collector_paused():
        return _assemble(legs, watchlist, rules)


def _assemble(legs: list[Flight], watchlist: Watchlist, rules: MissionRules) -> tuple[list[Flight], list[Mission]]:
    by_aircraft: dict[str, list[Flight]] = defaultdict(list)
    for leg in legs:
        by_aircraft[_aircraft(leg)].append(leg)
    out_legs: list[Flight] = []
    missions: list[Mission] = []
    for aircraft_legs in by_aircraft.values():
        ordered = _infer_ends(_order(aircraft_legs))
        found = _chain(ordered, rules)
        _mark_shuttles(found, rules)
        missions += found
        out_legs += _roles_outside_missions(ordered, found, rules)
    _mark_shuttle_routes(missions, rules)
    missions = [_mark_charter(m, rules) for m in missions]
    scored = [_score(m, watchlist, rules) for m in missions]
    return out_legs + [leg for m in scored for leg in m.legs], scored


# --- order and neighbours ----------------------------------------------------------------------------

def _order(legs: list[Flight]) -> list[Flight]:
    """Legs in time order. Table rows that give only the date go where the airports connect: after
    the leg that landed where they take off, else before the leg that takes off where they land."""
    known = sorted((leg for leg in legs if leg.time_known), key=_start)
    for leg in sorted((leg for leg in legs if not leg.time_known), key=lambda f: (f.local_day, f.leg_key)):
        day = [i for i, k in enumerate(known) if k.local_day == leg.local_day]
        at = next((i + 1 for i in day if leg.takeoff_airport and known[i].landing_airport == leg.takeoff_airport), None)
        if at is None:
            at = next((i for i in day if leg.landing_airport and known[i].takeoff_airport == leg.landing_airport), None)
        if at is None:
            later = [i for i, k in enumerate(known) if (k.local_day or dt.date.min) > (leg.local_day or dt.date.min)]
            at = later[0] if later else len(known)
        known.insert(at, leg)
    return known


def _infer_ends(legs: list[Flight]) -> list[Flight]:
    """Fill an unknown landing from the next leg's takeoff and an unknown takeoff from the previous
    leg's landing, as "inferred", and report the gap after every leg whose landing was not seen."""
    legs = list(legs)
    for i in range(len(legs) - 1):
        p, n = legs[i], legs[i + 1]
        hours = _hours(_end(p), _start(n))
        if p.landing_basis in (None, "predicted") and n.takeoff_airport and n.takeoff_basis != "inferred":
            legs[i] = p = _inferred_landing(p, n, hours)
        if n.takeoff_airport is None and p.landing_airport:
            legs[i + 1] = _inferred_takeoff(n, p, hours)
    for i, leg in enumerate(legs):
        if leg.last_fix is not None and leg.landing_basis != "observed":
            following = legs[i + 1].first_fix if i + 1 < len(legs) else None
            gap = gaps.after_last_fix(leg.last_fix, following)
            legs[i] = leg.model_copy(update={"gaps": [g for g in leg.gaps if g.kind != "after last fix"] + [gap]})
    return legs


def _fits(p: Flight, airport: str) -> bool:
    """Could the aircraft have come down at `airport`, given how coverage of leg `p` ended? Inside the
    reach of a descent under way; anywhere when it was not descending (the gap then bounds nothing)."""
    if p.last_fix is None:
        return True
    radius = gaps.descent_radius_km(p.last_fix)
    info = ap.lookup(airport)
    if radius is None or info is None:
        return info is not None
    return float(ap.distance_km(p.last_fix.lat, p.last_fix.lon, info["lat"], info["lon"])) <= radius


def _inferred_landing(p: Flight, n: Flight, hours: float) -> Flight:
    airport = n.takeoff_airport
    if not _fits(p, airport):
        return p
    predicted_first = bool(p.predicted) and p.predicted[0].airport == airport
    confidence = min(n.takeoff_confidence or 0.5, 0.6 if hours <= 24 else 0.4)
    if p.last_fix is not None and not predicted_first:
        confidence *= 0.8
    how = "its course pointed there; " if predicted_first else ""
    evidence = (f"landing at {airport} inferred: {how}the aircraft's next leg took off there {hours:.1f} h later "
                f"({label(confidence)} confidence)")
    return p.model_copy(update={"landing_airport": airport, "landing_basis": "inferred",
                                "landing_confidence": round(confidence, 3), "landing_evidence": evidence,
                                "destination_country": ap.country(airport)})


def _inferred_takeoff(n: Flight, p: Flight, hours: float) -> Flight:
    airport = p.landing_airport
    confidence = min(p.landing_confidence or 0.5, 0.6 if hours <= 24 else 0.4)
    evidence = (f"takeoff at {airport} inferred: the aircraft's previous leg landed there {hours:.1f} h earlier "
                f"({label(confidence)} confidence)")
    update = {"takeoff_airport": airport, "takeoff_basis": "inferred", "takeoff_confidence": round(confidence, 3),
              "takeoff_evidence": evidence, "origin_country": ap.country(airport)}
    if n.local_day is None and n.takeoff_time:
        update["local_day"] = ap.local_day(airport, n.takeoff_time)
    return n.model_copy(update=update)


# --- missions -------------------------------------------------------------------------------------

def _chain(legs: list[Flight], rules: MissionRules) -> list[Mission]:
    missions: list[list[Flight]] = []
    current: list[Flight] | None = None
    for leg in legs:
        dep, arr = leg.origin_country, leg.destination_country
        if current and (dep == "US" or _hours(_end(current[-1]), _start(leg)) > rules.max_ground_hours):
            current = None
        if current is None:
            if dep == "US" and arr and arr != "US":
                current = [leg]
                missions.append(current)
            elif dep and dep != "US":
                current = [leg]
                missions.append(current)
            continue
        current.append(leg)
        if arr == "US":
            current = None
    return [_mission(m, rules) for m in missions]


def _arrival_km(start_leg: Flight, leg: Flight) -> float:
    a = ap.lookup(start_leg.takeoff_airport) if start_leg.takeoff_airport else None
    b = ap.lookup(leg.landing_airport) if leg.landing_airport else None
    if b is None and leg.predicted:
        b = ap.lookup(leg.predicted[0].airport)
    if a is None or b is None:
        return 0.0
    return float(ap.distance_km(a["lat"], a["lon"], b["lat"], b["lon"]))


def _stop(leg: Flight, kind: str, departed: dt.datetime | None, why: str) -> Stop:
    airport, basis = leg.landing_airport, leg.landing_basis or "predicted"
    if airport is None and leg.predicted:
        airport = leg.predicted[0].airport
    if basis == "predicted":
        reach = next((g.descent_reach for g in leg.gaps if g.kind == "after last fix" and g.descent_reach), None)
        why += "; " + (leg.landing_evidence or "predicted from the course")
        if reach and reach.countries:
            why += f"; a descent from the last fix can end in {', '.join(reach.countries)}"
    return Stop(airport=airport, country=leg.destination_country, kind=kind, basis=basis,
                arrived=leg.landing_time, departed=departed, why=why)


def _mission(legs: list[Flight], rules: MissionRules) -> Mission:
    first = legs[0]
    started_abroad = first.origin_country != "US"
    back = legs[-1].destination_country == "US"
    outward = legs[:-1] if back else legs
    distances = [_arrival_km(first, leg) for leg in outward]
    turn = max(range(len(outward)), key=lambda i: distances[i]) if outward else -1
    refuel = technical_stop_airports()
    destinations_usual = classify.removal_destinations() | rules.extra_third
    stops: list[Stop] = []
    for i, leg in enumerate(outward):
        following = legs[i + 1] if i + 1 < len(legs) else None
        departed = _start(following) if following else None
        ground = _hours(_end(leg), departed) if departed else None
        if i == turn or following is None:
            why = "the farthest point of the mission" if i == turn else "last leg; no later leg observed"
            stops.append(_stop(leg, "destination", departed, why))
            continue
        farther = _arrival_km(first, following) > distances[i] if i < turn else True
        short = ground is not None and ground <= rules.technical_stop_hours
        known = leg.landing_airport in refuel
        if short and farther and (known or leg.destination_country not in destinations_usual):
            why = (f"{ground:.1f} h on the ground, then on {'farther' if i < turn else 'home'}"
                   + (f"; {refuel[leg.landing_airport]} is a known refuelling stop" if known else
                      f"; {leg.destination_country} is not a removal destination"))
            stops.append(_stop(leg, "technical stop", departed, why))
        else:
            why = f"{ground:.1f} h on the ground" if ground is not None else "time on the ground unknown"
            stops.append(_stop(leg, "destination", departed, why))
    roles = ["return" if i > turn else "abroad" if started_abroad else "outbound" if i == 0 else "onward"
             for i in range(len(legs))]
    status = _status(legs, stops, back)
    key = f"m:{first.leg_key}"
    tagged = [leg.model_copy(update={"role": role, "mission": key}) for leg, role in zip(legs, roles)]
    return Mission(
        key=key, icao24=first.icao24, registration=first.registration, operator=first.operator,
        callsigns=list(dict.fromkeys(leg.callsign for leg in legs if leg.callsign)),
        start=_start(first), end=_end(legs[-1]), local_day=first.local_day,
        departure_airport=first.takeoff_airport,
        from_staging_airport=bool(first.takeoff_airport in ap.staging_airports()),
        kind="started abroad" if started_abroad else "removal pattern", stops=stops,
        returned_to=legs[-1].landing_airport if back else None, status=status, legs=tagged, source=first.source)


def _status(legs: list[Flight], stops: list[Stop], back: bool) -> str:
    last = stops[-1] if stops else None
    parts = []
    if last is not None and last.basis in ("predicted", "extrapolated", "inferred"):
        parts.append(f"destination {last.basis} ({last.airport or '?'}, {last.country or '?'}), landing not observed")
    parts.append(f"returned to {legs[-1].landing_airport}" if back else "return not observed")
    return "; ".join(parts)


def _mark_shuttles(missions: list[Mission], rules: MissionRules) -> None:
    """Back-to-back round trips from one US airport: each such trip is a shuttle."""
    trips = [m for m in missions if m.kind == "removal pattern" and m.returned_to]
    for a, b in zip(trips, trips[1:]):
        if a.returned_to == a.departure_airport == b.departure_airport and \
                _hours(a.end, b.start) <= rules.shuttle_hours:
            for m in (a, b):
                _set_kind(missions, m, f"round trips from {m.departure_airport} flown back to back, "
                                       f"as a shuttle service flies (not a removal pattern)")


def _set_kind(missions: list[Mission], m: Mission, reason: str) -> None:
    i = next(i for i, x in enumerate(missions) if x.key == m.key)
    if missions[i].kind != "shuttle":
        missions[i] = missions[i].model_copy(update={"kind": "shuttle", "reasons": [reason]})


def _route(m: Mission) -> tuple[str | None, str | None]:
    first_stop = m.stops[0].airport if m.stops else None
    return m.departure_airport, first_stop


def _mark_shuttle_routes(missions: list[Mission], rules: MissionRules) -> None:
    """A route (departure airport, first stop) flown mostly as a shuttle is a shuttle route: its other
    trips, including rows whose aircraft is unknown, are counted with the shuttles."""
    by_route: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(missions):
        if m.kind in ("removal pattern", "shuttle") and all(_route(m)):
            by_route[_route(m)].append(i)
    for route, idx in by_route.items():
        shuttles = sum(missions[i].kind == "shuttle" for i in idx)
        if len(idx) >= rules.shuttle_route_trips and shuttles / len(idx) >= rules.shuttle_route_share:
            for i in idx:
                if missions[i].kind != "shuttle":
                    missions[i] = missions[i].model_copy(update={"kind": "shuttle", "reasons": [
                        f"{route[0]}–{route[1]} is flown as a shuttle service: {shuttles} of its {len(idx)} "
                        f"trips were back-to-back round trips"]})


def _mark_charter(m: Mission, rules: MissionRules) -> Mission:
    """A removal pattern leaves from a staging airport, or goes to a known third country."""
    if m.kind != "removal pattern" or m.from_staging_airport:
        return m
    third = classify.destination_groups()["third"] | rules.extra_third
    if any(s.country in third for s in m.destinations):
        return m
    return m.model_copy(update={"kind": "charter", "reasons": [
        f"left from {m.departure_airport or 'an unknown airport'}, not a staging airport, for "
        f"{', '.join(dict.fromkeys(s.country or '?' for s in m.destinations)) or 'an unknown destination'}, "
        f"not a known third country: counted as another charter, not a removal"]})


def _roles_outside_missions(legs: list[Flight], missions: list[Mission], rules: MissionRules) -> list[Flight]:
    """Domestic legs: positioning when a mission leaves from where they land soon after."""
    in_mission = {leg.leg_key for m in missions for leg in m.legs}
    starts = sorted((m.start, m.departure_airport, m.key) for m in missions if m.kind != "started abroad")
    out = []
    for leg in legs:
        if leg.leg_key in in_mission:
            continue
        if leg.origin_country == "US" and leg.destination_country == "US":
            after = [(s, a, k) for s, a, k in starts if s >= _end(leg)]
            nxt = after[0] if after else None
            if nxt and nxt[1] == leg.landing_airport and _hours(_end(leg), nxt[0]) <= rules.positioning_hours:
                reason = (f"positioning leg to {leg.landing_airport}: a mission leaves from there "
                          f"{_hours(_end(leg), nxt[0]):.1f} h later (not a removal)")
                out.append(leg.model_copy(update={"role": "positioning", "reasons": [reason], "removal_score": 0.0,
                                                  "third_country": False}))
            else:
                out.append(leg.model_copy(update={"role": "domestic", "reasons": ["domestic leg (not a removal)"],
                                                  "removal_score": 0.0, "third_country": False}))
        else:
            out.append(leg.model_copy(update={"role": "unknown", "removal_score": 0.0, "third_country": False,
                                              "reasons": ["neither end known to be in the US"
                                                          if leg.origin_country or leg.destination_country
                                                          else "takeoff and landing not known"]}))
    return out


# --- scores and third countries ---------------------------------------------------------------------

def _merge_callsigns(reasons: list[str]) -> list[str]:
    """"callsign EAL8270 (Eastern Airlines)", "callsign EAL8271 (...)" → "callsigns EAL8270, EAL8271 (...)"."""
    signs: dict[str, list[str]] = {}
    out: list[str | tuple[str]] = []
    for r in reasons:
        m = re.fullmatch(r"callsign (\S+) \((.+)\)", r)
        if m is None:
            out.append(r)
            continue
        if m.group(2) not in signs:
            signs[m.group(2)] = []
            out.append((m.group(2),))
        signs[m.group(2)].append(m.group(1))
    return [r if isinstance(r, str) else
            f"callsign{'s' if len(signs[r[0]]) > 1 else ''} {', '.join(signs[r[0]])} ({r[0]})" for r in out]


def _score(m: Mission, watchlist: Watchlist, rules: MissionRules) -> Mission:
    identity: list[str] = []
    for leg in m.legs:
        identity += watchlist.match(leg.icao24, leg.callsign, (leg.local_day or _start(leg).date()))
        if leg.source.startswith("table:"):
            identity.append(f"listed in {leg.source[6:]} flight tables of removal contractors")
    identity = _merge_callsigns(list(dict.fromkeys(identity)))
    kinds = [classify.kind_of(r) for r in identity]
    reasons = list(identity)
    if m.from_staging_airport:
        kinds.append("staging airport")
        reasons.append(f"departed staging airport {m.departure_airport} ({ap.staging_airports()[m.departure_airport]})")
    leaves = m.kind != "started abroad" and any(s.country and s.country != "US" for s in m.stops)
    if leaves:
        kinds.append("leaves the US")
        reasons.append("from the US to " + ", ".join(dict.fromkeys(s.country for s in m.destinations if s.country)))
    score = classify.score(kinds) if kinds else 0.0
    candidate = (m.kind == "removal pattern" and leaves and bool(identity) and score >= REMOVAL_CANDIDATE_SCORE)
    if m.kind in ("shuttle", "charter"):
        reasons = m.reasons + identity
    elif m.kind == "started abroad":
        reasons = reasons + ["the aircraft's departure from the US was not observed"]
    third_reasons: list[str] = []
    if candidate:
        for stop in m.destinations:
            for r in classify.third_country_reasons(stop.country, rules.extra_third):
                third_reasons.append(f"destination {stop.airport or '?'} ({stop.basis}): {r}")
    stops = ", ".join(f"{s.kind} at {s.airport}" for s in m.technical_stops)
    legs = []
    flagged = {s.airport for s in m.destinations} if third_reasons else set()
    for leg in m.legs:
        if m.kind in ("shuttle", "charter"):
            update = {"role": m.kind, "removal_score": 0.0, "reasons": reasons, "third_country": False}
        elif leg.role == "return":
            update = {"removal_score": 0.0, "reasons": [f"return leg of the mission from {m.departure_airport}"],
                      "third_country": False}
        else:
            arrives = leg.landing_airport or (leg.predicted[0].airport if leg.predicted else None)
            is_stop = any(s.kind == "technical stop" and s.airport == leg.landing_airport for s in m.stops)
            leg_reasons = reasons + ([f"lands at a technical stop ({stops}), not the destination"] if is_stop else [])
            update = {"removal_score": score if candidate else 0.0, "reasons": leg_reasons,
                      "third_country": bool(candidate and arrives in flagged and not is_stop)}
        legs.append(leg.model_copy(update=update))
    return m.model_copy(update={"candidate": candidate,
                                "removal_score": score if m.kind not in ("shuttle", "charter") else 0.0,
                                "reasons": reasons, "third_country": bool(third_reasons),
                                "third_country_reasons": third_reasons, "legs": legs})
