"""The audit trail: who changed what, when, with which token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from service.api.deps import SessionDep, Viewer
from service.api.openapi import problems
from service.core.problems import ProblemError
from service.crud import audit as crud
from service.schemas import MAX_ID, AuditOut, Offset, PlainText

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditOut], responses=problems(401, 422), summary="Who changed what, when")
def audit_trail(
    session: SessionDep,
    _user: Viewer,
    table: Annotated[
        str | None, Query(max_length=32, description="only this table (cities, areas, …, plans, api_tokens)")
    ] = None,
    id: Annotated[PlainText | None, Query(max_length=64, description="only this row id")] = None,
    action: Annotated[str | None, Query(max_length=40, description="only this action, e.g. roster.update")] = None,
    token_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="only changes made with this token")] = None,
    since: Annotated[datetime | None, Query(description="only changes at or after this time (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="only changes before this time (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="at most this many entries")] = 100,
    offset: Offset = 0,
) -> list[AuditOut]:
    """Every audited change, newest first: each roster row added, updated (with its fields' old
    and new values) or removed, each plan started or cancelled, each token created or revoked,
    with the time, the token's id, name and scope and the roster version made. Filter by table,
    row id, action, token and time."""
    found = crud.search(
        session,
        table=table,
        row_id=id,
        action=action,
        token_id=token_id,
        since=_utc("since", since),
        until=_utc("until", until),
        limit=limit,
        offset=offset,
    )
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            token_id=e.token_id,
            token_name=e.token_name,
            token_city_id=e.token_city_id,
            action=e.action,
            table=e.table_name,
            row_id=e.row_id,
            roster_version=e.roster_version,
            detail=e.detail,
        )
        for e in found
    ]


def _utc(field: str, value: datetime | None) -> datetime | None:
    """The time in UTC (a time without an offset is taken as UTC); 422 for one that leaves the calendar."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ProblemError(
            422,
            f"the request is not valid: check {field}",
            slug="invalid-request",
            errors=[{"field": field, "message": "a time between the years 1 and 9999 in UTC"}],
        ) from exc
