"""The JSON API under /api/v1 (read-only so far): documents, events with their voices, country
dossiers, flights, links and alerts, with filters and cursor pagination, and its OpenAPI document
at /api/v1/openapi.json. Every answer carries security headers; report text is data, never markup.
"""

from __future__ import annotations

import base64
import dataclasses
import json

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from removalwatch import __version__
from removalwatch.core import RemovalWatch

PAGE = 100
MAX_ID = 2 ** 31 - 1  # ids are 32-bit integers in PostgreSQL (the smaller store): a larger number names nothing
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _plain(value):
    """Dataclasses and pydantic values as JSON-ready data."""
    if dataclasses.is_dataclass(value):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _cursor(value: str | None) -> int | None:
    """The opaque cursor a page gave: the last id it held."""
    if value is None:
        return None
    try:
        after = int(json.loads(base64.urlsafe_b64decode(value.encode()))["after"])
    except (ValueError, KeyError, TypeError):
        raise HTTPException(400, "cursor: not a cursor this API gave") from None
    if not 0 <= after <= MAX_ID:
        raise HTTPException(400, "cursor: not a cursor this API gave")
    return after


def _page(items: list, limit: int, key) -> dict:
    more = len(items) > limit
    items = items[:limit]
    nxt = base64.urlsafe_b64encode(json.dumps({"after": key(items[-1])}).encode()).decode() if more else None
    return {"items": _plain(items), "next_cursor": nxt}


def create_app(rw: RemovalWatch) -> FastAPI:
    app = FastAPI(title="RemovalWatch", version=__version__, openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None)
    api = APIRouter(prefix="/api/v1")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(HEADERS)
        return response

    @api.get("/documents", summary="Stored reports, with how many statements and claims each has")
    def documents(limit: int = Query(PAGE, ge=1, le=1000), cursor: str | None = None):
        return _page(rw.documents(after_id=_cursor(cursor), limit=limit + 1), limit, lambda d: d.id)

    @api.get("/events", summary="Events: the claims of many reports about one flight, agreement, ruling ...")
    def events(country: str | None = Query(None, min_length=2, max_length=2), contested: bool = False,
               type: str | None = None, limit: int = Query(PAGE, ge=1, le=1000), cursor: str | None = None):
        found = rw.events(country=country.upper() if country else None, contested=contested,
                          types=[type] if type else None, after_id=_cursor(cursor), limit=limit + 1)
        return _page(found, limit, lambda e: e.id)

    @api.get("/events/{event_id}", summary="One event with every voice on it")
    def event(event_id: int = Path(ge=1, le=MAX_ID)):
        found = rw.events(ids=[event_id])
        if not found:
            raise HTTPException(404, f"no event {event_id}")
        return {"event": _plain(found[0]), "voices": _plain(rw.voices(found).get(event_id, []))}

    @api.get("/countries/{code}", summary="A country's dossier: status, events, voices, flights, links, timeline")
    def country(code: str):
        import pycountry
        code = code.upper()
        if code != "XK" and not pycountry.countries.get(alpha_2=code):
            raise HTTPException(404, f"{code!r} is not an ISO 3166 country code")
        dossier = rw.country(code)
        return {"country": dossier.country, "name": dossier.name, "status": dossier.status,
                "status_reasons": dossier.status_reasons, "events": _plain(dossier.events),
                "flights": [f.model_dump(mode="json", exclude={"track"}) for f in dossier.flights],
                "links": [{"event": link.event.id, "flight": link.flight.id, "score": link.score,
                           "reasons": link.reasons, "third_country": link.third_country} for link in dossier.links],
                "contradictions": [{"event": c.event.id, "supporting": _plain(c.supporting),
                                    "opposing": _plain(c.opposing)} for c in dossier.contradictions],
                "timeline": _plain(dossier.timeline)}

    @api.get("/flights", summary="Flight legs (removal candidates only with candidates=true)")
    def flights(candidates: bool = False, limit: int = Query(PAGE, ge=1, le=1000), cursor: str | None = None):
        found = rw.flights(candidates_only=candidates, after_id=_cursor(cursor) or 0, limit=limit + 1)
        page = _page(found, limit, lambda f: f.id)
        for item in page["items"]:
            item.pop("track", None)  # a leg's track is in /flights/{id}
        return page

    @api.get("/flights/{flight_id}", summary="One leg with its simplified track")
    def flight(flight_id: int = Path(ge=1, le=MAX_ID)):
        from removalwatch.store.flights import get_flight
        found = get_flight(rw.engine, flight_id)
        if found is None:
            raise HTTPException(404, f"no flight {flight_id}")
        return found.model_dump(mode="json")

    @api.get("/links", summary="Reported removal flights and the observed flights that may be the same")
    def links():
        return [{"event": link.event.id, "flight": link.flight.id, "score": link.score, "reasons": link.reasons,
                 "third_country": link.third_country} for link in rw.links()]

    @api.get("/alerts", summary="The latest alerts and how their deliveries stand")
    def alerts(limit: int = Query(50, ge=1, le=1000)):
        return [{"id": a.id, **a.alert.model_dump(mode="json"), "deliveries": a.deliveries}
                for a in rw.alerts(limit=limit)]

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=HEADERS)

    app.include_router(api)
    return app
