"""People who sign in: users with a role, their sessions, and API tokens for scripts.

Passwords are hashed with argon2; sessions and tokens are random and stored only as their sha256,
so a copy of the store opens no session and leaks no token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from removalwatch.errors import InputError
from removalwatch.store.schema import api_tokens, sessions, users

ROLES = ("viewer", "reviewer", "admin")  # each can do what the ones before it can
MIN_PASSWORD = 10
SESSION_HOURS = 12
_hasher = PasswordHasher()
_NOBODY = _hasher.hash("a password no user has")  # verified against when the name is unknown: same time either way


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(engine: Engine, name: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise InputError("--role", f"expected one of {', '.join(ROLES)}, got {role!r}")
    if not name.strip() or len(name) > 100:
        raise InputError("name", "a user name of 1 to 100 characters")
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"at least {MIN_PASSWORD} characters")
    try:
        with engine.begin() as conn:
            user_id = conn.execute(insert(users).values(
                name=name, password_hash=_hasher.hash(password), role=role,
                created=dt.datetime.now(dt.timezone.utc)).returning(users.c.id)).scalar_one()
    except IntegrityError:
        raise InputError("name", f"a user named {name!r} exists already") from None
    return User(user_id, name, role)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [User(*r) for r in conn.execute(select(users.c.id, users.c.name, users.c.role).order_by(users.c.id))]


def check_password(engine: Engine, name: str, password: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
    try:
        _hasher.verify(row["password_hash"] if row else _NOBODY, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row["id"], row["name"], row["role"]) if row else None


def open_session(engine: Engine, user: User) -> tuple[str, str]:
    """A new session: the cookie's token and the session's CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires < now))
        conn.execute(insert(sessions).values(token_hash=_digest(token), user_id=user.id, csrf=csrf,
                                             expires=now + dt.timedelta(hours=SESSION_HOURS)))
    return token, csrf


def session_user(engine: Engine, token: str) -> tuple[User, str] | None:
    """The signed-in user and the session's CSRF token, while the session lasts."""
    with engine.connect() as conn:
        row = conn.execute(select(users.c.id, users.c.name, users.c.role, sessions.c.csrf, sessions.c.expires)
                           .join(sessions, sessions.c.user_id == users.c.id)
                           .where(sessions.c.token_hash == _digest(token))).first()
    if row is None:
        return None
    expires = row.expires if row.expires.tzinfo else row.expires.replace(tzinfo=dt.timezone.utc)  # SQLite drops it
    if expires < dt.datetime.now(dt.timezone.utc):
        return None
    return User(row.id, row.name, row.role), row.csrf


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


def create_token(engine: Engine, user_name: str, label: str) -> str:
    """A new API token for the user (shown once: only its hash is kept)."""
    token = "rw_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.name == user_name)).scalar()
        if user_id is None:
            raise InputError("user", f"no user named {user_name!r} (add one with `removalwatch users add`)")
        conn.execute(insert(api_tokens).values(token_hash=_digest(token), user_id=user_id, label=label,
                                               created=dt.datetime.now(dt.timezone.utc)))
    return token


def token_user(engine: Engine, token: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users.c.id, users.c.name, users.c.role)
                           .join(api_tokens, api_tokens.c.user_id == users.c.id)
                           .where(api_tokens.c.token_hash == _digest(token))).first()
    return User(*row) if row else None
