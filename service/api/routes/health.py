from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from service.api.deps import SessionDep, SettingsDep
from service.api.openapi import problems
from service.core.problems import ProblemError
from service.crud import plans as plan_crud
from service.crud import rosters as roster_crud
from service.models import utcnow
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    responses=problems(503),
    summary="Is the service up, with its database? (no token needed)",
)
def health(session: SessionDep, settings: SettingsDep) -> Health:
    """200 when the database answers, with the current roster version, the solve queue (queued and
    running plans, the oldest wait) and how many solve workers reported within the last lease; a
    queue with no worker means plans will wait. 503 when the database does not answer."""
    try:
        version = roster_crud.latest_number(session)
        counts = plan_crud.count_by_status(session)
        oldest = plan_crud.oldest_queued(session)
        workers = plan_crud.live_workers(session, settings.LEASE_S)
    except SQLAlchemyError as exc:
        raise ProblemError(503, f"the database does not answer: {type(exc).__name__}", slug="database") from exc
    queued, running = counts["queued"], counts["running"]
    return Health(
        status="ok",
        database="ok",
        roster_version=version,
        solves_waiting=queued + running,
        solves_queued=queued,
        solves_running=running,
        workers=workers,
        oldest_queued_s=round((utcnow() - oldest).total_seconds(), 1) if oldest else None,
    )
