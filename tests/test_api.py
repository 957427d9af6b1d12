"""The JSON API, served by a real uvicorn server on loopback, over the demo's data on SQLite and
on PostgreSQL."""

from __future__ import annotations

import time

import httpx
import hypothesis
import pytest
import schemathesis


@pytest.fixture(scope="module")
def api(demo_server):
    with httpx.Client(base_url=f"{demo_server.url}/api/v1", timeout=30) as client:
        yield client


def test_the_libya_dossier_comes_back_as_data_with_security_headers(api):
    answer = api.get("/countries/ly")
    assert answer.status_code == 200
    assert answer.headers["x-content-type-options"] == "nosniff" and "frame-ancestors 'none'" in answer.headers[
        "content-security-policy"]
    dossier = answer.json()
    assert dossier["status"] == "flight observed despite denial" and dossier["name"] == "Libya"
    assert [f["callsign"] for f in dossier["flights"]] == ["RCH4451"]
    assert any(v["speaker"] == "Government of National Unity" for c in dossier["contradictions"] for v in c["opposing"])


def test_lists_page_with_cursors_and_filter(api):
    first = api.get("/documents", params={"limit": 2}).json()
    second = api.get("/documents", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    rest = api.get("/documents", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    ids = [d["id"] for page in (first, second, rest) for d in page["items"]]
    assert ids == sorted(set(ids)) and len(ids) == 5 and rest["next_cursor"] is None
    contested = api.get("/events", params={"contested": True}).json()["items"]
    assert contested and all(e["status"] == "contested" for e in contested)
    libya = api.get("/events", params={"country": "LY"}).json()["items"]
    assert libya and all("LY" in e["countries"] for e in libya)
    one = api.get(f"/events/{libya[0]['id']}").json()
    assert one["event"]["id"] == libya[0]["id"] and one["voices"]
    candidates = api.get("/flights", params={"candidates": True}).json()["items"]
    assert {f["callsign"] for f in candidates} >= {"RCH4451", "GXA6712"} and "track" not in candidates[0]
    assert api.get(f"/flights/{candidates[0]['id']}").json()["track"]
    assert any(link["third_country"] for link in api.get("/links").json())
    assert api.get("/alerts").json()


def test_bad_requests_get_clear_errors_not_server_errors(api):
    assert api.get("/countries/ZZ").status_code == 404
    assert api.get("/events/999999").status_code == 404
    assert api.get("/documents", params={"cursor": "not-a-cursor"}).status_code == 400
    assert api.get("/documents", params={"limit": 0}).status_code == 422
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/documents", "/api/v1/events", "/api/v1/countries/{code}", "/api/v1/flights"} <= set(paths)


def test_statements_claims_search_and_exports(api):
    import csv
    import io
    import xml.etree.ElementTree as ET
    denials = api.get("/statements", params={"country": "LY", "stance": "deny"}).json()["items"]
    assert denials and {s["stance"] for s in denials} == {"deny"}
    assert any(s["speaker"] == "Government of National Unity" for s in denials)
    agreements = api.get("/claims", params={"type": "agreement", "country": "LY"}).json()["items"]
    assert agreements and all(c["type"] == "agreement" and c["statements"] for c in agreements)
    assert api.get("/claims", params={"type": "treaty"}).status_code == 422
    quote = " ".join(denials[0]["content"].split()[:4])
    found = api.get("/search", params={"q": f'"{quote}"'}).json()
    assert denials[0]["id"] in {s["id"] for s in found["statements"]}
    statuses = {c["country"]: c["status"] for c in api.get("/countries").json()}
    assert statuses["LY"] == "flight observed despite denial" and statuses["SV"].startswith("flight observed")
    flights_csv = api.get("/exports/flights.csv", params={"candidates": True})
    assert flights_csv.headers["content-type"].startswith("text/csv")
    assert "RCH4451" in {row["callsign"] for row in csv.DictReader(io.StringIO(flights_csv.text))}
    kml = ET.fromstring(api.get("/exports/flights.kml", params={"candidates": True}).content)
    assert len(kml.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == len(
        api.get("/flights", params={"candidates": True}).json()["items"])
    geojson = api.get("/countries/LY/flights.geojson")
    assert geojson.headers["content-type"] == "application/geo+json"
    assert [f["properties"]["callsign"] for f in geojson.json()["features"]] == ["RCH4451"]
    rows = list(csv.DictReader(io.StringIO(api.get("/exports/statements.csv", params={"country": "LY"}).text)))
    assert {r["stance"] for r in rows} >= {"assert", "deny"}


def test_a_review_shows_at_once_in_answers_given_before_it(api, demo_server):
    """Answers are reused for a few seconds, but never after this server stored a review."""
    demo_server.rw.add_user("reba", "a long enough password", "reviewer")
    token = demo_server.rw.create_token("reba", "test")
    assert api.get("/claims", params={"reviewed": True}).json()["items"] == []
    claim = api.get("/claims", params={"country": "LY"}).json()["items"][0]
    done = api.post("/reviews", json={"kind": "claim", "id": claim["id"], "verdict": "confirmed"},
                    headers={"Authorization": f"Bearer {token}"})
    assert done.status_code == 201
    assert [c["id"] for c in api.get("/claims", params={"reviewed": True}).json()["items"]] == [claim["id"]]


def test_answers_are_reused_until_they_expire_or_the_store_is_written():
    from removalwatch.web.cache import AnswerCache
    cache, computed = AnswerCache(seconds=0.2), []

    def compute() -> bytes:
        computed.append(1)
        return str(len(computed)).encode()
    assert [cache.get("k", compute), cache.get("k", compute)] == [b"1", b"1"]
    cache.written()
    assert cache.get("k", compute) == b"2"
    time.sleep(0.25)
    assert cache.get("k", compute) == b"3"
    assert AnswerCache(seconds=0).get("k", compute) == b"4"
    small = AnswerCache(seconds=60, max_bytes=16)
    small.get("a", lambda: b"12"), small.get("b", lambda: b"x" * 3)  # one byte over an eighth: not kept
    assert small.get("a", lambda: b"new") == b"12" and small.get("b", lambda: b"y") == b"y"


def test_a_configured_tile_server_is_allowed_by_the_content_security_policy():
    from removalwatch.web.app import _origin
    assert _origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert _origin("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png") == "https://tiles.example.org:8443"


def test_readers_asking_together_share_one_computation():
    import threading
    from removalwatch.web.cache import AnswerCache
    cache, started, answers = AnswerCache(seconds=60), [], []

    def slow() -> bytes:
        started.append(1)
        time.sleep(0.2)
        return b"dossier"
    readers = [threading.Thread(target=lambda: answers.append(cache.get("LY", slow))) for _ in range(10)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert answers == [b"dossier"] * 10 and len(started) == 1


def test_an_expired_answer_is_given_while_one_reader_computes_the_next():
    import threading
    from removalwatch.web.cache import AnswerCache
    cache = AnswerCache(seconds=0.3)
    assert cache.get("LY", lambda: b"old") == b"old"
    time.sleep(0.35)
    computing, done = threading.Event(), threading.Event()

    def refresh() -> bytes:
        computing.set()
        done.wait(5)
        return b"new"
    refresher = threading.Thread(target=lambda: cache.get("LY", refresh))
    refresher.start()
    computing.wait(5)
    assert cache.get("LY", lambda: b"recomputed") == b"old"  # not waiting, not computing again
    done.set()
    refresher.join()
    assert cache.get("LY", lambda: b"recomputed") == b"new"
    time.sleep(0.65)  # more than twice its age: never given again
    assert cache.get("LY", lambda: b"recomputed") == b"recomputed"


def test_no_request_the_openapi_document_allows_ends_in_a_server_error(api, demo_server):
    """schemathesis draws requests from the OpenAPI document, valid and odd, for every operation, as a
    reviewer (so the writes are reached too). Last in this module: its reviews change the data."""
    demo_server.rw.add_user("fuzz", "a long enough password", "reviewer")
    token = demo_server.rw.create_token("fuzz", "schemathesis")
    schema = schemathesis.openapi.from_url(str(api.base_url).rstrip("/") + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=20, deadline=None, suppress_health_check=list(hypothesis.HealthCheck),
                             database=None)
        def no_server_error(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.path, case.path_parameters, case.query, response.text[:300])

        no_server_error()


def test_serve_with_several_workers_answers(tmp_path):
    """`removalwatch serve --workers 2`: each worker builds the app from what the command was told."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REMOVALWATCH_")}
    server = subprocess.Popen([sys.executable, "-m", "removalwatch", "serve", "--home", str(tmp_path), "--port",
                               str(port), "--workers", "2", "--no-anonymous-view"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(300):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/countries")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer.status_code == 401  # --no-anonymous-view reached the workers
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json").status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=30)[0]
    assert "sign-in needed" in output
