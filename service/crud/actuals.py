"""Actuals in the database: one row per plan and year, replaced whole against its version."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import write_session
from service.crud import audit
from service.crud.plans import is_postgresql, updated
from service.models import Plan, PlanActuals, utcnow


class StaleActuals(Exception):
    def __init__(self, current: int):
        super().__init__(f"the actuals are at version {current}")
        self.current = current


def get(session: Session, plan_id: int, year: int) -> PlanActuals | None:
    return session.get(PlanActuals, (plan_id, year))


def versions(session: Session, plan_id: int) -> list[PlanActuals]:
    return list(session.scalars(select(PlanActuals).where(PlanActuals.plan_id == plan_id).order_by(PlanActuals.year)))


def contents(session: Session, plan_id: int, years: list[int]) -> dict[int, bytes]:
    rows = session.execute(
        select(PlanActuals.year, PlanActuals.content).where(PlanActuals.plan_id == plan_id, PlanActuals.year.in_(years))
    )
    return {row.year: row.content for row in rows}


def store(
    factory: sessionmaker[Session],
    plan_id: int,
    year: int,
    expected: int,
    content: bytes,
    rows: int,
    actor: audit.Actor,
) -> int:
    """Store a year's actuals as version expected + 1, in one transaction with its audit entry;
    StaleActuals when the stored version is not `expected` (0: none stored yet)."""
    with write_session(factory) as session:
        if is_postgresql(session):
            # One writer of a plan's actuals at a time, the first upload of a year included (on
            # SQLite the write session's lock already serialises every writer).
            session.execute(select(Plan.id).where(Plan.id == plan_id).with_for_update())
        stored = session.get(PlanActuals, (plan_id, year))
        current = stored.version if stored is not None else 0
        if current != expected:
            raise StaleActuals(current)
        values = {"version": expected + 1, "rows": rows, "content": content, "created_by": actor.name}
        if stored is None:
            session.add(PlanActuals(plan_id=plan_id, year=year, created_at=utcnow(), **values))
        else:
            condition = (PlanActuals.plan_id == plan_id, PlanActuals.year == year, PlanActuals.version == expected)
            if updated(session, update(PlanActuals).where(*condition).values(created_at=utcnow(), **values)) != 1:
                raise StaleActuals(current)
        detail = {"year": year, "version": expected + 1, "rows": rows}
        audit.add(session, actor, [audit.Entry("actuals.put", "plan_actuals", f"{plan_id}/{year}", detail)])
    return expected + 1
