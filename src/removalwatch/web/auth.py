"""Who is asking: a session cookie (pages, with a CSRF token for every form) or an API token
(scripts, `Authorization: Bearer rw_...`); what they may do by role; login attempts rate-limited."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import HTTPException, Request

from removalwatch.store.users import User, session_user, token_user

SESSION_COOKIE = "rw_session"
LOGIN_ATTEMPTS, LOGIN_WINDOW = 5, 15 * 60  # failed sign-ins per address and name, per seconds
ADDRESS_ATTEMPTS = 20  # failed sign-ins per address, whatever the names tried (password spraying)


@dataclass(frozen=True)
class Caller:
    user: User | None
    csrf: str | None  # the session's; None for a token or nobody
    by_token: bool = False

    def can(self, role: str) -> bool:
        return self.user is not None and self.user.can(role)


def caller(request: Request) -> Caller:
    """The user behind a request (cached on it)."""
    if hasattr(request.state, "caller"):
        return request.state.caller
    rw = request.app.state.rw
    found = Caller(None, None)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = token_user(rw.engine, header[7:].strip())
        if user is None:
            raise HTTPException(401, "the API token is not known", headers={"WWW-Authenticate": "Bearer"})
        found = Caller(user, None, by_token=True)
    elif request.cookies.get(SESSION_COOKIE):
        session = session_user(rw.engine, request.cookies[SESSION_COOKIE])
        if session:
            found = Caller(*session)
    request.state.caller = found
    return found


def require(request: Request, role: str) -> Caller:
    """The caller, if they may act as `role`; else 401 (nobody) or 403 (too little)."""
    who = caller(request)
    if role == "viewer" and who.user is None and request.app.state.anonymous_view:
        return who
    if who.user is None:
        raise HTTPException(401, "sign in first (or send an API token)", headers={"WWW-Authenticate": "Bearer"})
    if not who.can(role):
        raise HTTPException(403, f"this needs the {role} role; {who.user.name} is a {who.user.role}")
    return who


def check_csrf(request: Request, who: Caller, token: str | None) -> None:
    """A cookie-borne request must carry its session's CSRF token (a token-borne one cannot be forged
    by another site) and, when the browser says where it comes from, come from this site."""
    if who.by_token:
        return
    same_site(request)
    if not who.csrf or not token or not secrets.compare_digest(who.csrf.encode(), token.encode()):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page")


def same_site(request: Request) -> None:
    """Refuse a form the browser says comes from another site."""
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "a form from another site")


class LoginLimiter:
    """Failed sign-ins in a sliding window, per (address, name) and per address, in this process's
    memory (each uvicorn worker counts its own: with N workers an attacker gets N times the tries).
    Password checks run two at a time: each argon2 check takes 64 MB."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, per_address: int = ADDRESS_ATTEMPTS,
                 window: float = LOGIN_WINDOW):
        self.limits = {"name": attempts, "address": per_address}
        self.window = window
        self._failures: dict[tuple, deque] = {}
        self._lock = threading.Lock()
        self.checking = threading.BoundedSemaphore(2)

    def _keys(self, address: str, name: str) -> list[tuple[tuple, int]]:
        return [(("name", address, name), self.limits["name"]), (("address", address), self.limits["address"])]

    def wait(self, address: str, name: str) -> float:
        """Seconds until this address may try this name again (0: now)."""
        now = time.monotonic()
        with self._lock:
            longest = 0.0
            for key, limit in self._keys(address, name):
                failures = self._failures.get(key)
                while failures and failures[0] < now - self.window:
                    failures.popleft()
                if failures and len(failures) >= limit:
                    longest = max(longest, failures[0] + self.window - now)
            return longest

    def failed(self, address: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, _ in self._keys(address, name):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 10_000:  # forget who stopped trying long ago
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window}

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop(("name", address, name), None)
