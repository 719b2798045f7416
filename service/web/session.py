"""Sign-in for the web app: a pasted token becomes an HttpOnly cookie session (see service.web.auth)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from service.api.deps import FactoryDep
from service.api.openapi import problems
from service.core.problems import ProblemError
from service.models import ApiToken, WebSession
from service.schemas import PlainText
from service.web import auth

router = APIRouter(prefix="/session", tags=["web app"])
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="gd-pairing"'}


class SignIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"description": "A token to sign in with.", "examples": [{"token": "gdp_…"}]}
    )

    token: Annotated[PlainText, Field(min_length=1, max_length=200, description="an API token's secret")]


class SessionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "The signed-in session."})

    name: str = Field(description="the token's name")
    role: str = Field(description="the token's role: viewer, coordinator or admin")
    city_id: str | None = Field(description="the token's city scope (a coordinator of one city), if any")
    csrf_token: str = Field(description="send it as X-CSRF-Token with every write made with the cookie")
    expires_at: str = Field(description="when the server ends the session (ISO 8601, UTC)")


def _out(web: WebSession, token: ApiToken) -> dict[str, str | None]:
    return SessionOut(
        name=token.name,
        role=token.role,
        city_id=token.city_id,
        csrf_token=web.csrf,
        expires_at=web.expires_at.isoformat(),
    ).model_dump()


@router.post(
    "",
    response_model=SessionOut,
    responses=problems(401, 403, 422),
    summary="Sign in with a token: sets the session cookie",
)
def sign_in(body: SignIn, request: Request, factory: FactoryDep) -> Response:
    """Checks the token and opens a server-side session: the answer sets the HttpOnly,
    SameSite=Strict cookie `gdp_session` and gives the CSRF token for writes. 401 for a bad or
    revoked token; 403 for a request from another site."""
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


@router.get(
    "",
    response_model=SessionOut,
    responses=problems(401, 422),
    summary="Who is signed in, and the CSRF token for writes",
)
def me(request: Request, factory: FactoryDep) -> dict[str, str | None]:
    """The session of the cookie: its token's name, role and scope, and the CSRF token. 401
    without a live session."""
    return _out(*_signed_in(request, factory))


@router.delete(
    "",
    status_code=204,
    responses={204: {"description": "signed out"}, **problems(403, 422)},
    summary="Sign out: ends the session and clears the cookie",
)
def sign_out(request: Request, factory: FactoryDep) -> Response:
    """Ends the cookie's session (with the CSRF token, when signed in) and clears the cookie."""
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
