"""API tokens (admin only). A secret is shown once, when it is created."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from service.api.deps import Admin, FactoryDep, SessionDep
from service.core.db import write_session
from service.core.problems import ProblemError, not_found
from service.core.security import Role
from service.crud import tokens as crud
from service.models import ApiToken
from service.schemas import TokenCreated, TokenIn, TokenOut

router = APIRouter(prefix="/tokens", tags=["tokens"])


def _out(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.id,
        "name": token.name,
        "role": token.role,
        "created_at": token.created_at,
        "created_by": token.created_by,
        "revoked_at": token.revoked_at,
    }


@router.get("", response_model=list[TokenOut], summary="Every token, revoked ones too (never the secrets)")
def list_tokens(session: SessionDep, _user: Admin) -> list[TokenOut]:
    return [TokenOut.model_validate(_out(t)) for t in crud.list_tokens(session)]


@router.post("", response_model=TokenCreated, status_code=201, summary="Create a token; its secret is shown once")
def create_token(body: TokenIn, user: Admin, factory: FactoryDep) -> JSONResponse:
    with write_session(factory) as session:
        token, secret = crud.create_token(session, body.name, body.role, user.name)
        created = TokenCreated(**_out(token), token=secret)
    return JSONResponse(created.model_dump(mode="json"), status_code=201, headers={"Location": f"/tokens/{token.id}"})


@router.delete("/{token_id}", status_code=204, summary="Revoke a token")
def revoke_token(token_id: int, _user: Admin, factory: FactoryDep) -> Response:
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
    return Response(status_code=204)
