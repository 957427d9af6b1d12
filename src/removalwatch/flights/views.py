"""Missions, legs and sightings as lines of text for a terminal of 80 columns (Rich markup).

An airport code carries a mark for how it is known: none when observed or reported, `~`
extrapolated from a climb or descent, `*` inferred from a neighbouring leg, `?` predicted from
the course. The legend is printed with every list.
"""

from __future__ import annotations

from rich.markup import escape

from removalwatch.domain import Flight, Mission, Sighting

LEGEND = "airports: KAEX observed or reported · KAEX~ extrapolated · KAEX* inferred · KAEX? predicted"
_MARK = {"extrapolated": "~", "inferred": "*", "predicted": "?"}


def marked(airport: str | None, basis: str | None) -> str:
    return f"{airport}{_MARK.get(basis or '', '')}" if airport else "????"


def _when(leg: Flight) -> str:
    start = leg.takeoff_time or leg.first_seen
    return f"{start:%Y-%m-%d %H:%M}Z" if leg.time_known else f"{leg.local_day or start.date()} (date only)"


def _landing(leg: Flight) -> str:
    if leg.landing_airport:
        return marked(leg.landing_airport, leg.landing_basis)
    if leg.predicted:
        return marked(leg.predicted[0].airport, "predicted")
    return "????"


def leg_line(leg: Flight) -> str:
    """One line per leg: when, route, callsign, role."""
    route = f"{marked(leg.takeoff_airport, leg.takeoff_basis)} → {_landing(leg)}"
    third = " [bold red]third country[/]" if leg.third_country else ""
    return f"{_when(leg)}  {route:<16} {escape(leg.callsign or ''):<9} {leg.role}{third}"


def _aircraft(registration: str | None, icao24: str, operator: str | None) -> str:
    who = registration or "(no registration)"
    return escape(f"{who} ({icao24 or 'no address'})" + (f" {operator}" if operator else ""))


def mission_route(m: Mission) -> str:
    parts = [f"{m.departure_airport or '????'}" + (" (staging)" if m.from_staging_airport else "")]
    for stop in m.stops:
        label = marked(stop.airport, stop.basis if stop.basis != "observed" else None)
        parts.append(f"{label} {stop.country or '?'}" + (" (tech. stop)" if stop.kind == "technical stop" else ""))
    if m.returned_to:
        parts.append(f"{m.returned_to} (back)")
    return " → ".join(parts)


def mission_lines(m: Mission, *, gaps: bool = True) -> list[str]:
    day = m.local_day or m.start.date()
    head = {"removal pattern": "mission", "shuttle": "shuttle trip", "charter": "charter",
            "started abroad": "legs abroad"}[m.kind]
    lines = [f"[bold]{head} {day}[/bold]  {_aircraft(m.registration, m.icao24, m.operator)}",
             f"  {escape(mission_route(m))}"]
    if m.candidate:
        verdict = f"  [bold]removal candidate[/bold], score {m.removal_score:.2f}"
        if m.third_country:
            verdict += "  [bold red]THIRD COUNTRY[/]"
        lines.append(verdict)
    lines += [f"  [red]{escape(r)}[/red]" for r in m.third_country_reasons]
    lines.append(f"  {escape(m.status)}")
    for stop in m.stops:
        lines.append(f"  {stop.kind} {stop.airport or '?'}: {escape(stop.why)}")
    lines += [f"    {leg_line(leg)}" for leg in m.legs]
    lines.append("  why: " + escape("; ".join(m.reasons) or "no reason to watch it"))
    if gaps:
        for leg in m.legs:
            lines += [f"  gap: {escape(g.summary)}" for g in leg.gaps]
    return lines


def leg_lines(leg: Flight) -> list[str]:
    """A leg outside any mission (domestic, positioning, unknown)."""
    lines = [f"[bold]leg[/bold]  {_aircraft(leg.registration, leg.icao24, leg.operator)}", f"    {leg_line(leg)}",
             "  " + escape("; ".join(leg.reasons))]
    for evidence in (leg.takeoff_evidence, leg.landing_evidence):
        if evidence:
            lines.append(f"  {escape(evidence)}")
    lines += [f"  gap: {escape(g.summary)}" for g in leg.gaps]
    return lines


def sighting_line(s: Sighting) -> str:
    where = (f"on the ground at {s.airport}" if s.on_ground and s.airport else
             f"at {s.airport}" if s.airport else f"at {s.lat:.2f}, {s.lon:.2f}")
    if not s.on_ground and s.altitude_ft is not None:
        where += f", {s.altitude_ft:,.0f} ft"
    span = f"{s.first_seen:%Y-%m-%d %H:%M}Z" + (f"–{s.last_seen:%H:%M}Z" if s.last_seen != s.first_seen else "")
    return escape(f"{s.registration or s.icao24} {where}, {span} ({s.positions} positions)")
