"""Plans in the database, and the lease protocol of the solve workers.

Every state change is a conditional UPDATE, so a solve that lost its claim (its lease expired
and another worker took the plan, or the plan was cancelled) can never write over that decision.

The lease protocol (service/worker.py runs it; service/README.md documents it):

- `claim_next`: in one write transaction, the oldest plan that is `queued`, or `running` with an
  expired (or no) lease, becomes `running` with a fresh run token, the worker's id as
  `lease_owner`, `lease_expires_at = now + LEASE_S` and `attempts + 1`. PostgreSQL picks the row
  with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for or take the same
  row; SQLite's write transaction (BEGIN IMMEDIATE) serialises claims instead.
- `renew`: the heartbeat, at every poll of the worker: moves `lease_expires_at` on, if the run
  token is still the plan's; it also says whether a cancel was asked for.
- `finish`: the result, files and final status in one transaction, if the run token still holds.
- `release`: a worker that stops (SIGTERM) puts its plans back to `queued` (the claim is not
  counted) so that another worker takes them at once.

Time comes from the database where it can (PostgreSQL's now()), so that workers on several
machines agree on when a lease has expired; SQLite is one machine by nature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Update, and_, delete, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import write_session
from service.models import Plan, PlanFile, SolveWorker, utcnow
from service.schemas import PlanStatus

WAITING = (PlanStatus.QUEUED.value, PlanStatus.RUNNING.value)
FINISHED = (PlanStatus.DONE.value, PlanStatus.INFEASIBLE.value, PlanStatus.FAILED.value, PlanStatus.CANCELLED.value)
# An arbitrary constant: the PostgreSQL advisory lock that makes "count the queue, then add a
# plan" one step across API processes (SQLite's BEGIN IMMEDIATE does that by itself).
QUEUE_LOCK_KEY = 0x6764_7071_7565


def updated(session: Session, statement: Update) -> int:
    """Rows an UPDATE changed (its cursor's rowcount)."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def now(session: Session) -> Any:
    """The current time: the database's on PostgreSQL (one clock for every machine), else ours."""
    return func.now() if is_postgresql(session) else utcnow()


def later(session: Session, seconds: float) -> Any:
    return now(session) + timedelta(seconds=seconds)


def get_plan(session: Session, plan_id: int) -> Plan | None:
    return session.get(Plan, plan_id)


def list_plans(
    session: Session, *, round_id: str | None, status: str | None, limit: int, offset: int
) -> Sequence[Plan]:
    query = select(Plan).order_by(Plan.id.desc()).limit(limit).offset(offset)
    if round_id:
        query = query.where(Plan.round == round_id)
    if status:
        query = query.where(Plan.status == status)
    return session.scalars(query).all()


def count_waiting(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Plan).where(Plan.status.in_(WAITING))) or 0


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Plan.status, func.count()).where(Plan.status.in_(WAITING)).group_by(Plan.status))
    found = dict.fromkeys(WAITING, 0)
    found.update((status, count) for status, count in rows)
    return found


def oldest_queued(session: Session) -> datetime | None:
    return session.scalar(select(func.min(Plan.created_at)).where(Plan.status == PlanStatus.QUEUED.value))


def enqueue(session: Session, plan: Plan, max_waiting: int) -> bool:
    """Add a queued plan unless `max_waiting` plans are already waiting or running. The count and
    the insert are one step across processes (an advisory lock on PostgreSQL; on SQLite the
    caller's write_session already holds the database's write lock)."""
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": QUEUE_LOCK_KEY})
    if count_waiting(session) >= max_waiting:
        return False
    session.add(plan)
    session.flush()
    return True


def plan_file(session: Session, plan_id: int, name: str) -> bytes | None:
    return session.scalar(select(PlanFile.content).where(PlanFile.plan_id == plan_id, PlanFile.name == name))


def add_file(factory: sessionmaker[Session], plan_id: int, name: str, content: bytes) -> None:
    """Keep a derived download (deterministic, so a concurrent writer stores the same bytes)."""
    with write_session(factory) as session:
        insert = postgresql.insert if is_postgresql(session) else sqlite.insert
        session.execute(
            insert(PlanFile)
            .values(plan_id=plan_id, name=name, content=content)
            .on_conflict_do_nothing(index_elements=["plan_id", "name"])
        )


# --- the lease protocol -------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    plan_id: int
    run_token: str
    attempt: int


def _claimable(session: Session) -> Any:
    expired = or_(Plan.lease_expires_at.is_(None), Plan.lease_expires_at < now(session))
    return or_(Plan.status == PlanStatus.QUEUED.value, and_(Plan.status == PlanStatus.RUNNING.value, expired))


def claim_next(
    factory: sessionmaker[Session], worker_id: str, run_token: str, lease_s: float, max_attempts: int
) -> Claim | None:
    """Claim the oldest claimable plan for this worker, or None. Plans whose cancel was asked for
    while no worker held them are closed as cancelled on the way; plans claimed `max_attempts`
    times already (every worker that took one died) are closed as failed."""
    with write_session(factory) as session:
        while True:
            query = (
                select(Plan.id, Plan.attempts, Plan.cancel_requested_at, Plan.cancelled_by)
                .where(_claimable(session))
                .order_by(Plan.id)
                .limit(1)
            )
            if is_postgresql(session):
                query = query.with_for_update(skip_locked=True)
            row = session.execute(query).first()
            if row is None:
                return None
            plan_id, attempts, cancel_requested_at, cancelled_by = row
            closed: dict[str, Any] | None = None
            if cancel_requested_at is not None:
                closed = {"status": PlanStatus.CANCELLED.value, "error": f"cancelled by {cancelled_by}"}
            elif attempts >= max_attempts:
                closed = {
                    "status": PlanStatus.FAILED.value,
                    "error": (
                        f"this plan was claimed {attempts} times and every worker solving it stopped "
                        "before it finished (killed, out of memory or its machine lost); it is not "
                        "tried again: look at the workers' logs, then start it again (POST /plans)"
                    ),
                }
            if closed is not None:
                session.execute(
                    update(Plan)
                    .where(Plan.id == plan_id)
                    .values(finished_at=utcnow(), run_token=None, lease_owner=None, lease_expires_at=None, **closed)
                )
                continue
            session.execute(
                update(Plan)
                .where(Plan.id == plan_id)
                .values(
                    status=PlanStatus.RUNNING.value,
                    run_token=run_token,
                    lease_owner=worker_id,
                    lease_expires_at=later(session, lease_s),
                    heartbeat_at=now(session),
                    started_at=utcnow(),
                    progress=None,
                    attempts=Plan.attempts + 1,
                )
            )
            return Claim(plan_id, run_token, attempts + 1)


@dataclass(frozen=True)
class Renewal:
    held: bool  # the lease was extended: the plan is still running under this run token
    finished: bool  # the plan was closed under this run token (its solve stored the result)
    cancel_requested: bool
    cancelled_by: str | None


def renew(factory: sessionmaker[Session], plan_id: int, run_token: str, lease_s: float) -> Renewal:
    """The heartbeat: extend the lease if the run token still holds the running plan."""
    with write_session(factory) as session:
        mine = (Plan.id == plan_id, Plan.run_token == run_token, Plan.status == PlanStatus.RUNNING.value)
        statement = (
            update(Plan).where(*mine).values(lease_expires_at=later(session, lease_s), heartbeat_at=now(session))
        )
        held = updated(session, statement) == 1
        row = session.execute(
            select(Plan.run_token, Plan.status, Plan.cancel_requested_at, Plan.cancelled_by).where(Plan.id == plan_id)
        ).first()
        if row is None:
            return Renewal(False, False, False, None)
        finished = row[0] == run_token and row[1] in FINISHED
        return Renewal(held, finished, row[2] is not None, row[3])


def release(factory: sessionmaker[Session], plan_id: int, run_token: str) -> bool:
    """Give a running plan back to the queue (the worker is stopping): the claim does not count."""
    with write_session(factory) as session:
        statement = (
            update(Plan)
            .where(Plan.id == plan_id, Plan.run_token == run_token, Plan.status == PlanStatus.RUNNING.value)
            .values(
                status=PlanStatus.QUEUED.value,
                run_token=None,
                lease_owner=None,
                lease_expires_at=None,
                heartbeat_at=None,
                started_at=None,
                progress=None,
                attempts=Plan.attempts - 1,  # at least 1: the plan was claimed
            )
        )
        return updated(session, statement) == 1


def save_progress(factory: sessionmaker[Session], plan_id: int, run_token: str, progress: dict[str, Any]) -> None:
    with write_session(factory) as session:
        session.execute(
            update(Plan)
            .where(Plan.id == plan_id, Plan.run_token == run_token, Plan.status == PlanStatus.RUNNING.value)
            .values(progress=progress)
        )


def finish(
    factory: sessionmaker[Session],
    plan_id: int,
    run_token: str | None,
    values: Mapping[str, Any],
    files: Mapping[str, bytes] | None = None,
) -> bool:
    """Write the final status, result and files in one transaction; False if the claim was lost."""
    with write_session(factory) as session:
        condition = [Plan.id == plan_id]
        if run_token is None:
            condition.append(Plan.status.in_(WAITING))
        else:
            condition += [Plan.run_token == run_token, Plan.status == PlanStatus.RUNNING.value]
        closing = {"finished_at": utcnow(), "lease_expires_at": None, **values}
        if updated(session, update(Plan).where(*condition).values(**closing)) != 1:
            return False
        for name, content in (files or {}).items():
            session.add(PlanFile(plan_id=plan_id, name=name, content=content))
        return True


# --- cancel ---------------------------------------------------------------------------------


def request_cancel(session: Session, plan_id: int, by: str) -> str | None:
    """Cancel a plan (in the caller's write transaction): a queued plan is cancelled at once; a
    running one is marked, and its worker stops it within a poll and a grace period. Returns the
    plan's status after this (None: no such plan)."""
    at = utcnow()
    queued = (
        update(Plan)
        .where(Plan.id == plan_id, Plan.status == PlanStatus.QUEUED.value)
        .values(
            status=PlanStatus.CANCELLED.value,
            cancel_requested_at=at,
            cancelled_by=by,
            finished_at=at,
            error=f"cancelled by {by}",
        )
    )
    if updated(session, queued) == 1:
        return PlanStatus.CANCELLED.value
    running = (
        update(Plan)
        .where(Plan.id == plan_id, Plan.status == PlanStatus.RUNNING.value, Plan.cancel_requested_at.is_(None))
        .values(cancel_requested_at=at, cancelled_by=by)
    )
    updated(session, running)
    return session.scalar(select(Plan.status).where(Plan.id == plan_id))


# --- workers --------------------------------------------------------------------------------


def register_worker(factory: sessionmaker[Session], worker_id: str, host: str, pid: int, slots: int) -> None:
    with write_session(factory) as session:
        session.add(SolveWorker(worker_id=worker_id, host=host[:255], pid=pid, slots=slots))


def touch_worker(factory: sessionmaker[Session], worker_id: str, lease_s: float) -> None:
    """The worker's own heartbeat; rows of workers silent for ten leases are dropped on the way."""
    with write_session(factory) as session:
        session.execute(update(SolveWorker).where(SolveWorker.worker_id == worker_id).values(seen_at=now(session)))
        session.execute(delete(SolveWorker).where(SolveWorker.seen_at < later(session, -10 * lease_s)))


def unregister_worker(factory: sessionmaker[Session], worker_id: str) -> None:
    with write_session(factory) as session:
        session.execute(delete(SolveWorker).where(SolveWorker.worker_id == worker_id))


def live_workers(session: Session, lease_s: float) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(SolveWorker).where(SolveWorker.seen_at >= later(session, -lease_s))
        )
        or 0
    )
