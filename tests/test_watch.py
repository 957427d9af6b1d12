"""`removalwatch watch`: live and replayed feeds in, alerts out — against real local servers."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from removalwatch.flights.synthetic import demo_flights, sbs_lines

C17 = sbs_lines(demo_flights()[0])  # RCH4451 from Kelly Field towards Misrata


def watch(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "REMOVALWATCH_HOME": str(home)}
    env.pop("REMOVALWATCH_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "removalwatch", "watch", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_a_replayed_capture_raises_the_c17_alerts_once_and_a_second_replay_raises_none(tmp_path):
    capture = tmp_path / "c17.sbs"
    capture.write_text("\n".join(C17) + "\n", encoding="utf-8")
    first = watch(tmp_path / "home", "--replay", str(capture), "--speed", "5000")
    assert first.returncode == 0, first.stderr
    assert "alert staging-departure:ae07e1:2025-05-07T14:05: RCH4451" in first.stderr
    assert "alert third-country:ae07e1:2025-05-07T14:05" in first.stderr and "heading to third country LY" in first.stderr
    assert "alerts sent:" in first.stderr and (tmp_path / "home" / "alerts.atom").exists()
    again = watch(tmp_path / "home", "--replay", str(capture), "--speed", "5000")
    assert again.returncode == 0 and "alert " not in again.stderr and "0 alerts" in again.stderr


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A test server's handler: answers 200 with a body, logs nothing."""

    def answer(self, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(200)
        for name, value in {"Content-Type": content_type, **headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FeedServer:
    """A receiver's SBS-1 port and a report site's Atom feed (answering 304 when nothing changed)."""

    ATOM = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Wire</title>"
            "<id>urn:test</id><updated>2025-05-07T10:00:00Z</updated><entry><title>Libya flight</title><id>urn:1</id>"
            "<updated>2025-05-07T10:00:00Z</updated><link href='https://example.org/1'/><content type='text'>"
            "Two US officials said a military flight would take deported migrants to Libya as early as this week."
            "</content></entry></feed>")

    def __init__(self):
        self.sbs = socket.create_server(("127.0.0.1", 0))
        self.sbs_port = self.sbs.getsockname()[1]
        self.not_modified = 0
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                if self.headers.get("If-None-Match") == '"v1"':
                    server.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.answer(server.ATOM.encode(), "application/atom+xml", ETag='"v1"')

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.feed_url = f"http://127.0.0.1:{self.http.server_address[1]}/feed.atom"
        threading.Thread(target=self._serve_sbs, daemon=True).start()

    def _serve_sbs(self):
        connection, _ = self.sbs.accept()
        with connection:
            connection.sendall(b"this is not SBS\n" + ("\n".join(C17) + "\n").encode())
            time.sleep(60)  # a live feed stays open


def test_live_sbs_and_a_feed_raise_alerts_and_sigterm_stops_the_watch_cleanly(tmp_path):
    server = FeedServer()
    env = {**os.environ, "REMOVALWATCH_HOME": str(tmp_path / "home")}
    env.pop("REMOVALWATCH_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "removalwatch", "watch", "--sbs", f"127.0.0.1:{server.sbs_port}",
         "--feed", server.feed_url, "--feed-every", "1", "--allow-private"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = []
    reader = threading.Thread(target=lambda: log.extend(iter(process.stderr.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not (
            any("alert third-country:ae07e1" in line for line in log) and server.not_modified >= 1):
        time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    reader.join(timeout=5)
    text = "".join(log)
    assert "connected" in text and "rejected 1 garbage line" in text
    assert "alert staging-departure:ae07e1" in text and "alert third-country:ae07e1" in text
    assert "1 new reports" in text and "alert removal-claim:" in text  # the feed's report, stored and alerted
    assert server.not_modified >= 1  # polled again with its ETag: nothing downloaded twice
    assert "stopped:" in text and "Traceback" not in text


def test_a_feed_on_a_private_address_is_refused_in_one_line(tmp_path):
    result = watch(tmp_path / "home", "--feed", "http://127.0.0.1:9/feed.atom")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "127.0.0.1" in result.stderr


class SnapshotServer:
    """A receiver's aircraft.json and OpenSky's REST API (with its OAuth2 token endpoint), each
    answering with the C-17's next positions at every poll."""

    def __init__(self):
        import json

        from removalwatch.flights.synthetic import demo_flights
        c17 = demo_flights()[0].to_pylist()
        takeoff = next(i for i, p in enumerate(c17) if not p["on_ground"])
        self.track = c17[takeoff - 3:takeoff + 40]
        self.polls = {"aircraft": 0, "opensky": 0}
        self.bearer_seen = False
        server = self

        class Handler(QuietHandler):
            def do_POST(self):  # the token endpoint
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._json({"access_token": "t0ken", "expires_in": 300})

            def do_GET(self):
                kind = "opensky" if "states" in self.path else "aircraft"
                k = server.polls[kind]
                server.polls[kind] += 1
                points = server.track[min(k * 4, len(server.track) - 4):min(k * 4, len(server.track) - 4) + 4]
                if kind == "opensky":
                    server.bearer_seen |= self.headers.get("Authorization") == "Bearer t0ken"
                    states = [["ae07e1", "RCH4451 ", "United States", p["time"].timestamp(), p["time"].timestamp(),
                               p["lon"], p["lat"], None if p["on_ground"] else p["altitude_ft"] / 3.28084,
                               p["on_ground"], (p["ground_speed_kt"] or 0) / 1.943844, p["track"], 0, None, None,
                               None, False, 0] for p in points[-1:]]
                    self._json({"time": int(points[-1]["time"].timestamp()), "states": states})
                else:
                    now = points[-1]["time"].timestamp()
                    self._json({"now": now, "aircraft": [{
                        "hex": "ae07e1", "flight": "RCH4451 ", "lat": p["lat"], "lon": p["lon"],
                        "alt_baro": "ground" if p["on_ground"] else p["altitude_ft"], "gs": p["ground_speed_kt"],
                        "track": p["track"], "seen_pos": now - p["time"].timestamp()} for p in points[-1:]]})

            def _json(self, value):
                self.answer(json.dumps(value).encode(), "application/json")

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"


def test_polled_aircraft_json_and_opensky_state_vectors_raise_the_departure_alert(tmp_path):
    server = SnapshotServer()
    for option, url, extra_env in (
            ("--aircraft-json", f"{server.base}/data/aircraft.json", {}),
            ("--opensky", f"{server.base}/api/states/all", {"OPENSKY_CLIENT_ID": "me", "OPENSKY_CLIENT_SECRET": "s",
                                                             "OPENSKY_TOKEN_URL": f"{server.base}/token"})):
        home = tmp_path / option.strip("-")
        env = {**os.environ, "REMOVALWATCH_HOME": str(home), **extra_env}
        env.pop("REMOVALWATCH_DATABASE_URL", None)
        process = subprocess.Popen([sys.executable, "-m", "removalwatch", "watch", option, url, "--poll-every", "1",
                                    "--allow-private"], env=env, stderr=subprocess.PIPE, text=True)
        log = []
        threading.Thread(target=lambda: log.extend(iter(process.stderr.readline, "")), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("alert staging-departure:ae07e1" in line for line in log):
            time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert any("alert staging-departure:ae07e1" in line for line in log), "".join(log)
    assert server.bearer_seen  # OpenSky was asked with the client-credentials token


def test_a_day_later_the_first_flight_is_dropped_whole_never_cut_into_a_new_one():
    import datetime as dt

    import pyarrow as pa
    import pyarrow.compute as pc

    from removalwatch.flights import watchlist
    from removalwatch.flights.missions import MissionRules
    from removalwatch.watch.live import LiveFlights
    c17 = demo_flights()[0]
    live = LiveFlights(watchlist.load(None), MissionRules())
    live.add(c17)
    landing = pc.max(c17.filter(pc.invert(c17["on_ground"]))["time"]).as_py()
    later = c17.slice(c17.num_rows - 1, 1).to_pylist()[0]
    later["time"] = c17["time"][0].as_py() + dt.timedelta(hours=24, minutes=10)  # on the ground, a day after
    live.add(pa.Table.from_pylist([later], schema=c17.schema))                    # the taxi-out began
    kept = live.positions["ae07e1"].sort_by("time")
    first = kept.slice(0, 1).to_pylist()[0]
    # the flight is kept from the ground before its takeoff, or not at all: never a flight without its start
    assert first["on_ground"] or first["time"] > landing, first
