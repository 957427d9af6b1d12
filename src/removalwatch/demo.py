"""`removalwatch demo`: a fresh embedded store, the bundled samples, every stage that exists."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from removalwatch.config import DATABASE_FILE, Settings
from removalwatch.evidence.dossier import CountryDossier, build_dossier, contradiction
from removalwatch.evidence.links import link_events_to_flights
from removalwatch.flights import archive, watchlist
from removalwatch.flights.importer import rebuild_flights
from removalwatch.flights.positions import clean
from removalwatch.flights.synthetic import demo_flights
from removalwatch.flights.views import mission_route
from removalwatch.packets.assemble import country_packet
from removalwatch.packets.render import write_packet
from removalwatch.store.flights import list_flights, list_missions
from removalwatch.evidence.summary import event_summary, reports, route
from removalwatch.reports.ingest import add_reports
from removalwatch.reports.extract.lexicon import PlaceIndex
from removalwatch.store import open_store
from removalwatch.store.documents import get_document, list_documents
from removalwatch.store.events import read_events, read_voices


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


def sample_reports_dir() -> Path:
    return Path(str(resources.files("removalwatch.data").joinpath("samples", "reports")))


def run_demo(home: Path | None = None) -> DemoReport:
    home = Path(home) if home else Path(tempfile.mkdtemp(prefix="removalwatch-demo-"))
    # The demo always runs on the embedded default, whatever REMOVALWATCH_DATABASE_URL says.
    engine = open_store(Settings(home=home, database_url=f"sqlite:///{(home / DATABASE_FILE).resolve()}"))
    add_reports(engine, [str(sample_reports_dir())])
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
    for track in demo_flights():
        archive.write(home, clean(track, Counter()))
    rebuild_flights(engine, home, watchlist.load(home))
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
                      contested, missions, links, libya, [str(p) for p in packet])
