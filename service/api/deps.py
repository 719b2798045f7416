"""Dependencies of the routes, as Annotated aliases: settings, sessions, the caller and their role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from service.core.config import Settings
from service.core.problems import ProblemError
from service.core.security import Role
from service.crud import tokens as token_crud
from service.roster_cache import RosterCache
from service.web import auth as web_auth
from solver import RuleSet


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions


def get_session(factory: Annotated[sessionmaker[Session], Depends(get_factory)]) -> Iterator[Session]:
    with factory() as session:
        yield session


def get_cache(request: Request) -> RosterCache:
    return request.app.state.rosters


def get_rules(request: Request) -> RuleSet:
    """The rules of the deployment: the catalogue with ROSTER_DIR's rules.toml applied."""
    return request.app.state.rules


SettingsDep = Annotated[Settings, Depends(get_settings)]
FactoryDep = Annotated[sessionmaker[Session], Depends(get_factory)]
SessionDep = Annotated[Session, Depends(get_session)]
CacheDep = Annotated[RosterCache, Depends(get_cache)]
RulesDep = Annotated[RuleSet, Depends(get_rules)]


@dataclass(frozen=True)
class Principal:
    """The caller: its token's id, name, role and scope (a city id, or None for the province)."""

    token_id: int | None
    name: str
    role: Role
    city_id: str | None = None


bearer = HTTPBearer(auto_error=False, description="a token from POST /tokens or `python -m service token create`")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="gd-pairing"'}


def current_user(
    request: Request, factory: FactoryDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None:
        cookie = request.cookies.get(web_auth.COOKIE)
        if cookie:
            return _session_user(request, factory, cookie)
        raise ProblemError(
            401, "send your API token as 'Authorization: Bearer <token>'", slug="unauthenticated", headers=_CHALLENGE
        )
    # A short session of its own: the token check must not hold a connection for the whole request.
    with factory() as session:
        token = token_crud.find_active(session, credentials.credentials)
        if token is None:
            raise ProblemError(
                401,
                "this token is not valid or has been revoked; ask an admin for a new one",
                slug="unauthenticated",
                headers=_CHALLENGE,
            )
        return Principal(token.id, token.name, Role(token.role), token.city_id)


def _session_user(request: Request, factory: FactoryDep, cookie: str) -> Principal:
    """The web app's sign-in (service.web.auth): the session cookie, with CSRF checks on writes."""
    with factory() as session:
        found = web_auth.find(session, cookie)
    if found is None:
        raise ProblemError(
            401, "your session has ended; sign in again with your token", slug="unauthenticated", headers=_CHALLENGE
        )
    web, token = found
    web_auth.check_write(request, web)
    return Principal(token.id, token.name, Role(token.role), token.city_id)


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(role: Role) -> Callable[[Principal], Principal]:
    def check(user: CurrentUser) -> Principal:
        if not user.role.allows(role):
            raise ProblemError(
                403, f"this needs the {role} role; the token {user.name!r} is a {user.role}", slug="forbidden"
            )
        return user

    return check


def require_province(user: Annotated[Principal, Depends(require(Role.COORDINATOR))]) -> Principal:
    """A coordinator of the whole province: a city-scoped token may not start or cancel plans."""
    if user.city_id is not None:
        raise ProblemError(
            403,
            f"the token {user.name!r} is scoped to city {user.city_id}; plans are started and cancelled "
            "by coordinators of the whole province",
            slug="outside-scope",
        )
    return user


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Coordinator = Annotated[Principal, Depends(require(Role.COORDINATOR))]
ProvinceCoordinator = Annotated[Principal, Depends(require_province)]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
