"""Exports as their users open them: CSV in a spreadsheet, GeoJSON on a web map, KML in Google Earth.

The flights and claims are the demo's, read back from its store; hostile text is put into copies."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest

from removalwatch.core import RemovalWatch
from removalwatch.demo import run_demo
from removalwatch.domain import Flight
from removalwatch.exports import claims_csv, flights_csv, flights_geojson, flights_kml, statements_csv

KML = "{http://www.opengis.net/kml/2.2}"
HOSTILE = '<script>&"'


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    run_demo(home)
    with RemovalWatch(home=home) as rw:
        return rw.flights(), rw.claims()


@pytest.fixture(scope="module")
def flights(demo) -> list[Flight]:
    return demo[0]


@pytest.fixture(scope="module")
def libya(flights) -> Flight:
    [leg] = [f for f in flights if f.callsign == "RCH4451"]
    return leg


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_flights_csv_has_a_line_per_leg_with_the_c17_to_libya_and_its_score(flights, libya):
    rows = read_csv(flights_csv(flights))
    assert len(rows) == len(flights)
    [row] = [r for r in rows if r["callsign"] == "RCH4451"]
    assert (row["takeoff_airport"], row["landing_airport"], row["destination_country"]) == ("KSKF", "HLMS", "LY")
    assert float(row["removal_score"]) == libya.removal_score >= 0.5
    assert row["third_country"] == "true" and row["landing_basis"] == "observed" and row["role"] == "outbound"
    assert row["reasons"].split("; ") == libya.reasons
    assert dt.datetime.fromisoformat(row["first_seen"]) == libya.first_seen and row["first_seen"].endswith("Z")


@pytest.mark.parametrize("text", ['=HYPERLINK("https://example.org/x","click")', "+1+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_shown_as_text(libya, text):
    leg = libya.model_copy(update={"callsign": text, "reasons": [text, "plain"]})
    [row] = read_csv(flights_csv([leg]))
    assert row["callsign"] == "'" + text and row["reasons"] == f"'{text}; plain"
    assert row["removal_score"] == str(libya.removal_score)  # numbers stay numbers


def test_geojson_draws_each_leg_as_its_track_in_lon_lat_order(flights, libya):
    collection = json.loads(json.dumps(flights_geojson(flights)))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(flights)
    [feature] = [f for f in collection["features"] if f["properties"]["callsign"] == "RCH4451"]
    line = feature["geometry"]
    assert line["type"] == "LineString" and len(line["coordinates"]) == len(libya.track)
    lon, lat = line["coordinates"][-1]
    assert 9 < lon < 25 and 30 < lat < 34  # Mitiga, Tripoli: east of Greenwich, north of the equator
    assert line["coordinates"][0] == [libya.track[0][2], libya.track[0][1]]
    props = feature["properties"]
    assert props["kind"] == "flight" and props["reasons"] == libya.reasons and feature["id"] == libya.id
    assert (props["landing_airport"], props["removal_score"], props["third_country"]) == ("HLMS", libya.removal_score,
                                                                                           True)


def test_a_leg_with_one_position_is_a_point_and_one_without_positions_has_no_geometry(libya):
    one = libya.model_copy(update={"track": libya.track[:1]})
    none = libya.model_copy(update={"track": []})
    point, empty = flights_geojson([one, none])["features"]
    assert point["geometry"] == {"type": "Point", "coordinates": [libya.track[0][2], libya.track[0][1]]}
    assert empty["geometry"] is None and empty["properties"]["landing_airport"] == "HLMS"


def test_a_track_over_the_antimeridian_is_cut_there_not_drawn_around_the_world(libya):
    pacific = libya.model_copy(update={"track": [(0.0, 13.0, 178.0, 35000.0), (60.0, 14.0, 179.0, 35000.0),
                                                 (120.0, 15.0, -179.0, 35000.0)]})
    geometry = flights_geojson([pacific])["features"][0]["geometry"]
    assert geometry == {"type": "MultiLineString", "coordinates": [
        [[178.0, 13.0], [179.0, 14.0], [180.0, 14.5]], [[-180.0, 14.5], [-179.0, 15.0]]]}


def placemarks(kml: str) -> list[ET.Element]:
    root = ET.fromstring(kml)
    assert root.tag == f"{KML}kml"
    return root.findall(f"{KML}Document/{KML}Placemark")


def lines(mark: ET.Element) -> list[tuple[str, list[list[float]]]]:
    """A placemark's lines: altitude mode and coordinates, in document order."""
    return [(line.findtext(f"{KML}altitudeMode"),
             [list(map(float, c.split(","))) for c in line.findtext(f"{KML}coordinates").split()])
            for line in mark.iter(f"{KML}LineString")]


def test_kml_has_a_placemark_per_leg_with_its_track_in_the_air_and_on_the_ground(flights, libya):
    marks = placemarks(flights_kml(flights))
    assert len(marks) == len(flights)
    for mark, leg in zip(marks, flights):
        drawn = [c[:2] for _, coordinates in lines(mark) for c in coordinates]
        unbroken = [c for i, c in enumerate(drawn) if i == 0 or c != drawn[i - 1]]  # a line starts where one ended
        assert unbroken == [[lon, lat] for _, lat, lon, _ in leg.track]
    [mark] = [m for m in marks if m.findtext(f"{KML}name") == "RCH4451 KSKF → HLMS"]
    (air, flown), (ground, taxied) = lines(mark)  # the demo's legs end in surface reports, without a height
    assert (air, ground) == ("absolute", "clampToGround")
    _, lat, lon, feet = libya.track[0]
    assert flown[0] == [lon, lat, round(feet * 0.3048)] and len(flown) + len(taxied) - 1 == len(libya.track)
    assert taxied[0] == flown[-1][:2] and all(len(c) == 2 for c in taxied)
    assert "removal score 0.80 (third country)" in mark.findtext(f"{KML}description")
    assert mark.findtext(f"{KML}TimeSpan/{KML}begin") == "2025-05-07T14:05:00Z"


def test_a_leg_seen_once_is_a_point_and_one_never_seen_has_no_geometry_in_kml(libya):
    once, never = placemarks(flights_kml([libya.model_copy(update={"track": libya.track[:1]}),
                                          libya.model_copy(update={"track": []})]))
    _, lat, lon, feet = libya.track[0]
    assert once.findtext(f"{KML}Point/{KML}coordinates") == f"{lon},{lat},{round(feet * 0.3048)}"
    assert lines(never) == [] and never.findtext(f"{KML}name") == "RCH4451 KSKF → HLMS"


def test_markup_in_a_callsign_or_reason_comes_back_as_text_never_as_elements_or_html(libya):
    reason = f"{HOSTILE}</description><Placemark>x</Placemark> and a stray \x00 byte"
    leg = libya.model_copy(update={"callsign": HOSTILE, "operator": HOSTILE, "reasons": [reason]})
    [mark] = placemarks(flights_kml([leg]))
    name, description = mark.findtext(f"{KML}name"), mark.findtext(f"{KML}description")
    assert "<" not in name + description  # a viewer that renders HTML shows the text, runs nothing
    assert html.unescape(name) == f"{HOSTILE} KSKF → HLMS"
    assert f"Reasons: {HOSTILE}</description><Placemark>x</Placemark> and a stray \ufffd byte" in html.unescape(
        description)
    assert {e.tag for e in mark.iter()} == {f"{KML}{t}" for t in (
        "Placemark", "name", "description", "TimeSpan", "begin", "end", "ExtendedData", "Data", "value",
        "MultiGeometry", "LineString", "altitudeMode", "coordinates")}
    [feature] = json.loads(json.dumps(flights_geojson([leg])))["features"]
    assert feature["properties"]["callsign"] == HOSTILE and feature["properties"]["reasons"] == [reason]
    [row] = read_csv(flights_csv([leg]))
    assert row["callsign"] == HOSTILE


def test_the_statements_csv_has_each_voice_with_its_document_span_and_hash(demo):
    claims = demo[1]
    statements = list({s.id: s for c in claims for s in c.statements}.values())
    rows = read_csv(statements_csv(statements))
    assert len(rows) == len(statements)
    [white_house] = [s for s in statements if s.speaker == "White House" and "too late" in s.content]
    [row] = [r for r in rows if r["id"] == str(white_house.id)]
    assert (row["speaker"], row["speaker_country"], row["stance"], row["content"]) == (
        "White House", "US", "assert", white_house.content)
    assert (int(row["span_start"]), int(row["span_end"])) == white_house.span
    assert row["document_sha256"] == white_house.document_sha256
    assert row["document_published"] == white_house.document_published.isoformat()
    planted = dataclasses.replace(white_house, content='=HYPERLINK("https://example.org","x")', cue=None)
    [row] = read_csv(statements_csv([planted]))
    assert row["content"] == "'" + planted.content and row["cue"] == "" and row["span_start"] == str(planted.span[0])


def test_the_claims_csv_keeps_attributes_as_json_and_the_statements_that_make_each_claim(demo):
    claims = demo[1]
    rows = {int(r["id"]): r for r in read_csv(claims_csv(claims))}
    assert rows.keys() == {c.id for c in claims}
    for claim in claims:
        row = rows[claim.id]
        assert json.loads(row["attributes"]) == claim.attributes
        assert row["statement_ids"] == "; ".join(str(s.id) for s in claim.statements)
        assert row["type"] == claim.type and row["event_id"] == ("" if claim.event_id is None else str(claim.event_id))
    [el_salvador] = [c for c in claims if c.type == "removal_flight" and c.attributes.get("destination") == "SV"]
    row = rows[el_salvador.id]
    assert json.loads(row["attributes"])["people"] == 200 and row["published"] == "2025-03-17"
