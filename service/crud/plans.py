"""Plans in the database. Every state change is a conditional UPDATE, so a solve that lost its
claim (the service restarted and failed it) can never write a result over that decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import write_session
from service.models import Plan, PlanFile, utcnow
from service.schemas import PlanStatus

WAITING = (PlanStatus.QUEUED.value, PlanStatus.RUNNING.value)


def updated(session: Session, statement: Update) -> int:
    """Rows an UPDATE changed (its cursor's rowcount)."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


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


def plan_file(session: Session, plan_id: int, name: str) -> bytes | None:
    return session.scalar(select(PlanFile.content).where(PlanFile.plan_id == plan_id, PlanFile.name == name))


def add_file(factory: sessionmaker[Session], plan_id: int, name: str, content: bytes) -> None:
    """Keep a derived download (deterministic, so a concurrent writer stores the same bytes)."""
    with write_session(factory) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(PlanFile)
            .values(plan_id=plan_id, name=name, content=content)
            .on_conflict_do_nothing(index_elements=["plan_id", "name"])
        )


def claim(factory: sessionmaker[Session], plan_id: int, run_token: str) -> bool:
    """queued → running, for this run only."""
    with write_session(factory) as session:
        statement = (
            update(Plan)
            .where(Plan.id == plan_id, Plan.status == PlanStatus.QUEUED.value)
            .values(status=PlanStatus.RUNNING.value, run_token=run_token, started_at=utcnow())
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
        if updated(session, update(Plan).where(*condition).values(finished_at=utcnow(), **values)) != 1:
            return False
        for name, content in (files or {}).items():
            session.add(PlanFile(plan_id=plan_id, name=name, content=content))
        return True


def recover(factory: sessionmaker[Session], message: str) -> tuple[list[int], list[int]]:
    """At start-up: fail plans that were running when the service stopped; return (failed, queued)."""
    with write_session(factory) as session:
        running = list(session.scalars(select(Plan.id).where(Plan.status == PlanStatus.RUNNING.value)))
        if running:
            session.execute(
                update(Plan)
                .where(Plan.id.in_(running))
                .values(status=PlanStatus.FAILED.value, error=message, finished_at=utcnow())
            )
        queued = list(session.scalars(select(Plan.id).where(Plan.status == PlanStatus.QUEUED.value).order_by(Plan.id)))
    return running, queued
