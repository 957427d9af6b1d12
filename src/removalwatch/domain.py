"""The vocabulary of RemovalWatch: plain, validated values and no I/O.

Reports become Documents; extraction finds Statements (who said what, with
what stance) and Claims (what is asserted about the world: a removal flight,
an agreement, a designation, a solicitation, a court action). Flight data
becomes Positions and Flights. Evidence joins them with Links; Alerts tell
people about it. `Extraction` is the public interchange format
`removalwatch.extraction/1` (see docs/design.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

EXTRACTION_SCHEMA = "removalwatch.extraction/1"

Stance = Literal["assert", "confirm", "deny", "reject", "decline", "warn"]
Mode = Literal["direct", "indirect", "mixed"]
ActorKind = Literal[
    "government", "agency", "official", "military", "armed_group", "court", "lawyer",
    "ngo", "international_org", "company", "media", "unnamed", "other",
]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]


def _check_span(span: tuple[int, int]) -> tuple[int, int]:
    if not 0 <= span[0] <= span[1]:
        raise ValueError(f"span {list(span)} must satisfy 0 <= start <= end")
    return span


Span = Annotated[tuple[int, int], AfterValidator(_check_span)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_Value):
    """One report as stored: the text every span indexes into, and where it came from."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    text: str
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    source: str | None = Field(None, description="URL or file path the text was read from")
    content_type: str = "text/plain"
    id: int | None = None


class Actor(_Value):
    """A speaker as the text names it, after resolving pronouns and role nouns."""

    name: str
    kind: ActorKind = "other"
    country: Country | None = None
    anonymous: bool = False
    span: Span | None = Field(None, description="the mention in the text, before resolution")


class Statement(_Value):
    id: str
    speaker: Actor
    cue: str | None
    mode: Mode
    content: str
    stance: Stance
    claims: list[str] = []
    span: Span
    cue_span: Span | None = None
    content_span: Span | None = None


class Money(_Value):
    amount: float
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class _Claim(_Value):
    id: str
    span: Span


class RemovalFlightClaim(_Claim):
    type: Literal["removal_flight"] = "removal_flight"
    status: Literal["planned", "under_way", "completed", "cancelled", "blocked"]
    origin: Country | None = None
    destination: Country | None = None
    aircraft: Literal["military", "charter", "commercial"] | None = None
    when: str | None = None
    when_dates: tuple[dt.date, dt.date] | None = Field(
        None, description="first and last day `when` covers, resolved against the publication date")
    people: int | None = None
    nationalities: list[Country] = []


class AgreementClaim(_Claim):
    type: Literal["agreement"] = "agreement"
    parties: list[Country]
    purpose: Literal["reception", "detention", "transit", "safe_third_country", "other"] = "other"
    status: Literal["reported", "confirmed", "denied", "rejected", "proposed"] = "reported"
    value: Money | None = None
    people_cap: int | None = None

    @field_validator("parties")
    @classmethod
    def _sorted_parties(cls, v: list[str]) -> list[str]:
        return sorted(set(v))


class DesignationClaim(_Claim):
    type: Literal["designation"] = "designation"
    subject: str
    label: str
    by: Country | None = None


class SolicitationClaim(_Claim):
    type: Literal["solicitation"] = "solicitation"
    by: Country


class CourtActionClaim(_Claim):
    type: Literal["court_action"] = "court_action"
    court: str | None = None
    effect: Literal["blocks", "allows", "orders", "warns"]
    subject: str | None = None


Claim = Annotated[
    Union[RemovalFlightClaim, AgreementClaim, DesignationClaim, SolicitationClaim, CourtActionClaim],
    Field(discriminator="type"),
]
CLAIM_TYPES = ("removal_flight", "agreement", "designation", "solicitation", "court_action")


class DocumentRef(_Value):
    sha256: str
    title: str | None = None
    published: dt.date | None = None


class Extraction(_Value):
    """One document's statements and claims, in the public format."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["removalwatch.extraction/1"] = Field(EXTRACTION_SCHEMA, alias="schema")
    document: DocumentRef
    statements: list[Statement] = []
    claims: list[Claim] = []

    @model_validator(mode="after")
    def _links_resolve(self) -> "Extraction":
        ids = {c.id for c in self.claims}
        for s in self.statements:
            missing = [c for c in s.claims if c not in ids]
            if missing:
                raise ValueError(f"statement {s.id} links to unknown claims {missing}")
        return self

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class Position(_Value):
    """One observed state of an aircraft (the common schema of every flight reader)."""

    icao24: str = Field(pattern=r"^[0-9a-f]{6}$")
    time: dt.datetime
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    altitude_ft: float | None = None
    ground_speed_kt: float | None = None
    track: float | None = None
    vertical_rate_fpm: float | None = None
    callsign: str | None = None
    squawk: str | None = None
    on_ground: bool | None = None
    source: str | None = None


class Airport(_Value):
    icao: str
    iata: str | None = None
    name: str
    country: Country
    lat: float
    lon: float


class PredictedDestination(_Value):
    airport: str
    country: Country
    score: float = Field(ge=0, le=1)


# How an end of a flight is known. observed: on the ground, or low near the field; extrapolated:
# climbing out of (or descending towards) a field when coverage starts (or ends); inferred: from
# the aircraft's previous or next leg; predicted: from the course when coverage ended; reported:
# listed in a flight table, not observed.
Basis = Literal["observed", "extrapolated", "inferred", "predicted", "reported"]

# What a leg is within the aircraft's day: see flights/missions.py.
Role = Literal["outbound", "onward", "return", "positioning", "domestic", "shuttle", "charter", "abroad", "unknown"]


class TrackPoint(_Value):
    """One side of a gap: where the aircraft was, how high, climbing or descending."""

    time: dt.datetime
    lat: float
    lon: float
    altitude_ft: float | None = None
    vertical_rate_fpm: float | None = None
    ground_speed_kt: float | None = None
    track: float | None = None


class Reach(_Value):
    """Airports the aircraft could have landed at during a gap, for one assumed ground time."""

    ground_hours: float
    airports: int
    countries: list[Country]
    nearest: list[str] = Field([], description="a few of the airports, nearest first")


class Gap(_Value):
    """A stretch of the track with no position: where it opened and closed, and what fits in it.

    `kind`: in flight (both sides airborne, inside one leg), after last fix (coverage ended and the
    aircraft was next seen at `closed`, or never again when `closed` is None)."""

    kind: Literal["in flight", "after last fix"]
    opened: TrackPoint
    closed: TrackPoint | None = None
    seconds: float | None = None
    landing_possible: bool = True
    descent_reach: Reach | None = Field(None, description="where a descent under way when coverage ended can end")
    envelope: list[Reach] = Field([], description="airports reachable in the gap, per assumed ground time")
    summary: str = ""


# A leg or mission with at least this removal score is a removal candidate (flights/classify.py says
# how the score is made); every list, link, dossier and alert uses this one threshold.
REMOVAL_CANDIDATE_SCORE = 0.5


class Flight(_Value):
    """One leg of one aircraft: from takeoff (or first seen) to landing (or last seen).

    Each end says how it is known (`takeoff_basis`, `landing_basis`) and why (`*_evidence`);
    `landing_observed` is true only for an observed landing. A leg whose landing was not seen is
    kept, with ranked `predicted` destinations and the `gaps` that follow it."""

    id: int | None = None
    icao24: str
    callsign: str | None = None
    registration: str | None = None
    operator: str | None = None
    first_seen: dt.datetime
    last_seen: dt.datetime
    time_known: bool = Field(True, description="false for a table row that gives only the date")
    local_day: dt.date | None = Field(None, description="departure day in the departure airport's time zone")
    takeoff_airport: str | None = None
    takeoff_time: dt.datetime | None = None
    takeoff_basis: Basis | None = None
    takeoff_confidence: float = Field(0.0, ge=0, le=1)
    takeoff_evidence: str | None = None
    landing_airport: str | None = None
    landing_time: dt.datetime | None = None
    landing_basis: Basis | None = None
    landing_confidence: float = Field(0.0, ge=0, le=1)
    landing_evidence: str | None = None
    landing_observed: bool = False
    origin_country: Country | None = None
    destination_country: Country | None = None
    predicted: list[PredictedDestination] = []
    first_fix: TrackPoint | None = Field(None, description="first airborne position (for the gap before it)")
    last_fix: TrackPoint | None = Field(None, description="last airborne position (for the gap after it)")
    gaps: list[Gap] = []
    role: Role = "unknown"
    mission: str | None = Field(None, description="key of the mission this leg belongs to")
    removal_score: float = Field(0.0, ge=0, le=1)
    reasons: list[str] = []
    third_country: bool = False
    positions: int = 0
    track: list[tuple[float, float, float, float | None]] = Field(
        [], description="simplified track: [epoch seconds, lat, lon, altitude ft]")
    source: str = "adsb"
    leg_key: str = Field("", description="what makes two rows the same leg (aircraft, time, both airports)")


class Stop(_Value):
    """Where a mission came down between legs, or ended."""

    airport: str | None
    country: Country | None
    kind: Literal["technical stop", "destination"]
    basis: Basis
    arrived: dt.datetime | None = None
    departed: dt.datetime | None = None
    why: str = ""


class Mission(_Value):
    """The legs of one aircraft from leaving the US to coming back (or to where it was last seen):
    where it started, technical stops, the destinations where people were left, the return.

    The removal score and the third-country flag belong to the mission and its destinations,
    never to a fuel stop; see flights/classify.py for the score."""

    key: str
    icao24: str
    registration: str | None = None
    operator: str | None = None
    callsigns: list[str] = []
    start: dt.datetime
    end: dt.datetime
    local_day: dt.date | None = None
    departure_airport: str | None = None
    from_staging_airport: bool = False
    kind: Literal["removal pattern", "shuttle", "charter", "started abroad"] = "removal pattern"
    stops: list[Stop] = []
    returned_to: str | None = None
    status: str = ""
    candidate: bool = False
    removal_score: float = Field(0.0, ge=0, le=1)
    reasons: list[str] = []
    third_country: bool = False
    third_country_reasons: list[str] = []
    legs: list[Flight] = []
    source: str = "adsb"

    @property
    def destinations(self) -> list[Stop]:
        return [s for s in self.stops if s.kind == "destination"]

    @property
    def technical_stops(self) -> list[Stop]:
        return [s for s in self.stops if s.kind == "technical stop"]


class Sighting(_Value):
    """An aircraft seen where no flight could be built: too few positions, or only on the ground."""

    icao24: str
    registration: str | None = None
    callsign: str | None = None
    first_seen: dt.datetime
    last_seen: dt.datetime
    positions: int
    lat: float
    lon: float
    altitude_ft: float | None = None
    on_ground: bool = False
    airport: str | None = Field(None, description="the field it was at or over, when near one and low")
    source: str = "adsb"


class Link(_Value):
    """Evidence that a claim and a flight are about the same event, with why."""

    claim_id: int
    flight_id: int
    score: float = Field(ge=0, le=1)
    reasons: list[str] = []


class Alert(_Value):
    """Something the people who must act should hear about, once: `key` names the event it is about,
    so the same event never alerts twice, and deliveries carry it as their idempotency key."""

    key: str = Field(max_length=200)
    rule: str
    kind: str
    subject: str
    body: str
    created: dt.datetime
    country: Country | None = None
    evidence: dict = Field({}, description="what the alert rests on: flight, event, statements, sources, reasons")
    commands: list[str] = Field([], description="the commands that show the dossier and write the packet")
