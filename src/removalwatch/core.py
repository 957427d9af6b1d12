"""`RemovalWatch`: the library's one entry point. It owns the store, the data directory and the
watchlist, and offers what the commands do; the CLI (and, later, the web app) only parse, call
it and render.

    from removalwatch import RemovalWatch
    rw = RemovalWatch(home="removalwatch-data")          # or database_url="postgresql://..."
    rw.add_reports(["saved-page.html", "https://example.org/feed.xml"])
    rw.country("LY").status                             # "flight observed despite denial"
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from removalwatch.config import Settings, settings
from removalwatch.domain import Flight, Mission


class RemovalWatch:
    def __init__(self, home: str | os.PathLike[str] | None = None, database_url: str | None = None):
        self.settings: Settings = settings(home, database_url)

    @property
    def home(self) -> Path:
        return self.settings.home

    @functools.cached_property
    def engine(self) -> Engine:
        from removalwatch.store import open_store
        return open_store(self.settings)

    @functools.cached_property
    def watchlist(self):
        from removalwatch.flights import watchlist
        return watchlist.load(self.home)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()

    def __enter__(self) -> "RemovalWatch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reports

    def alert_rules(self):
        from removalwatch.alerts import rules
        return rules.load(self.home)

    def add_reports(self, inputs: list[str], *, allow_private: bool = False, max_bytes: int | None = None,
                    alerts: bool = True, on_source: Callable | None = None):
        """Store reports (each text once); returns one result per input and the alerts raised."""
        from removalwatch.alerts.triggers import AfterDocument
        from removalwatch.reports.ingest import add_reports
        from removalwatch.reports.sources import DEFAULT_MAX_BYTES
        hook = AfterDocument(self.alert_rules()) if alerts else None
        results = add_reports(self.engine, inputs, allow_private=allow_private, max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                              on_source=on_source, after_document=hook)
        return results, (hook.raised if hook else [])

    def reextract(self, *, only_outdated: bool = False) -> int:
        from removalwatch.reports.ingest import reextract_reports
        return reextract_reports(self.engine, only_outdated=only_outdated)

    def documents(self, *, after_id: int | None = None, limit: int | None = None):
        from removalwatch.store.documents import list_documents
        return list_documents(self.engine, after_id=after_id, limit=limit)

    def count_documents(self) -> int:
        from removalwatch.store.documents import count_documents
        return count_documents(self.engine)

    def document(self, document_id: int):
        from removalwatch.store.documents import get_document
        return get_document(self.engine, document_id)

    def statements(self, **filters):
        """Stored statements; filters as `store.extractions.list_statements` takes them."""
        from removalwatch.store.extractions import list_statements
        return list_statements(self.engine, **filters)

    def claims(self, **filters):
        """Stored claims with their statements; filters as `store.extractions.all_claims` takes them."""
        from removalwatch.store.extractions import all_claims
        return all_claims(self.engine, **filters)

    def search(self, words: str, *, limit: int = 20):
        from removalwatch.store.search import search
        return search(self.engine, words, limit=limit)

    # --- events, evidence

    def events(self, *, country: str | None = None, contested: bool = False, types: list[str] | None = None,
               ids: list[int] | None = None, with_statements: bool = False, after_id: int | None = None,
               limit: int | None = None):
        from removalwatch.store.events import read_events
        return read_events(self.engine, country=country, contested=contested, types=types, ids=ids,
                           with_statements=with_statements, after_id=after_id, limit=limit)

    def rebuild_events(self) -> int:
        """File every stored claim into events anew; returns how many events there are."""
        from removalwatch.store.events import rebuild_events
        with self.engine.begin() as conn:
            return rebuild_events(conn)

    def voices(self, events, *, most: int | None = None):
        from removalwatch.store.events import read_voices
        return read_voices(self.engine, [e.id for e in events], most=most)

    def contradictions(self, *, most: int | None = None):
        """Contested events with the voices on each side."""
        from removalwatch.evidence.dossier import contradiction
        events = self.events(contested=True)
        voices = self.voices(events, most=most)
        return [c for c in (contradiction(e, voices.get(e.id, [])) for e in events) if c]

    def links(self):
        from removalwatch.evidence.links import link_events_to_flights
        return link_events_to_flights(self.events(types=["removal_flight"]),
                                      self.flights(candidates_only=True, tracks=False))

    def country(self, code: str, *, most: int | None = None):
        """The country's dossier (status, events, voices side by side, flights, links, timeline)."""
        from removalwatch.evidence.dossier import build_dossier
        events = self.events(country=code)
        flights = self.flights(candidates_only=True, destination=code, tracks=False)
        return build_dossier(code, events, self.voices(events, most=most), flights)

    def countries(self):
        """Every country the evidence names (events about it, candidate flights to it), with its
        status, most evidence first."""
        from removalwatch.evidence.dossier import CountryStatus, build_dossier
        from removalwatch.evidence.links import destination_of
        from removalwatch.store.events import event_countries_named
        flights = self.flights(candidates_only=True, tracks=False)
        codes = event_countries_named(self.engine) | {destination_of(f)[0] for f in flights} - {None}
        found = []
        for code in sorted(codes):
            events = self.events(country=code)
            dossier = build_dossier(code, events, self.voices(events, most=1), flights)
            found.append(CountryStatus(code, dossier.name, dossier.status, len(events), len(dossier.flights),
                                       len(dossier.contradictions)))
        return sorted(found, key=lambda c: (-(c.events + c.flights), c.country))

    def packet(self, *, country: str | None = None, flight: int | None = None, claim: int | None = None,
               out: Path | None = None, reviewed_only: bool = False, pdf: bool = True):
        """Write an evidence packet (HTML, and PDF unless `pdf` is false); returns the packet and its files."""
        from removalwatch.errors import InputError
        from removalwatch.packets.assemble import claim_packet, country_packet, flight_packet
        from removalwatch.packets.render import write_packet
        if sum(x is not None for x in (country, flight, claim)) != 1:
            raise InputError("packet", "name exactly one of --country, --flight or --claim")
        if country is not None:
            packet = country_packet(self.engine, self.home, country, reviewed_only=reviewed_only)
        elif flight is not None:
            packet = flight_packet(self.engine, self.home, flight, reviewed_only=reviewed_only)
        else:
            packet = claim_packet(self.engine, self.home, claim, reviewed_only=reviewed_only)
        return packet, write_packet(packet, out or self.home / "packets", pdf=pdf)

    # --- flights

    def import_flights(self, inputs: list[str], *, on_file: Callable | None = None):
        from removalwatch.flights.importer import import_flights
        return import_flights(self.engine, self.home, inputs, self.watchlist, on_file=on_file)

    def flights(self, *, candidates_only: bool = False, month: str | None = None, source: str | None = None,
                destination: str | None = None, limit: int | None = None, after_id: int | None = None,
                tracks: bool = True) -> list[Flight]:
        """Legs; `destination`: those that landed in that country or are predicted to have."""
        from removalwatch.store.flights import list_flights
        return list_flights(self.engine, candidates_only=candidates_only, month=month, source=source,
                            destination=destination, limit=limit, after_id=after_id, tracks=tracks)

    def flight(self, flight_id: int) -> Flight | None:
        from removalwatch.store.flights import get_flight
        return get_flight(self.engine, flight_id)

    def missions(self, *, candidates_only: bool = False, month: str | None = None, keys=None,
                 limit: int | None = None) -> list[Mission]:
        from removalwatch.store.flights import list_missions
        return list_missions(self.engine, candidates_only=candidates_only, month=month, keys=keys, limit=limit)

    def sightings(self, *, limit: int | None = None):
        from removalwatch.store.flights import list_sightings
        return list_sightings(self.engine, limit=limit)

    def flight_stats(self, month: str, *, source: str | None = None):
        """One month's legs by what they are, and removals per country, operator and staging airport."""
        from removalwatch.flights.stats import monthly_stats
        from removalwatch.store.flights import month_range
        month_range(month)  # a clear error for a bad month before any query
        legs = self.flights(month=month, source=source)
        return monthly_stats(month, legs, self.missions(keys={f.mission for f in legs if f.mission}))

    def rebuild_flights(self) -> tuple[object, int]:
        """Every leg, sighting and mission again from the position archive and the stored flight tables;
        returns what was built from positions and how many missions in all."""
        from removalwatch.flights.importer import rebuild_flights, refresh_missions
        from removalwatch.store.flights import sources
        rules = self.mission_rules()
        built = rebuild_flights(self.engine, self.home, self.watchlist, None, rules)
        others = sum(refresh_missions(self.engine, s, self.watchlist, rules) for s in sources(self.engine) if s != "adsb")
        return built, built.missions + others

    def mission_rules(self):
        from removalwatch.flights.classify import user_third_countries
        from removalwatch.flights.missions import MissionRules
        return MissionRules(extra_third=user_third_countries(self.home))

    # --- people and their reviews

    def add_user(self, name: str, password: str, role: str):
        from removalwatch.store.reviews import record_action
        from removalwatch.store.users import add_user
        user = add_user(self.engine, name, password, role)
        record_action(self.engine, "cli", "users.add", f"user:{name}", {"role": role})
        return user

    def users(self):
        from removalwatch.store.users import list_users
        return list_users(self.engine)

    def create_token(self, user_name: str, label: str) -> str:
        from removalwatch.store.reviews import record_action
        from removalwatch.store.users import create_token
        token = create_token(self.engine, user_name, label)
        record_action(self.engine, "cli", "tokens.create", f"user:{user_name}", {"label": label})
        return token

    def reviews(self, **filters):
        from removalwatch.store.reviews import read_reviews
        return read_reviews(self.engine, **filters)

    def review(self, reviewer: str, kind: str, item_id, verdict: str, *, corrected: dict | None = None,
               note: str | None = None):
        """Record a person's decision on a statement, a claim (by id) or a link ((event id, flight id)),
        with its audit entry; the document's extraction is rewritten with it at once."""
        from removalwatch.reviewing import review
        return review(self, reviewer, kind, item_id, verdict, corrected=corrected or {}, note=note)

    def audit(self, *, item: str | None = None, limit: int = 100, before_id: int | None = None):
        from removalwatch.store.reviews import audit_entries
        return audit_entries(self.engine, item=item, limit=limit, before_id=before_id)

    # --- alerts

    def alerts(self, *, limit: int | None = None):
        from removalwatch.store.outbox import read_alerts
        return read_alerts(self.engine, limit=limit)

    def deliver_alerts(self, *, lease_seconds: float = 60.0):
        from removalwatch.alerts.deliver import deliver_due
        return deliver_due(self.engine, self.alert_rules(), self.home, lease_seconds=lease_seconds)
