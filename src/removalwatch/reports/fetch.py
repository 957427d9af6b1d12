"""Fetch a URL safely: timeouts, a size limit, and no private addresses.

Every hop of a redirect is checked, so a public URL cannot bounce the
fetcher onto 127.0.0.1 or the cloud metadata address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from removalwatch import __version__
from removalwatch.errors import InputError, SourceRefused

MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes
    not_modified: bool = False  # a conditional GET answered 304: nothing new
    etag: str | None = None
    last_modified: str | None = None


def _blocked_address(host: str, port: int) -> str | None:
    """The first address `host` resolves to that is not public, if any."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(host, f"cannot resolve host: {exc.strerror}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not ip.is_global or ip.is_multicast:
            return str(ip)
    return None


def check_url(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "only http and https URLs can be fetched")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    blocked = _blocked_address(parts.hostname, port)
    if blocked:
        raise SourceRefused(
            url, f"refused: {parts.hostname} is a private, loopback or link-local address ({blocked}); "
            "pass --allow-private to fetch it anyway"
        )


def fetch(url: str, *, max_bytes: int, allow_private: bool = False, client: httpx.Client | None = None,
          etag: str | None = None, last_modified: str | None = None, headers: dict | None = None) -> Fetched:
    """GET `url` safely (every hop checked, size-limited); with `etag` or `last_modified`, a
    conditional GET whose 304 comes back as `not_modified`."""
    conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
    conditional.update(headers or {})
    own_client = client is None
    client = client or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": f"RemovalWatch/{__version__}"})
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow_private=allow_private)
            try:
                with client.stream("GET", url, follow_redirects=False, headers=conditional) as response:
                    if response.status_code == 304:
                        return Fetched(str(response.url), "", b"", True, etag, last_modified)
                    if response.is_redirect:
                        target = urljoin(url, response.headers["location"])
                        if urlsplit(target)[:2] != urlsplit(url)[:2]:
                            conditional.pop("Authorization", None)  # a token is for the host that was asked
                        url = target
                        continue
                    if response.status_code >= 400:
                        raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise SourceRefused(url, f"refused: {declared:,} bytes is over the limit of {max_bytes:,}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise SourceRefused(url, f"refused: more than the limit of {max_bytes:,} bytes")
                    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    return Fetched(str(response.url), content_type, bytes(body), False,
                                   response.headers.get("etag"), response.headers.get("last-modified"))
            except httpx.HTTPError as exc:
                raise InputError(url, f"cannot fetch: {type(exc).__name__}: {exc}") from None
        raise InputError(url, f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own_client:
            client.close()
