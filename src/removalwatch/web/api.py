"""The JSON API under /api/v1: documents, statements, claims, events, country dossiers, flights,
links, alerts and search, with filters and cursor pagination; exports as CSV, GeoJSON and KML;
reviews (reviewers) and the audit log. Its OpenAPI document is /api/v1/openapi.json.

Reading needs a signed-in viewer, or nobody when the server allows anonymous viewing; writing needs
a reviewer, by API token (`Authorization: Bearer rw_...`) or by session cookie with the session's
CSRF token in `X-CSRF-Token`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Literal

import pycountry
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator

from removalwatch.domain import CLAIM_TYPES, Stance
from removalwatch.errors import InputError
from removalwatch.jsondata import plain
from removalwatch.web.auth import check_csrf, require

PAGE = 100
MAX_ID = 2 ** 31 - 1  # ids are 32-bit integers in PostgreSQL (the smaller store): a larger number names nothing


def viewer(request: Request) -> None:
    require(request, "viewer")


router = APIRouter(prefix="/api/v1", dependencies=[Depends(viewer)])


def _cursor(value: str | None) -> int | None:
    """The opaque cursor a page gave: the last id it held."""
    if value is None:
        return None
    try:
        after = int(json.loads(base64.urlsafe_b64decode(value.encode()))["after"])
    except (ValueError, KeyError, TypeError, OverflowError):
        raise HTTPException(400, "cursor: not a cursor this API gave") from None
    if not 0 <= after <= MAX_ID:
        raise HTTPException(400, "cursor: not a cursor this API gave")
    return after


def _page(items: list, limit: int, key) -> dict:
    more = len(items) > limit
    items = items[:limit]
    nxt = base64.urlsafe_b64encode(json.dumps({"after": key(items[-1])}).encode()).decode() if more else None
    return {"items": plain(items), "next_cursor": nxt}


def country_code(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.upper()
    if code != "XK" and not pycountry.countries.get(alpha_2=code):
        raise HTTPException(404, f"{code!r} is not an ISO 3166 country code")
    return code


def _rw(request: Request):
    return request.app.state.rw


def _answer(request: Request, compute, media_type: str = "application/json") -> Response:
    """compute()'s JSON, through the app's answer cache (the same for every reader)."""
    key = f"{request.url.path}?{request.url.query}"
    return Response(request.app.state.answers.get(key, lambda: json.dumps(compute()).encode()), media_type=media_type)


Limit = Query(PAGE, ge=1, le=1000)
CountryCode = Query(None, min_length=2, max_length=2, description="ISO 3166 code, e.g. LY")
Since = Query(None, description="from this day (YYYY-MM-DD)")
Until = Query(None, description="to this day (YYYY-MM-DD)")
Reviewed = Query(None, description="true: only what a person reviewed; false: only what no one has")


@router.get("/documents", summary="Stored reports, with how many statements and claims each has")
def documents(request: Request, limit: int = Limit, cursor: str | None = None):
    return _answer(request, lambda: _page(_rw(request).documents(after_id=_cursor(cursor), limit=limit + 1), limit,
                                          lambda d: d.id))


@router.get("/documents/{document_id}", summary="One report: its text, statements, claims and reviews")
def document(request: Request, document_id: int = Path(ge=1, le=MAX_ID)):
    rw = _rw(request)
    doc = rw.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return _answer(request, lambda: {
        "document": plain(doc), "statements": plain(rw.statements(document_id=document_id)),
        "claims": plain(rw.claims(document_id=document_id)),
        "reviews": plain(list(rw.reviews(document_id=document_id).values()))})


def _statements(request, country, stance, since, until, reviewed, document, limit, cursor=None):
    return _rw(request).statements(country=country_code(country), stance=stance, since=since, until=until,
                                   reviewed=reviewed, document_id=document, after_id=_cursor(cursor), limit=limit)


@router.get("/statements", summary="Statements: who said what, with stance, source and character span")
def statements(request: Request, country: str | None = CountryCode, stance: Stance | None = None,
               since: dt.date | None = Since, until: dt.date | None = Until, reviewed: bool | None = Reviewed,
               document: int | None = Query(None, ge=1, le=MAX_ID), limit: int = Limit, cursor: str | None = None):
    return _answer(request, lambda: _page(
        _statements(request, country, stance, since, until, reviewed, document, limit + 1, cursor), limit, lambda s: s.id))


def _claims(request, country, type, status, since, until, reviewed, document, limit, cursor=None):
    return _rw(request).claims(country=country_code(country), types=[type] if type else None, status=status,
                               since=since, until=until, reviewed=reviewed, document_id=document,
                               after_id=_cursor(cursor), limit=limit)


ClaimType = Literal[CLAIM_TYPES]  # type: ignore[valid-type]


@router.get("/claims", summary="Claims (removal flights, agreements, rulings ...) with the statements making them")
def claims(request: Request, country: str | None = CountryCode, type: ClaimType | None = None,
           status: str | None = Query(None, max_length=32), since: dt.date | None = Since,
           until: dt.date | None = Until, reviewed: bool | None = Reviewed,
           document: int | None = Query(None, ge=1, le=MAX_ID), limit: int = Limit, cursor: str | None = None):
    return _answer(request, lambda: _page(
        _claims(request, country, type, status, since, until, reviewed, document, limit + 1, cursor), limit, lambda c: c.id))


@router.get("/events", summary="Events: the claims of many reports about one flight, agreement, ruling ...")
def events(request: Request, country: str | None = CountryCode, contested: bool = False, type: ClaimType | None = None,
           limit: int = Limit, cursor: str | None = None):
    return _answer(request, lambda: _page(_rw(request).events(
        country=country_code(country), contested=contested, types=[type] if type else None, after_id=_cursor(cursor),
        limit=limit + 1), limit, lambda e: e.id))


@router.get("/events/{event_id}", summary="One event with every voice on it")
def event(request: Request, event_id: int = Path(ge=1, le=MAX_ID)):
    rw = _rw(request)
    found = rw.events(ids=[event_id])
    if not found:
        raise HTTPException(404, f"no event {event_id}")
    return _answer(request, lambda: {"event": plain(found[0]), "voices": plain(rw.voices(found).get(event_id, []))})


def _links(links) -> list[dict]:
    return [{"event": link.event.id, "flight": link.flight.id, "score": link.score, "reasons": link.reasons,
             "third_country": link.third_country} for link in links]


@router.get("/countries", summary="Every country the evidence names, with its status")
def countries(request: Request):
    return _answer(request, lambda: plain(_rw(request).countries()))


@router.get("/countries/{code}", summary="A country's dossier: status, events, voices, flights, links, timeline")
def country(request: Request, code: str, voices: int = Query(5, ge=1, le=1000, description="voices per event and side"),
            limit: int = Query(100, ge=1, le=10000, description="the latest flights, links and timeline entries")):
    code = country_code(code)
    return _answer(request, lambda: _dossier(_rw(request).country(code, most=voices), limit))


def _dossier(dossier, limit: int) -> dict:
    """The dossier as data; its flights, links and timeline cut to the latest `limit`, with their totals."""
    flights = sorted(dossier.flights, key=lambda f: f.first_seen)[-limit:]
    links = sorted(dossier.links, key=lambda link: link.flight.first_seen)[-limit:]
    return {"country": dossier.country, "name": dossier.name, "status": dossier.status,
            "status_reasons": dossier.status_reasons, "events": plain(dossier.events),
            "flights": [f.model_dump(mode="json", exclude={"track"}) for f in flights],
            "flights_total": len(dossier.flights), "links": _links(links), "links_total": len(dossier.links),
            "contradictions": [{"event": c.event.id, "supporting": plain(c.supporting),
                                "opposing": plain(c.opposing)} for c in dossier.contradictions],
            "timeline": plain(dossier.timeline[-limit:]), "timeline_total": len(dossier.timeline)}


@router.get("/countries/{code}/flights.geojson", summary="The removal-candidate flights to a country, as GeoJSON")
def country_geojson(request: Request, code: str):
    from removalwatch.exports.flights import flights_geojson
    code = country_code(code)
    return _answer(request, lambda: flights_geojson(_rw(request).flights(destination=code, candidates_only=True)),
                   "application/geo+json")


def _flights(request, candidates, limit, cursor, tracks=True):
    return _rw(request).flights(candidates_only=candidates, after_id=_cursor(cursor) or 0, limit=limit,
                                tracks=tracks)


@router.get("/flights", summary="Flight legs (removal candidates only with candidates=true)")
def flights(request: Request, candidates: bool = False, limit: int = Limit, cursor: str | None = None):
    def answer():
        page = _page(_flights(request, candidates, limit + 1, cursor, tracks=False), limit, lambda f: f.id)
        for item in page["items"]:
            item.pop("track", None)  # a leg's track is in /flights/{id}
        return page
    return _answer(request, answer)


@router.get("/flights/{flight_id}", summary="One leg with its simplified track")
def flight(request: Request, flight_id: int = Path(ge=1, le=MAX_ID)):
    return _answer(request, lambda: _one_flight(request, flight_id).model_dump(mode="json"))


def _one_flight(request, flight_id):
    found = _rw(request).flight(flight_id)
    if found is None:
        raise HTTPException(404, f"no flight {flight_id}")
    return found


@router.get("/flights/{flight_id}/track.geojson", summary="One leg's track as GeoJSON")
def flight_geojson(request: Request, flight_id: int = Path(ge=1, le=MAX_ID)):
    from removalwatch.exports.flights import flights_geojson
    return _answer(request, lambda: flights_geojson([_one_flight(request, flight_id)]), "application/geo+json")


@router.get("/links", summary="Reported removal flights and the observed flights that may be the same")
def links(request: Request):
    return _answer(request, lambda: _links(_rw(request).links()))


@router.get("/alerts", summary="The latest alerts and how their deliveries stand")
def alerts(request: Request, limit: int = Query(50, ge=1, le=1000)):
    return _answer(request, lambda: [{"id": a.id, **a.alert.model_dump(mode="json"), "deliveries": a.deliveries}
                                     for a in _rw(request).alerts(limit=limit)])


@router.get("/search", summary="Full-text search over reports and statements (a \"quoted phrase\" as a phrase)")
def search(request: Request, q: str = Query(min_length=1, max_length=500), limit: int = Query(20, ge=1, le=100)):
    def answer():
        found = _rw(request).search(q, limit=limit)
        return {"query": q, "documents": plain(found.documents),
                "statements": [{**plain(h.statement), "snippet": h.snippet} for h in found.statements]}
    return _answer(request, answer)


# --- exports

def _download(body: str | bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


EXPORT_LIMIT = 100_000


@router.get("/exports/flights.{fmt}", summary="Flight legs as CSV, GeoJSON or KML")
def export_flights(request: Request, fmt: Literal["csv", "geojson", "kml"], candidates: bool = False):
    from removalwatch.exports import flights as export
    found = _flights(request, candidates, EXPORT_LIMIT, None, tracks=fmt != "csv")
    if fmt == "csv":
        return _download(export.flights_csv(found), "text/csv; charset=utf-8", "flights.csv")
    if fmt == "geojson":
        return _download(json.dumps(export.flights_geojson(found)), "application/geo+json", "flights.geojson")
    return _download(export.flights_kml(found), "application/vnd.google-earth.kml+xml", "flights.kml")


@router.get("/exports/statements.csv", summary="Statements as CSV (the filters of /statements)")
def export_statements(request: Request, country: str | None = CountryCode, stance: Stance | None = None,
                      since: dt.date | None = Since, until: dt.date | None = Until,
                      reviewed: bool | None = Reviewed, document: int | None = Query(None, ge=1, le=MAX_ID)):
    from removalwatch.exports.records import statements_csv
    found = _statements(request, country, stance, since, until, reviewed, document, EXPORT_LIMIT)
    return _download(statements_csv(found), "text/csv; charset=utf-8", "statements.csv")


@router.get("/exports/claims.csv", summary="Claims as CSV (the filters of /claims)")
def export_claims(request: Request, country: str | None = CountryCode, type: ClaimType | None = None,
                  status: str | None = Query(None, max_length=32), since: dt.date | None = Since,
                  until: dt.date | None = Until, reviewed: bool | None = Reviewed,
                  document: int | None = Query(None, ge=1, le=MAX_ID)):
    from removalwatch.exports.records import claims_csv
    found = _claims(request, country, type, status, since, until, reviewed, document, EXPORT_LIMIT)
    return _download(claims_csv(found), "text/csv; charset=utf-8", "claims.csv")


# --- reviews

class ReviewIn(BaseModel):
    kind: Literal["statement", "claim", "link"]
    id: int | None = Field(None, ge=1, le=MAX_ID, description="the statement's or claim's id")
    event: int | None = Field(None, ge=1, le=MAX_ID, description="a link's event")
    flight: int | None = Field(None, ge=1, le=MAX_ID, description="a link's flight")
    verdict: Literal["confirmed", "rejected", "corrected"]
    corrected: dict[str, str | int | float | bool | list[str] | None] = {}
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def no_nul(self):
        if "\\u0000" in self.model_dump_json():
            raise ValueError("text holds a NUL character")
        return self


@router.post("/reviews", status_code=201, summary="Confirm, reject or correct a statement, claim or link (reviewers)")
def post_review(request: Request, body: ReviewIn):
    who = require(request, "reviewer")
    check_csrf(request, who, request.headers.get("x-csrf-token"))
    target = (body.event, body.flight) if body.kind == "link" else body.id
    if target is None or (body.kind == "link" and None in target):
        raise HTTPException(422, "name the item: id (statement, claim) or event and flight (link)")
    try:
        review = _rw(request).review(who.user.name, body.kind, target, body.verdict, corrected=body.corrected,
                                     note=body.note)
    except InputError as exc:
        status = 404 if exc.field == "id" else 422
        raise HTTPException(status, exc.reason) from None
    finally:
        request.app.state.answers.written()
    return {**plain(review), "conflict": review.conflict}


@router.get("/reviews", summary="Reviews, of one document or all")
def reviews(request: Request, document: int | None = Query(None, ge=1, le=MAX_ID)):
    return [{**plain(r), "conflict": r.conflict} for r in _rw(request).reviews(document_id=document).values()]


@router.get("/audit", summary="The audit log, newest first (reviewers)")
def audit(request: Request, item: str | None = Query(None, max_length=400), limit: int = Query(100, ge=1, le=1000),
          before: int | None = Query(None, ge=1, le=MAX_ID)):
    require(request, "reviewer")
    return plain(_rw(request).audit(item=item, limit=limit, before_id=before))
