"""Sign-in for the web app: a pasted token becomes an HttpOnly cookie session (see service.web.auth)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.api.deps import FactoryDep
from service.core.problems import ProblemError
from service.models import ApiToken, WebSession
from service.web import auth

router = APIRouter(prefix="/session", tags=["web app"])
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="gd-pairing"'}


class SignIn(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class SessionOut(BaseModel):
    name: str
    role: str
    csrf_token: str
    expires_at: str


def _out(web: WebSession, token: ApiToken) -> dict[str, str]:
    return SessionOut(
        name=token.name, role=token.role, csrf_token=web.csrf, expires_at=web.expires_at.isoformat()
    ).model_dump()


@router.post("", response_model=SessionOut, summary="Sign in with a token: sets the session cookie")
def sign_in(body: SignIn, request: Request, factory: FactoryDep) -> Response:
    if not auth.same_origin(request):
        raise ProblemError(403, "this request comes from another site; it was refused", slug="csrf")
    opened = auth.open_session(factory, body.token.strip())
    if opened is None:
        raise ProblemError(
            401,
            "this token is not valid or has been revoked; ask an admin for a new one",
            slug="unauthenticated",
            headers=_CHALLENGE,
        )
    secret, web, token = opened
    response = JSONResponse(_out(web, token))
    # A browser-session cookie (gone when the browser closes); the server ends the session after LIFETIME.
    response.set_cookie(
        auth.COOKIE, secret, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


def _signed_in(request: Request, factory: FactoryDep) -> tuple[WebSession, ApiToken]:
    cookie = request.cookies.get(auth.COOKIE)
    if cookie:
        with factory() as session:
            found = auth.find(session, cookie)
        if found is not None:
            return found
    raise ProblemError(401, "not signed in", slug="unauthenticated", headers=_CHALLENGE)


@router.get("", response_model=SessionOut, summary="Who is signed in, and the CSRF token for writes")
def me(request: Request, factory: FactoryDep) -> dict[str, str]:
    return _out(*_signed_in(request, factory))


@router.delete("", status_code=204, summary="Sign out: ends the session and clears the cookie")
def sign_out(request: Request, factory: FactoryDep) -> Response:
    cookie = request.cookies.get(auth.COOKIE)
    if cookie:
        with factory() as session:
            found = auth.find(session, cookie)
        if found is not None:
            auth.check_write(request, found[0])
        auth.close_session(factory, cookie)
    response = Response(status_code=204)
    response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
    return response
