from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from service.api.deps import SessionDep
from service.core.problems import ProblemError
from service.crud import plans as plan_crud
from service.crud import rosters as roster_crud
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up, with its database? (no token needed)")
def health(session: SessionDep) -> Health:
    try:
        version = roster_crud.latest_number(session)
        waiting = plan_crud.count_waiting(session)
    except SQLAlchemyError as exc:
        raise ProblemError(503, f"the database does not answer: {type(exc).__name__}", slug="database") from exc
    return Health(status="ok", database="ok", roster_version=version, solves_waiting=waiting)
