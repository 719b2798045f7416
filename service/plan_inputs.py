"""What a stored plan was solved from, as the solver's request: its roster version, rules, base
plan, pins and options. The one place that reads them back (the solve itself, the why of a pair)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

import solver
from service.crud import plans as crud
from service.models import Plan
from service.roster_cache import RosterCache, version_roster
from solver import (
    Actual,
    InputError,
    Pin,
    Problem,
    ProgressCallback,
    SolveOptions,
    from_record,
    plan_rows,
    read_actuals_csv,
    read_pairs_csv,
)

if TYPE_CHECKING:  # the request types live beside the models; the API loads those only to solve
    from solver import PairingRequest, ReplanRequest

PAIRS_CSV = "pairs.csv"  # the files stored with a done plan
DEPLOYMENTS_CSV = "deployments.csv"
COSTS_CSV = "costs.csv"


def pairing_request(
    session: Session, cache: RosterCache, plan: Plan, on_progress: ProgressCallback | None = None
) -> PairingRequest:
    base_csv = crud.plan_file(session, plan.base_plan_id, PAIRS_CSV) if plan.base_plan_id else None
    options = plan.options
    return solver.PairingRequest(
        version_roster(session, cache, plan.roster_version),
        plan.round,
        from_record(plan.rules),
        read_pairs_csv(base_csv) if base_csv else [],
        [Pin.model_validate(p) for p in plan.pins],
        SolveOptions(time_limit_s=options["time_limit_s"], num_workers=options["num_workers"], seed=options["seed"]),
        on_progress=on_progress,
    )


def replan_request(session: Session, cache: RosterCache, plan: Plan) -> ReplanRequest | None:
    """A re-plan of the years left (options `from_year`): the base's pairs and rows, and the actuals
    copied when it was queued (service.replans); None for any other plan."""
    from_year = plan.options.get("from_year")
    if from_year is None or plan.base_plan_id is None:
        return None
    pairs_csv = crud.plan_file(session, plan.base_plan_id, PAIRS_CSV)
    deployments = crud.plan_file(session, plan.base_plan_id, DEPLOYMENTS_CSV)
    if pairs_csv is None or deployments is None:
        raise InputError([Problem("base plan", None, None, f"plan {plan.base_plan_id} has no stored tables")])
    planned = plan_rows(deployments)
    actuals: list[Actual] = []
    for year in plan.options.get("actuals_years", []):
        name = f"actuals-{year}.csv"
        content = crud.plan_file(session, plan.id, name)
        if content is None:
            raise InputError([Problem(name, None, None, f"the actuals of {year} were not kept with the plan")])
        actuals += read_actuals_csv(content, name, plan.round, planned, year)
    return solver.ReplanRequest(
        version_roster(session, cache, plan.roster_version),
        plan.round,
        read_pairs_csv(pairs_csv),
        planned,
        actuals,
        int(from_year),
        from_record(plan.rules),
    )
