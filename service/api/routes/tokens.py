"""API tokens (admin only). A secret is shown once, when it is created."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

import solver
from service.api.deps import Admin, CacheDep, FactoryDep, SessionDep
from service.api.openapi import problems
from service.core.db import write_session
from service.core.problems import ProblemError, not_found
from service.core.security import Role
from service.crud import audit
from service.crud import rosters as roster_crud
from service.crud import tokens as crud
from service.models import ApiToken
from service.roster_cache import version_rows
from service.schemas import TokenCreated, TokenId, TokenIn, TokenOut

router = APIRouter(prefix="/tokens", tags=["tokens"])


def _out(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.id,
        "name": token.name,
        "role": token.role,
        "city_id": token.city_id,
        "created_at": token.created_at,
        "created_by": token.created_by,
        "revoked_at": token.revoked_at,
    }


@router.get(
    "",
    response_model=list[TokenOut],
    responses=problems(401, 403, 422),
    summary="Every token, revoked ones too (never the secrets)",
)
def list_tokens(session: SessionDep, _user: Admin) -> list[TokenOut]:
    """Every token ever created, with its role, scope, creator and revocation (only hashes of
    the secrets are stored)."""
    return [TokenOut.model_validate(_out(t)) for t in crud.list_tokens(session)]


def scope_problem(role: Role, city_id: str | None, cities: set[str] | None) -> str | None:
    """Why a token's city scope is refused, or None."""
    if city_id is None:
        return None
    if role != Role.COORDINATOR:
        return f"only coordinator tokens have a city scope (a {role} reads everything and changes nothing by city)"
    if cities is not None and city_id not in cities:
        return f"no city {city_id} in the current roster"
    return None


@router.post(
    "",
    response_model=TokenCreated,
    status_code=201,
    responses=problems(401, 403, 422),
    summary="Create a token; its secret is shown once",
)
def create_token(body: TokenIn, user: Admin, factory: FactoryDep, session: SessionDep, cache: CacheDep) -> JSONResponse:
    """Creates a token with a role and, for a coordinator, optionally a city scope (`city_id`: it
    then changes only rows of that city, and starts no plans). The secret is in the answer's
    `token`, and nowhere else ever again."""
    version = roster_crud.latest_number(session)
    cities = set(version_rows(session, cache, version)[solver.Table.CITIES]) if version is not None else None
    session.close()
    problem = scope_problem(body.role, body.city_id, cities)
    if problem:
        raise ProblemError(
            422,
            f"the request is not valid: {problem}",
            slug="invalid-request",
            errors=[{"field": "city_id", "message": problem}],
        )
    with write_session(factory) as writer:
        token, secret = crud.create_token(writer, body.name, body.role, user.name, body.city_id)
        created = TokenCreated(**_out(token), token=secret)
        detail = {"name": body.name, "role": body.role.value, "city_id": body.city_id}
        audit.add(writer, user, [audit.Entry("token.create", "api_tokens", str(token.id), detail)])
    return JSONResponse(created.model_dump(mode="json"), status_code=201, headers={"Location": f"/tokens/{token.id}"})


@router.delete(
    "/{token_id}",
    status_code=204,
    responses={204: {"description": "revoked (or already revoked)"}, **problems(401, 403, 404, 409, 422)},
    summary="Revoke a token",
)
def revoke_token(token_id: TokenId, user: Admin, factory: FactoryDep) -> Response:
    """Revokes the token and ends its web sessions. The last active admin token cannot be
    revoked (409): create another admin token first."""
    with write_session(factory) as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise not_found(f"token {token_id}")
        if token.revoked_at is None:
            if token.role == Role.ADMIN and crud.active_admins(session) <= 1:
                raise ProblemError(
                    409, "this is the last admin token; create another admin token first", slug="last-admin"
                )
            crud.revoke(session, token)
            audit.add(session, user, [audit.Entry("token.revoke", "api_tokens", str(token_id), {"name": token.name})])
    return Response(status_code=204)
