"""Browser sessions: POST /session trades a pasted token for an HttpOnly, SameSite=Strict cookie
naming a server-side session. Writes through the cookie need the session's CSRF token in
X-CSRF-Token and, when the browser sends one, an Origin of this host. The Bearer header of the
API is untouched (and needs no CSRF token: a browser never adds it to a cross-site request)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from service.core.db import write_session
from service.core.problems import ProblemError
from service.crud import tokens as token_crud
from service.models import ApiToken, WebSession, utcnow

COOKIE = "gdp_session"
CSRF_HEADER = "X-CSRF-Token"
LIFETIME = timedelta(hours=12)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(factory: sessionmaker[Session], token_secret: str) -> tuple[str, WebSession, ApiToken] | None:
    """A new session for an active token: (cookie secret, session, token); None for a bad token."""
    with write_session(factory) as session:
        token = token_crud.find_active(session, token_secret)
        if token is None:
            return None
        now = utcnow()
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        secret = secrets.token_urlsafe(32)
        web = WebSession(
            id_hash=_hash(secret),
            token_id=token.id,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + LIFETIME,
        )
        session.add(web)
        session.flush()
        session.expunge_all()
        return secret, web, token


def find(session: Session, secret: str) -> tuple[WebSession, ApiToken] | None:
    found = session.execute(
        select(WebSession, ApiToken)
        .join(ApiToken, ApiToken.id == WebSession.token_id)
        .where(WebSession.id_hash == _hash(secret), WebSession.expires_at > utcnow(), ApiToken.revoked_at.is_(None))
    ).first()
    return (found[0], found[1]) if found else None


def close_session(factory: sessionmaker[Session], secret: str) -> None:
    with write_session(factory) as session:
        session.execute(delete(WebSession).where(WebSession.id_hash == _hash(secret)))


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site form or fetch (those send Origin on every POST)
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def check_write(request: Request, web: WebSession) -> None:
    if request.method in SAFE_METHODS:
        return
    if not same_origin(request):
        raise ProblemError(403, "this request comes from another site; it was refused", slug="csrf")
    sent = request.headers.get(CSRF_HEADER, "")
    if not secrets.compare_digest(sent.encode(), web.csrf.encode()):
        raise ProblemError(403, f"send the session's CSRF token in {CSRF_HEADER} (from GET /session)", slug="csrf")
