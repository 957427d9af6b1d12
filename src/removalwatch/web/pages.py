"""The pages: overview, country dossier, flight, document, alerts, search, sign-in, audit log.

Server-rendered (Jinja2 with autoescaping: report text is always text); every page works without
JavaScript but the map, which static/map.js draws from the API's GeoJSON. Forms post with the
session's CSRF token.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from typing import get_args
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from removalwatch.domain import Claim
from removalwatch.errors import InputError
from removalwatch.evidence.dossier import COUNTRY_STATUSES
from removalwatch.evidence.review import link_item
from removalwatch.evidence.summary import claim_summary, event_summary, reports, route
from removalwatch.store.search import MARK_END, MARK_START
from removalwatch.store.users import close_session, check_password, open_session
from removalwatch.web.api import MAX_ID, country_code
from removalwatch.web.auth import SESSION_COOKIE, caller, check_csrf, require, same_site

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(pathlib.Path(__file__).with_name("templates")))


def _highlight(snippet: str) -> Markup:
    """A search snippet: escaped, then its match marks made <mark>."""
    return Markup(str(escape(snippet)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _link(url: str | None) -> str | None:
    """A source address fit for an href: http(s) only (never javascript: and the like)."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


templates.env.filters.update(highlight=_highlight, claim_summary=claim_summary,
                             event_summary=event_summary, route=route, reports=reports)
templates.env.globals.update(statuses=COUNTRY_STATUSES, claim_statuses={
    model.model_fields["type"].default: get_args(model.model_fields["status"].annotation)
    for model in get_args(get_args(Claim)[0]) if "status" in model.model_fields})


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    who = caller(request)
    return templates.TemplateResponse(request, name, {"who": who, "tile_url": request.app.state.tile_url, **context},
                                      status_code=status_code)


def error_page(request: Request, exc: HTTPException) -> HTMLResponse:
    if exc.status_code == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    try:
        return render(request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail)
    except HTTPException:  # the caller itself could not be read (a bad token): answer plainly
        return HTMLResponse(str(escape(exc.detail)), status_code=exc.status_code)


def _rw(request: Request):
    require(request, "viewer")
    return request.app.state.rw


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    rw = _rw(request)
    candidates = rw.flights(candidates_only=True, tracks=False)
    return render(request, "overview.html", countries=rw.countries(), flights=candidates[-20:][::-1],
                  flight_count=len(candidates), alerts=rw.alerts(limit=5), documents=rw.count_documents())


@router.get("/countries/{code}", response_class=HTMLResponse)
def country(request: Request, code: str):
    rw = _rw(request)
    dossier = rw.country(country_code(code), most=3)
    link_reviews = rw.reviews(kind="link")
    return render(request, "country.html", d=dossier,
                  links=[(link, link_reviews.get(_link_item(link))) for link in dossier.links])


def _link_item(link) -> str:
    return link_item(link.event.type, link.event.key, link.flight.source, link.flight.leg_key)


@router.get("/flights/{flight_id}", response_class=HTMLResponse)
def flight(request: Request, flight_id: int = Path(ge=1, le=MAX_ID)):
    from removalwatch.flights.airports import lookup
    rw = _rw(request)
    found = rw.flight(flight_id)
    if found is None:
        raise HTTPException(404, f"no flight {flight_id}")
    link_reviews = rw.reviews(kind="link")
    links = [(link, link_reviews.get(_link_item(link))) for link in rw.links() if link.flight.id == flight_id]
    airports = {code: lookup(code) for code in (found.takeoff_airport, found.landing_airport) if code}
    return render(request, "flight.html", f=found, links=links, airports=airports)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, document_id: int = Path(ge=1, le=MAX_ID)):
    rw = _rw(request)
    doc = rw.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    statements = rw.statements(document_id=document_id)
    claims = rw.claims(document_id=document_id)
    reviews = rw.reviews(document_id=document_id)
    shown = {s.item for s in statements} | {c.item for c in claims}
    return render(request, "document.html", doc=doc, source=_link(doc.source), pieces=_pieces(doc.text, statements),
                  statements=[(s, reviews.get(s.item)) for s in statements],
                  claims=[(c, reviews.get(c.item)) for c in claims],
                  unmatched=[r for item, r in reviews.items() if item not in shown])


@dataclass
class Piece:
    """A stretch of the text between two statement boundaries, and the statements over it."""

    text: str
    over: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    ends: list = field(default_factory=list)


def _pieces(text: str, statements) -> list[Piece]:
    """The text cut at every statement's start and end, so overlapping statements (two speakers in
    one sentence) are each highlighted and labelled."""
    cuts = sorted({0, len(text)} | {i for s in statements for i in s.span if 0 <= i <= len(text)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        over = [s for s in statements if s.span[0] <= start and end <= s.span[1]]
        pieces.append(Piece(text[start:end], over, [s for s in over if s.span[0] == start],
                            [s for s in over if s.span[1] == end]))
    return pieces


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request):
    return render(request, "alerts.html", alerts=_rw(request).alerts(limit=200))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = ""):
    q = q[:500]
    results = _rw(request).search(q, limit=50) if q.strip() else None
    return render(request, "search.html", q=q, results=results)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, item: str | None = None):
    require(request, "reviewer")
    return render(request, "audit.html", entries=request.app.state.rw.audit(item=item, limit=200), item=item)


# --- signing in and reviewing

def _no_nul(**fields) -> None:
    """No stored text holds a NUL character (PostgreSQL refuses one): a form field with one is refused."""
    for name, value in fields.items():
        if value and "\x00" in value:
            raise HTTPException(400, f"{name}: holds a NUL character")


def _local(path: str | None) -> str:
    """Where to go after a form: a path on this site, never elsewhere."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=_local(next), failed=None)


@router.post("/login")
def login(request: Request, name: str = Form(max_length=100), password: str = Form(max_length=1000),
          next: str = Form("/")):
    _no_nul(name=name, next=next)
    same_site(request)  # no other site signs a visitor in as someone else
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "?"
    wait = limiter.wait(address, name)
    if wait:
        raise HTTPException(429, f"too many failed sign-ins: try again in {int(wait // 60) + 1} minutes",
                            headers={"Retry-After": str(int(wait) + 1)})
    with limiter.checking:
        user = check_password(request.app.state.rw.engine, name, password)
    if user is None:
        limiter.failed(address, name)
        return render(request, "login.html", 401, next=_local(next), failed=name)
    limiter.succeeded(address, name)
    if request.cookies.get(SESSION_COOKIE):
        close_session(request.app.state.rw.engine, request.cookies[SESSION_COOKIE])
    token, _ = open_session(request.app.state.rw.engine, user)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        max_age=12 * 3600)
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):
    who = caller(request)
    if who.user is not None and not who.by_token:
        check_csrf(request, who, csrf)
        close_session(request.app.state.rw.engine, request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/review")
def review(request: Request, kind: str = Form(max_length=16), verdict: str = Form(max_length=16),
           id: int | None = Form(None, ge=1, le=MAX_ID), event: int | None = Form(None, ge=1, le=MAX_ID),
           flight: int | None = Form(None, ge=1, le=MAX_ID), stance: str | None = Form(None, max_length=16),
           status: str | None = Form(None, max_length=32), note: str | None = Form(None, max_length=2000),
           csrf: str = Form(""), next: str = Form("/")):
    who = require(request, "reviewer")
    check_csrf(request, who, csrf)
    _no_nul(kind=kind, verdict=verdict, stance=stance, status=status, note=note, next=next)
    corrected = {k: v for k, v in (("stance", stance), ("status", status)) if v}
    if corrected:
        verdict = "corrected"
    target = (event, flight) if kind == "link" else id
    try:
        request.app.state.rw.review(who.user.name, kind, target, verdict, corrected=corrected, note=note)
    except InputError as exc:
        raise HTTPException(404 if exc.field == "id" else 422, exc.reason) from None
    finally:
        request.app.state.answers.written()
    return RedirectResponse(_local(next), status_code=303)
