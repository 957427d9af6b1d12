"""Alerts: raised once per event, kept in the outbox, delivered at least once to real local servers
(an HTTP webhook receiver, an SMTP server), never lost, never doubled where it matters."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from removalwatch.alerts import rules
from removalwatch.cli import app
from removalwatch.demo import sample_reports_dir
from removalwatch.errors import InputError

runner = CliRunner()
SECRET = "test-secret-not-for-production"
LIBYA = str(sample_reports_dir() / "libya-military-flight.html")


class Receiver:
    """A webhook receiver on loopback: checks each signature, counts every POST by its key, and
    can answer 500 for a while or kill the sender before answering."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        self.fail = False
        self.check_signature = True
        self.delay = 0.0
        self.kill_sender_once: int | None = None  # a process id
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if receiver.check_signature and self.headers.get("X-RemovalWatch-Signature") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                if receiver.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                time.sleep(receiver.delay)
                receiver.posts.append((self.headers["Idempotency-Key"], json.loads(body)))
                if receiver.kill_sender_once:
                    os.kill(receiver.kill_sender_once, signal.SIGKILL)  # sent, but never recorded
                    receiver.kill_sender_once = None
                    return
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    @property
    def effects(self) -> dict[str, dict]:
        """What a receiver that drops repeated keys keeps: one effect per key."""
        return {key: payload for key, payload in reversed(self.posts)}


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def configure(home: Path, *channels: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "alerts.yaml").write_text(
        "rules:\n  - name: removal-claim\n    kind: removal_claim\n  - name: court\n    kind: court_order\n"
        "channels:\n" + "".join(channels), encoding="utf-8")


def webhook(url: str) -> str:
    return f"  - type: webhook\n    url: {url}\n    secret_env: RW_TEST_SECRET\n"


def cli(home: Path, *args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {**os.environ, "REMOVALWATCH_HOME": str(home), "RW_TEST_SECRET": SECRET, **(env or {})}
    if env is None or "REMOVALWATCH_DATABASE_URL" not in env:
        environment.pop("REMOVALWATCH_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "removalwatch", *args], capture_output=True, text=True,
                          env=environment, timeout=timeout)


def test_a_new_report_raises_its_alerts_once_and_the_webhook_gets_them_signed(home, receiver, monkeypatch):
    monkeypatch.setenv("RW_TEST_SECRET", SECRET)
    configure(home, webhook(receiver.url), "  - type: atom\n")
    result = runner.invoke(app, ["reports", "add", LIBYA], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "alerts raised" in result.output, result.output
    runner.invoke(app, ["reports", "add", LIBYA])  # the same report again: nothing new
    delivered = runner.invoke(app, ["alerts", "deliver", "--json"])
    assert delivered.exit_code == 0, delivered.output
    keys = [key for key, _ in receiver.posts]
    assert keys and len(keys) == len(set(keys))
    flight = next(payload for key, payload in receiver.posts if key.startswith("removal-claim:"))
    assert flight["country"] == "LY" and "removalwatch packet --country LY" in flight["commands"]
    assert flight["evidence"]["source"]["sha256"] and flight["evidence"]["statements"]
    feed = feedparser.parse(str(home / "alerts.atom"))
    assert {e.title for e in feed.entries} == {p["subject"] for _, p in receiver.posts}
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--json"]).output)
    assert all(d["status"] == "delivered" for a in listed for d in a["deliveries"])


def test_a_receiver_that_fails_gets_the_alert_later_and_nothing_is_lost(home, receiver, monkeypatch):
    import datetime as dt

    from sqlalchemy import update

    from removalwatch.config import settings
    from removalwatch.store import open_store
    from removalwatch.store.schema import deliveries
    monkeypatch.setenv("RW_TEST_SECRET", SECRET)
    configure(home, webhook(receiver.url))
    runner.invoke(app, ["reports", "add", LIBYA])
    receiver.fail = True
    runner.invoke(app, ["alerts", "deliver"])
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--json"]).output)
    assert listed and all(d["status"] == "pending" and d["attempts"] == 1 and "HTTP 500" in d["last_error"]
                          for a in listed for d in a["deliveries"])
    runner.invoke(app, ["alerts", "deliver"])
    assert receiver.posts == []  # not due yet: the retry waits (backoff)
    receiver.fail = False
    with open_store(settings()).begin() as conn:  # time passes
        conn.execute(update(deliveries).values(next_attempt=deliveries.c.next_attempt - dt.timedelta(hours=1)))
    runner.invoke(app, ["alerts", "deliver"])
    assert sorted(receiver.effects) == sorted(a["key"] for a in listed)


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_sender_killed_between_sending_and_recording_sends_again_and_the_receiver_keeps_one(
        store, tmp_path, receiver, request):
    home = tmp_path / "home"
    env = {"REMOVALWATCH_DATABASE_URL": request.getfixturevalue("postgres_schema_url")} if store == "postgres" else {}
    configure(home, webhook(receiver.url))
    assert cli(home, "reports", "add", LIBYA, env=env).returncode == 0
    environment = {**os.environ, "REMOVALWATCH_HOME": str(home), "RW_TEST_SECRET": SECRET, **env}
    if not env:
        environment.pop("REMOVALWATCH_DATABASE_URL", None)
    sender = subprocess.Popen([sys.executable, "-m", "removalwatch", "alerts", "deliver", "--lease", "1"],
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    receiver.kill_sender_once = sender.pid
    sender.wait(timeout=60)
    assert sender.returncode == -signal.SIGKILL and len(receiver.posts) == 1
    time.sleep(1.5)  # the dead sender's lease runs out
    assert cli(home, "alerts", "deliver", env=env).returncode == 0
    keys = [key for key, _ in receiver.posts]
    assert keys.count(keys[0]) == 2  # at least once: sent again ...
    listed = json.loads(cli(home, "alerts", "list", "--json", env=env).stdout)
    assert sorted(receiver.effects) == sorted(a["key"] for a in listed)  # ... one effect per alert
    assert all(d["status"] == "delivered" for a in listed for d in a["deliveries"])


@pytest.mark.postgres
def test_two_senders_on_one_postgresql_store_deliver_each_alert_once(tmp_path, receiver, postgres_schema_url):
    import datetime as dt

    from removalwatch.alerts.rules import parse
    from removalwatch.config import Settings
    from removalwatch.domain import Alert
    from removalwatch.store import open_store
    from removalwatch.store.outbox import raise_alerts
    home = tmp_path / "home"
    configure(home, webhook(receiver.url))
    config = parse((home / "alerts.yaml").read_text(), "alerts.yaml")
    engine = open_store(Settings(home=home, database_url=postgres_schema_url))
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:  # many more than one batch: the two senders take turns in the outbox
        raise_alerts(conn, [Alert(key=f"test:{n}", rule="r", kind="removal_claim", subject=f"alert {n}", body="b",
                                  created=now) for n in range(200)], [c.name for c in config.channels])
    env = {**os.environ, "REMOVALWATCH_HOME": str(home), "REMOVALWATCH_DATABASE_URL": postgres_schema_url,
           "RW_TEST_SECRET": SECRET}
    receiver.delay = 0.02  # 200 sends take seconds: both senders are surely at work together
    senders = [subprocess.Popen([sys.executable, "-m", "removalwatch", "alerts", "deliver", "--json"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    delivered = []
    for s in senders:
        out, errors = s.communicate(timeout=180)
        assert s.returncode == 0, errors
        delivered.append(json.loads(out).get("delivered", 0))
    keys = [key for key, _ in receiver.posts]
    assert sorted(keys) == sorted(f"test:{n}" for n in range(200))  # every alert, and each exactly once
    assert sum(delivered) == 200 and min(delivered) > 0  # both senders worked the outbox at once


def test_a_sender_whose_lease_ran_out_cannot_undo_what_another_sender_recorded(engine):
    import datetime as dt

    from removalwatch.domain import Alert
    from removalwatch.store.outbox import raise_alerts, read_alerts, record, take_due
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        raise_alerts(conn, [Alert(key="k", rule="r", kind="court_order", subject="s", body="b", created=now)],
                     ["webhook-1"])
    [first] = take_due(engine, ["webhook-1"], now=now, lease_seconds=10)
    assert take_due(engine, ["webhook-1"], now=now + dt.timedelta(seconds=5)) == []  # leased: skipped
    [second] = take_due(engine, ["webhook-1"], now=now + dt.timedelta(seconds=11))  # the lease ran out
    assert record(engine, second, now=now + dt.timedelta(seconds=12))  # delivered by the second sender
    assert not record(engine, first, now=now + dt.timedelta(seconds=13), error="Timeout")  # too late: ignored
    [stored] = read_alerts(engine)
    assert stored.deliveries[0]["status"] == "delivered" and stored.deliveries[0]["attempts"] == 1


def test_a_channel_whose_secret_is_not_in_the_environment_sends_nothing_unsigned(home, receiver, monkeypatch):
    monkeypatch.delenv("RW_TEST_SECRET", raising=False)
    configure(home, webhook(receiver.url))
    runner.invoke(app, ["reports", "add", LIBYA])
    runner.invoke(app, ["alerts", "deliver"])
    assert receiver.posts == []
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--json"]).output)
    assert all("RW_TEST_SECRET" in d["last_error"] for a in listed for d in a["deliveries"])


def test_email_goes_through_a_real_smtp_server(home):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    import socket
    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        configure(home, f"  - type: email\n    smtp: 127.0.0.1:{port}\n"
                        "    from: alerts@example.org\n    to: [duty-lawyer@example.org]\n")
        runner.invoke(app, ["reports", "add", LIBYA])
        assert runner.invoke(app, ["alerts", "deliver"]).exit_code == 0
    finally:
        controller.stop()
    from email.header import decode_header, make_header
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in received]
    assert any("removal flight US → LY" in s for s in subjects), subjects
    assert all(m["X-RemovalWatch-Key"] and m["To"] == "duty-lawyer@example.org" for m in received)


def test_a_webhook_that_hangs_times_out_and_the_alert_waits_for_the_next_try(home):
    import socket
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        configure(home, f"  - type: webhook\n    url: http://127.0.0.1:{silent.getsockname()[1]}/hook\n    timeout: 0.5\n")
        runner.invoke(app, ["reports", "add", LIBYA])
        result = runner.invoke(app, ["alerts", "deliver"])
    finally:
        silent.close()
    assert result.exit_code == 0 and "failed" in result.output
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--json"]).output)
    assert all(d["status"] == "pending" and "Timeout" in d["last_error"] for a in listed for d in a["deliveries"])


def test_apprise_notifies_through_a_real_local_service(home, receiver):
    # Apprise's json:// service posts each notification to an HTTP server: here, a local one
    configure(home, f"  - type: apprise\n    urls: json://127.0.0.1:{receiver.server.server_address[1]}/notify\n")
    receiver.check_signature = False
    runner.invoke(app, ["reports", "add", LIBYA])
    assert runner.invoke(app, ["alerts", "deliver"]).exit_code == 0
    titles = [payload.get("title", "") for _, payload in receiver.posts]
    assert any("removal flight US → LY" in t for t in titles), receiver.posts


def test_an_smtp_server_that_refuses_leaves_the_alert_pending(home):
    configure(home, "  - type: email\n    smtp: 127.0.0.1:9\n    from: a@example.org\n    to: b@example.org\n")
    runner.invoke(app, ["reports", "add", LIBYA])
    result = runner.invoke(app, ["alerts", "deliver"])
    assert result.exit_code == 0 and "failed" in result.output
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--json"]).output)
    assert all(d["status"] == "pending" and d["last_error"] for a in listed for d in a["deliveries"])


@pytest.mark.parametrize("text, line, message", [
    ("rules:\n  - kind: removal_claim\n    countries: [LY\n", 4, "not valid YAML"),
    ("rules:\n  - name: a\n    kind: shouting\n", 3, "kind must be one of"),
    ("rules: []\nchannels:\n  - type: email\n    smtp: mail.example.org:notaport\n    from: a\n    to: b\n", 4,
     "smtp must be HOST:PORT"),
    ("rules: []\nalarms: []\n", 2, "unknown key"),
    ("rules: []\nchannels:\n  - type: atom\n  - type: atom\n    name: atom-1\n", 4, "two channels are named"),
])
def test_a_bad_rules_file_is_named_with_its_line(tmp_path, text, line, message):
    (tmp_path / "alerts.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rules.load(tmp_path)
    assert caught.value.line == line and message in str(caught.value) and "alerts.yaml" in str(caught.value)


def test_the_default_rules_load_and_name_every_kind():
    config = rules.load(None)
    assert {r.kind for r in config.rules} == set(rules.KINDS) and [c.name for c in config.channels] == ["atom-1"]
