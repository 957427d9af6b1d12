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


class Flight(_Value):
    """One flight of one aircraft: from takeoff (or first seen) to landing (or last seen).

    `landing_observed` False means the end was not seen ("landing not observed"): the flight is
    kept, with `predicted` destinations ranked from its last course."""

    icao24: str
    callsign: str | None = None
    registration: str | None = None
    operator: str | None = None
    first_seen: dt.datetime
    last_seen: dt.datetime
    takeoff_airport: str | None = None
    takeoff_time: dt.datetime | None = None
    landing_airport: str | None = None
    landing_time: dt.datetime | None = None
    landing_observed: bool = False
    airport_confidence: float | None = Field(None, ge=0, le=1)
    origin_country: Country | None = None
    destination_country: Country | None = None
    predicted: list[PredictedDestination] = []
    removal_score: float = Field(0.0, ge=0, le=1)
    reasons: list[str] = []
    third_country: bool = False
    positions: int = 0
    track: list[tuple[float, float, float, float | None]] = Field(
        [], description="simplified track: [epoch seconds, lat, lon, altitude ft]")
    source: str = "adsb"


class Link(_Value):
    """Evidence that a claim and a flight are about the same event, with why."""

    claim_id: int
    flight_id: int
    score: float = Field(ge=0, le=1)
    reasons: list[str] = []


class Alert(_Value):
    rule: str
    subject: str
    body: str
    created: dt.datetime
    country: Country | None = None
