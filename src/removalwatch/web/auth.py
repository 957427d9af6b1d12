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
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "a form from another site")
    if not who.csrf or not token or not secrets.compare_digest(who.csrf, token):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page")


class LoginLimiter:
    """Failed sign-ins per (address, name) in a sliding window, in this process's memory (each
    uvicorn worker counts its own: with N workers an attacker gets N times the attempts)."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW):
        self.attempts, self.window = attempts, window
        self._failures: dict[tuple[str, str], deque] = {}
        self._lock = threading.Lock()

    def wait(self, key: tuple[str, str]) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            failures = self._failures.get(key)
            if not failures:
                return 0.0
            while failures and failures[0] < time.monotonic() - self.window:
                failures.popleft()
            return failures[0] + self.window - time.monotonic() if len(failures) >= self.attempts else 0.0

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.setdefault(key, deque()).append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)
