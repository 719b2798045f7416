"""A re-plan of the years left of a round (POST /plans with `from_year`): what it is queued with.

The base plan's pairs, roster version and rules are kept; the actuals of every year before
`from_year` are copied into the new plan's files when it is queued (actuals-2021.csv, …), so the
re-plan is solved from what was recorded then, whatever is recorded later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

import solver
from service.core.problems import ProblemError
from service.crud import actuals as crud
from service.crud import plans as plan_crud
from service.models import Plan, PlanFile
from service.plan_inputs import DEPLOYMENTS_CSV
from service.schemas import PlanIn


def actuals_file(year: int) -> str:
    return f"actuals-{year}.csv"


@dataclass(frozen=True)
class Queued:
    roster_version: int
    rules: dict[str, Any]
    years: list[int]  # the recorded years with actuals of their own (a re-plan base's recorded years are its rows)
    files: dict[str, bytes]


def _invalid(detail: str, field: str, message: str) -> ProblemError:
    return ProblemError(422, detail, slug="invalid-plan-request", errors=[{"field": field, "message": message}])


def queued(session: Session, body: PlanIn, base: Plan | None) -> Queued:
    """What a re-plan from `body.from_year` is queued with; 422 naming the field that stops it."""
    from_year = body.from_year
    assert from_year is not None
    if base is None:
        raise _invalid("a re-plan of the years left needs a base plan", "base_plan_id", "the plan whose actuals count")
    years = solver.round_years(body.round)
    if base.round != body.round:
        raise _invalid(
            f"base plan {base.id} is of round {base.round}", "base_plan_id", f"choose a plan of {body.round}"
        )
    if from_year not in years[1:]:
        raise _invalid(
            f"{from_year} is not a later year of {body.round}",
            "from_year",
            f"one of {', '.join(map(str, years[1:]))}",
        )
    if body.pins or body.rules:
        raise _invalid("a re-plan of the years left keeps the base's pairs and rules", "pins", "send no pins or rules")
    recorded = [y for y in years if y < from_year]
    stored = crud.contents(session, base.id, recorded)
    missing = [y for y in recorded if y not in stored]
    if missing and base.options.get("from_year"):  # a re-plan's own recorded years are its rows
        deployments = plan_crud.plan_file(session, base.id, DEPLOYMENTS_CSV)
        planned = solver.plan_rows(deployments) if deployments else {}
        missing = [y for y in missing if solver.recorded_in_plan(planned, y) is None]
    if missing:
        raise _invalid(
            f"base plan {base.id} has no actuals for {', '.join(map(str, missing))}",
            "from_year",
            f"record {', '.join(map(str, missing))} first (PUT /plans/{base.id}/actuals/{{year}}.csv)",
        )
    files = {actuals_file(y): stored[y] for y in recorded if y in stored}
    return Queued(base.roster_version, base.rules, sorted(y for y in recorded if y in stored), files)


def add_files(session: Session, plan_id: int, queued: Queued) -> None:
    for name, content in sorted(queued.files.items()):
        session.add(PlanFile(plan_id=plan_id, name=name, content=content))
