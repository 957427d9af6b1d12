"""What goes into a packet: the events with every statement, the flights with their maps and the
hashes of their position files, the contradictions, the sources, and how it was made."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from removalwatch import __version__
from removalwatch.domain import Flight
from removalwatch.errors import InputError
from removalwatch.evidence.dossier import Contradiction, build_dossier, contradiction
from removalwatch.evidence.links import FlightLink, destination_of, link_events_to_flights
from removalwatch.evidence.review import link_item
from removalwatch.flights.archive import files_with, positions_dir
from removalwatch.packets.basemap import track_map
from removalwatch.reports.extract import engine_version
from removalwatch.store.events import StoredEvent, Voice, read_events, read_voices
from removalwatch.store.extractions import all_claims
from removalwatch.store.flights import get_flight, list_flights
from removalwatch.store.records import StoredStatement
from removalwatch.store.reviews import read_reviews

QUOTES_PER_VOICE = 12  # an event reported a thousand times lists each voice's first quotations, then a count


@dataclass(frozen=True)
class PacketVoice:
    voice: Voice
    statements: list[StoredStatement]  # the first QUOTES_PER_VOICE, in report order
    more: int                          # how many more the store holds


@dataclass(frozen=True)
class PacketEvent:
    event: StoredEvent
    voices: list[PacketVoice]
    contradiction: Contradiction | None
    claim_only: str | None = None  # a claim in no event: why


@dataclass(frozen=True)
class PacketFlight:
    flight: Flight
    map_png: bytes | None
    position_files: list[tuple[str, str]]  # (file in the archive, sha256)
    links: list[FlightLink]


@dataclass(frozen=True)
class Source:
    title: str | None
    published: dt.date | None
    location: str | None
    sha256: str


@dataclass(frozen=True)
class Packet:
    title: str
    scope: str
    made_at: dt.datetime
    version: str
    engine: str
    status: str | None
    status_reasons: list[str]
    events: list[PacketEvent]
    flights: list[PacketFlight]
    sources: list[Source]
    reviewed_only: bool
    left_out: int = 0  # machine-extracted statements left out by reviewed_only
    notes: list[str] = field(default_factory=list)
    reviewed: dict[int, str] = field(default_factory=dict)  # statement id → "confirmed by rita, 2026-11-30"


def country_packet(engine: Engine, home: Path, country: str, *, reviewed_only: bool = False) -> Packet:
    events = read_events(engine, country=country, with_statements=True)
    voices = read_voices(engine, [e.id for e in events])
    dossier = build_dossier(country, events, voices, list_flights(engine, candidates_only=True))
    if dossier.empty:
        raise InputError("--country", f"no evidence about {dossier.name} ({country}) in the store: no report "
                                      "names it in a claim and no removal-candidate flight went there")
    # the status rests on machine-extracted statements: with --reviewed-only it is left out with them
    status, reasons = (None, []) if reviewed_only else (dossier.status, dossier.status_reasons)
    return _packet(engine, home, f"{dossier.name} ({country})", f"country {country}", events, voices, dossier.flights,
                   dossier.links, status, reasons, reviewed_only)


def flight_packet(engine: Engine, home: Path, flight_id: int, *, reviewed_only: bool = False) -> Packet:
    flight = get_flight(engine, flight_id)
    if flight is None:
        raise InputError("--flight", f"no flight with id {flight_id} (see `removalwatch flights list --legs`)")
    destination, _ = destination_of(flight)
    candidates = read_events(engine, types=["removal_flight"], country=destination) if destination else []
    links = link_events_to_flights(candidates, [flight])
    events = read_events(engine, ids=[link.event.id for link in links], with_statements=True) if links else []
    name = f"flight {flight.callsign or flight.icao24} on {flight.first_seen:%Y-%m-%d}"
    return _packet(engine, home, name, f"flight {flight_id}", events, read_voices(engine, [e.id for e in events]),
                   [flight], links, None, [], reviewed_only)


def claim_packet(engine: Engine, home: Path, claim_id: int, *, reviewed_only: bool = False) -> Packet:
    found = all_claims(engine, claim_id)
    if not found:
        raise InputError("--claim", f"no claim with id {claim_id} (see `removalwatch claims`)")
    claim = found[0]
    if claim.event_id is not None:
        events = read_events(engine, ids=[claim.event_id], with_statements=True)
        voices = read_voices(engine, [claim.event_id])
        flights = list_flights(engine, candidates_only=True)
        links = link_events_to_flights(events, flights)
        return _packet(engine, home, f"claim {claim_id} and its event", f"claim {claim_id}", events, voices,
                       [link.flight for link in links], links, None, [], reviewed_only)
    # a claim in no event stands alone, with its own statements
    alone = StoredEvent(0, claim.type, "", [], claim.document_published, claim.document_published, claim.attributes,
                        "reported", 1, 1, 0, 0, False, claim.statements)
    return _packet(engine, home, f"claim {claim_id}", f"claim {claim_id}", [alone], {0: _voices_of(claim.statements)}, [], [],
                   None, [], reviewed_only, claim_only=claim.unresolved)


def _voices_of(statements: list[StoredStatement]) -> list[Voice]:
    groups: dict[tuple, list[StoredStatement]] = {}
    for s in statements:
        groups.setdefault((s.speaker, s.speaker_country, s.stance), []).append(s)
    return [Voice(0, speaker, country, stance, len(said), len({s.document_id for s in said}), said[0], said[-1])
            for (speaker, country, stance), said in groups.items()]


def _packet(engine: Engine, home: Path, title: str, scope: str, events: list[StoredEvent], voices: dict[int, list[Voice]],
            flights: list[Flight], links: list[FlightLink], status: str | None, reasons: list[str],
            reviewed_only: bool, *, claim_only: str | None = None) -> Packet:
    packet_events, left_out, sources = [], 0, {}
    reviews = read_reviews(engine)
    if reviewed_only:  # only what a person confirmed or corrected: statements, and the links between events and flights
        accepted = {item for item, r in reviews.items() if r.verdict != "rejected"}
        kept = []
        for event in events:
            said = [s for s in event.statements if s.item in accepted]
            left_out += len(event.statements) - len(said)
            if said:
                kept.append(dataclasses.replace(event, statements=said))
                voices = {**voices, event.id: _voices_of(said)}
        events = kept
        links = [lk for lk in links if link_item(lk.event.type, lk.event.key, lk.flight.source, lk.flight.leg_key)
                 in accepted]
    for event in events:
        listed = []
        for voice in voices.get(event.id, []):
            said = [s for s in event.statements
                    if (s.speaker, s.speaker_country, s.stance) == (voice.speaker, voice.speaker_country, voice.stance)]
            for s in said:
                sources[s.document_sha256] = Source(s.document_title, s.document_published, s.document_source,
                                                    s.document_sha256)
            listed.append(PacketVoice(voice, said[:QUOTES_PER_VOICE], max(0, len(said) - QUOTES_PER_VOICE)))
        packet_events.append(PacketEvent(event, listed, contradiction(event, voices.get(event.id, [])), claim_only))
    packet_flights = [PacketFlight(f, _map(f), _position_files(home, f), [lk for lk in links if lk.flight.id == f.id])
                      for f in flights]
    notes = []
    if reviewed_only:
        notes.append(f"--reviewed-only: {left_out} statements no person confirmed or corrected are left out, with "
                     "the events only they spoke of, the links no person confirmed, and the status read from them.")
    return Packet(title, scope, dt.datetime.now(dt.timezone.utc).replace(microsecond=0), __version__, engine_version(),
                  status, reasons, packet_events, packet_flights,
                  sorted(sources.values(), key=lambda s: (s.published or dt.date.min, s.title or "")),
                  reviewed_only, left_out, notes, _marks(events, reviews))


def _marks(events: list[StoredEvent], reviews: dict) -> dict[int, str]:
    marks = {}
    for event in events:
        for s in event.statements:
            review = reviews.get(s.item)
            if review:
                marks[s.id] = f"{review.verdict} by {review.reviewer}, {review.reviewed:%Y-%m-%d}"
    return marks


def _map(flight: Flight) -> bytes | None:
    points = [(lat, lon) for _, lat, lon, _ in flight.track]
    if not points and flight.first_fix and flight.last_fix:
        points = [(flight.first_fix.lat, flight.first_fix.lon), (flight.last_fix.lat, flight.last_fix.lon)]
    return track_map(points, landed=flight.landing_observed) if points else None


def _position_files(home: Path, flight: Flight) -> list[tuple[str, str]]:
    if flight.source != "adsb" or not flight.icao24:
        return []
    root = positions_dir(home)
    return [(str(path.relative_to(root)), hashlib.sha256(path.read_bytes()).hexdigest())
            for path in files_with(home, flight.icao24, flight.first_seen, flight.last_seen)]
