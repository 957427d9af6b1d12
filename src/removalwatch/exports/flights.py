"""Flight legs as CSV (spreadsheets), GeoJSON (web maps, QGIS) and KML (Google Earth).

The three carry the same fields per leg, so a count made in a spreadsheet and a line drawn on a
map are about the same leg. Text from outside (callsigns, operators, reasons naming them) is
escaped by the writers: the csv module with the formula guard, json, and ElementTree for KML.
KML viewers show names, descriptions and data as HTML (Google Earth runs scripts in its balloons),
so KML text is HTML-escaped first: a viewer shows `<script>` as text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from itertools import groupby, pairwise

from removalwatch.domain import Flight
from removalwatch.exports.records import csv_table

FLIGHT_COLUMNS = (
    "id", "icao24", "registration", "callsign", "operator", "local_day", "first_seen", "last_seen", "time_known",
    "takeoff_airport", "takeoff_time", "takeoff_basis", "takeoff_confidence",
    "landing_airport", "landing_time", "landing_basis", "landing_confidence", "predicted_destinations",
    "origin_country", "destination_country", "role", "removal_score", "third_country", "reasons", "source",
)

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
_FEET = 0.3048
# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _utc(t: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z; a time without a zone is taken as UTC, as the store keeps it."""
    if t is None:
        return None
    t = t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)
    return t.isoformat().replace("+00:00", "Z")


def leg_properties(f: Flight) -> dict:
    """The fields of one leg, as JSON values (reasons and predicted destinations as lists)."""
    return {
        "id": f.id, "icao24": f.icao24, "registration": f.registration, "callsign": f.callsign,
        "operator": f.operator, "local_day": f.local_day.isoformat() if f.local_day else None,
        "first_seen": _utc(f.first_seen), "last_seen": _utc(f.last_seen), "time_known": f.time_known,
        "takeoff_airport": f.takeoff_airport, "takeoff_time": _utc(f.takeoff_time),
        "takeoff_basis": f.takeoff_basis, "takeoff_confidence": f.takeoff_confidence,
        "landing_airport": f.landing_airport, "landing_time": _utc(f.landing_time),
        "landing_basis": f.landing_basis, "landing_confidence": f.landing_confidence,
        "predicted_destinations": [p.model_dump() for p in f.predicted],
        "origin_country": f.origin_country, "destination_country": f.destination_country, "role": f.role,
        "removal_score": f.removal_score, "third_country": f.third_country, "reasons": list(f.reasons),
        "source": f.source,
    }


def _flat(f: Flight) -> dict:
    """The fields as single values: reasons and predicted destinations ("HLLM LY 0.62") joined with "; "."""
    fields = leg_properties(f)
    fields["reasons"] = "; ".join(f.reasons)
    fields["predicted_destinations"] = "; ".join(f"{p.airport} {p.country} {p.score:g}" for p in f.predicted)
    return fields


def flights_csv(flights: Iterable[Flight]) -> str:
    """One line per leg, the columns of `FLIGHT_COLUMNS`."""
    return csv_table(FLIGHT_COLUMNS, map(_flat, flights))


def _geometry(f: Flight) -> dict | None:
    """The track as [lon, lat] (GeoJSON's order). A track that crosses the antimeridian is cut
    there into a MultiLineString (RFC 7946, 3.1.9), or maps draw it across the whole world."""
    points = [[lon, lat] for _, lat, lon, _ in f.track]
    if not points:
        return None
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    lines = [[points[0]]]
    for (lon1, lat1), (lon2, lat2) in pairwise(points):
        if abs(lon2 - lon1) > 180:
            edge = 180.0 if lon1 > 0 else -180.0
            unwrapped = lon2 + 360 if lon1 > 0 else lon2 - 360
            lat = lat1 + (lat2 - lat1) * (edge - lon1) / (unwrapped - lon1)
            lines[-1].append([edge, lat])
            lines.append([[-edge, lat]])
        lines[-1].append([lon2, lat2])
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def flights_geojson(flights: Iterable[Flight]) -> dict:
    """A FeatureCollection, one Feature per leg (`kind` "flight"): its track as a LineString, a
    Point when it has one position, no geometry when it has none (a leg from a flight table)."""
    features = []
    for f in flights:
        feature = {"type": "Feature", "geometry": _geometry(f), "properties": {"kind": "flight", **leg_properties(f)}}
        if f.id is not None:
            feature["id"] = f.id
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _route(f: Flight) -> str:
    landing = f.landing_airport or (f"{f.predicted[0].airport} (predicted)" if f.predicted else "?")
    return f"{f.takeoff_airport or '?'} → {landing}"


def _description(f: Flight) -> str:
    aircraft = ", ".join(x for x in (f.registration, f.icao24, f.operator) if x)
    countries = f"{f.origin_country or '?'} → {f.destination_country or '?'}"
    third = " (third country)" if f.third_country else ""
    lines = [
        f"Aircraft: {aircraft}",
        f"Route: {_route(f)} ({countries}); "
        + f"takeoff {f.takeoff_basis or 'unknown'}, landing {f.landing_basis or 'unknown'}",
        f"Seen: {_utc(f.first_seen)} to {_utc(f.last_seen)}" + ("" if f.time_known else " (date only)"),
        f"Role: {f.role}; removal score {f.removal_score:.2f}{third}",
        f"Reasons: {'; '.join(f.reasons) or 'none'}",
        f"Source: {f.source}",
    ]
    return "\n".join(lines)


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    """A KML element holding `text` as a viewer's HTML shows it, without what XML cannot hold."""
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = _NOT_XML.sub("\ufffd", html.escape(text, quote=False))
    return element


def _kml_lines(track: list) -> list[tuple[bool, list]]:
    """The track as runs of positions with a height (in the air) and without (surface reports on
    the ground); a ground run takes in the airborne positions either side, so the line is unbroken."""
    runs = [(airborne, list(points)) for airborne, points in groupby(track, key=lambda p: p[3] is not None)]
    lines = []
    for i, (airborne, points) in enumerate(runs):
        if not airborne:
            points = (runs[i - 1][1][-1:] if i else []) + points + (runs[i + 1][1][:1] if i + 1 < len(runs) else [])
        if len(points) > 1 or len(runs) == 1:
            lines.append((airborne, points))
    return lines


def _kml_geometry(placemark: ET.Element, f: Flight) -> None:
    """Heights are the transponder's pressure altitude in metres, so only near the true height;
    positions without one are drawn on the ground, never at a made-up height."""
    lines = _kml_lines(f.track)
    parent = _add(placemark, "MultiGeometry") if len(lines) > 1 else placemark
    for airborne, points in lines:
        geometry = _add(parent, "Point" if len(points) == 1 else "LineString")
        _add(geometry, "altitudeMode", "absolute" if airborne else "clampToGround")
        _add(geometry, "coordinates", " ".join(f"{lon},{lat},{alt * _FEET:.0f}" if airborne else f"{lon},{lat}"
                                               for _, lat, lon, alt in points))


def flights_kml(flights: Iterable[Flight]) -> str:
    """A KML 2.2 document (UTF-8), one Placemark per leg: name (callsign or address, and route), a
    plain text description, its time span, the CSV's fields as ExtendedData and the track."""
    root = ET.Element("kml", xmlns=KML_NAMESPACE)  # unprefixed names: every element is KML's
    document = _add(root, "Document")
    _add(document, "name", "RemovalWatch flights")
    for f in flights:
        placemark = _add(document, "Placemark")
        _add(placemark, "name", f"{f.callsign or f.icao24} {_route(f)}")
        _add(placemark, "description", _description(f))
        span = _add(placemark, "TimeSpan")
        _add(span, "begin", _utc(f.first_seen))
        _add(span, "end", _utc(f.last_seen))
        extended = _add(placemark, "ExtendedData")
        for name, value in _flat(f).items():
            data = _add(extended, "Data")
            data.set("name", name)
            _add(data, "value", "" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
        _kml_geometry(placemark, f)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
