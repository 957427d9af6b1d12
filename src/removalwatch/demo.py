"""`removalwatch demo`: a fresh embedded store, the bundled samples, every stage that exists."""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import http.server
import json
import os
import secrets
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from removalwatch.alerts import rules
from removalwatch.alerts.channels import feed_path, signature
from removalwatch.alerts.triggers import AfterDocument
from removalwatch.config import DATABASE_FILE, Settings
from removalwatch.domain import Alert
from removalwatch.evidence.dossier import CountryDossier, build_dossier, contradiction
from removalwatch.evidence.links import link_events_to_flights
from removalwatch.evidence.summary import event_summary, reports, route
from removalwatch.flights import watchlist
from removalwatch.flights.missions import MissionRules
from removalwatch.flights.synthetic import demo_flights, sbs_lines
from removalwatch.flights.views import mission_route
from removalwatch.packets.assemble import country_packet
from removalwatch.packets.render import write_packet
from removalwatch.reports.extract.lexicon import PlaceIndex
from removalwatch.reports.ingest import add_reports
from removalwatch.store import open_store
from removalwatch.store.documents import get_document, list_documents
from removalwatch.store.events import read_events, read_voices
from removalwatch.store.flights import list_flights, list_missions
from removalwatch.store.outbox import read_alerts
from removalwatch.watch.run import watch
from removalwatch.watch.sources import Replay
from removalwatch.watch.stopping import Stopping


@dataclass(frozen=True)
class DemoDocument:
    id: int
    title: str | None
    published: dt.date | None
    countries: list[str]
    statements: int
    claims: int


@dataclass(frozen=True)
class DemoContested:
    event: str
    reports: int
    supporting: list[str]  # "speaker (stance)"
    opposing: list[str]


@dataclass(frozen=True)
class DemoMission:
    callsigns: list[str]
    icao24: str
    route: str
    candidate: bool
    removal_score: float
    third_country: bool
    reasons: list[str]


@dataclass(frozen=True)
class DemoLink:
    event: str
    flight: str
    reasons: list[str]
    third_country: str | None


@dataclass(frozen=True)
class DemoReport:
    home: str
    documents: list[DemoDocument]
    countries: dict[str, int]  # documents mentioning each country, most first
    events: list[str]          # one line per event, with its status and number of reports
    contested: list[DemoContested]
    missions: list[DemoMission]
    links: list[DemoLink]
    libya: CountryDossier
    packet: list[str]  # the Libya packet's HTML and PDF
    alerts: "DemoAlerts"


@dataclass(frozen=True)
class DemoAlerts:
    raised: list[Alert]
    webhook_received: list[str]  # keys the loopback receiver got, signature checked
    atom_feed: str
    webhook_url: str


def sample_reports_dir() -> Path:
    return Path(str(resources.files("removalwatch.data").joinpath("samples", "reports")))


def run_demo(home: Path | None = None) -> DemoReport:
    home = Path(home) if home else Path(tempfile.mkdtemp(prefix="removalwatch-demo-"))
    # The demo always runs on the embedded default, whatever REMOVALWATCH_DATABASE_URL says.
    engine = open_store(Settings(home=home, database_url=f"sqlite:///{(home / DATABASE_FILE).resolve()}"))
    with _alert_receiver() as (config, received, url):
        return _run(engine, home, config, received, url)


def _run(engine, home: Path, config: rules.AlertConfig, received: list[dict], url: str) -> DemoReport:
    add_reports(engine, [str(sample_reports_dir())], after_document=AfterDocument(config))
    documents, per_country = [], Counter()
    for summary in list_documents(engine):
        doc = get_document(engine, summary.id)
        countries = [c for c, _ in sorted(PlaceIndex(doc.text).counts().items(), key=lambda kv: -kv[1])]
        per_country.update(countries)
        documents.append(DemoDocument(summary.id, summary.title, summary.published, countries,
                                      summary.statements, summary.claims))
    events = read_events(engine)
    voices = read_voices(engine, [e.id for e in events])

    def sides(side) -> list[str]:
        return [f"{v.speaker} ({v.stance})" for v in side]

    contested = [DemoContested(event_summary(c.event), c.event.documents, sides(c.supporting), sides(c.opposing))
                 for c in (contradiction(e, voices.get(e.id, [])) for e in events) if c]
    replay_sample_feed(engine, home, config)
    flights = list_flights(engine, candidates_only=True)
    missions = [DemoMission(m.callsigns, m.icao24, mission_route(m), m.candidate, m.removal_score, m.third_country,
                            m.reasons + m.third_country_reasons) for m in list_missions(engine)]
    links = [DemoLink(event_summary(link.event), f"{link.flight.callsign} {route(link.flight)}", link.reasons,
                      link.third_country) for link in link_events_to_flights(events, flights)]
    libya = build_dossier("LY", read_events(engine, country="LY"), voices, flights)
    packet = write_packet(country_packet(engine, home, "LY"), home / "packets")
    engine.dispose()
    return DemoReport(str(home), documents, dict(per_country.most_common()),
                      [f"{event_summary(e)} — {e.status}, {reports(e.documents)}" for e in events],
                      contested, missions, links, libya, [str(p) for p in packet],
                      DemoAlerts([a.alert for a in read_alerts(engine)], [r["key"] for r in received],
                                 str(feed_path(home)), url))


DEMO_SECRET_ENV = "REMOVALWATCH_DEMO_WEBHOOK_SECRET"


@contextlib.contextmanager
def _alert_receiver() -> Iterator[tuple[rules.AlertConfig, list[dict], str]]:
    """A webhook receiver on loopback that checks each alert's signature, and the alert rules that
    send to it and to the Atom feed; the signing key lives in the environment only while it runs."""
    secret, received = secrets.token_hex(16), []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            good = hmac.compare_digest(self.headers.get("X-RemovalWatch-Signature", ""), signature(secret, body))
            if good:
                received.append(json.loads(body))
            self.send_response(204 if good else 401)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/removalwatch"
    default = rules.load(None)
    config = rules.AlertConfig(default.rules, (rules.Channel("atom-1", "atom"), rules.Channel(
        "webhook-1", "webhook", {"url": url, "secret_env": DEMO_SECRET_ENV})), "the demo's alert rules")
    previous = os.environ.get(DEMO_SECRET_ENV)
    os.environ[DEMO_SECRET_ENV] = secret
    try:
        yield config, received, url
    finally:
        server.shutdown()
        if previous is None:
            os.environ.pop(DEMO_SECRET_ENV, None)
        else:
            os.environ[DEMO_SECRET_ENV] = previous


def replay_sample_feed(engine, home: Path, config: rules.AlertConfig) -> None:
    """Replay the synthetic ADS-B feed through `watch`, as if it came from a receiver."""
    home.mkdir(parents=True, exist_ok=True)
    capture = home / "sample-feed.sbs"
    lines = [line for track in demo_flights() for line in sbs_lines(track)]
    lines.sort(key=lambda line: line.split(",")[6:8])  # as a receiver sends them: in time order
    capture.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Stopping() as stop:
        watch(engine, home, sources=[Replay(capture, speed=20000, out=None, stop=stop, log=lambda _: None)],
              pollers=[], config=config, watchlist=watchlist.load(home), rules=MissionRules(), stop=stop,
              log=lambda _: None, until_replayed=True)
