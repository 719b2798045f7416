"""What a stored plan was solved from, as the solver's request: its roster version, rules, base
plan, pins and options. The one place that reads them back (the solve itself, the why of a pair)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.crud import plans as crud
from service.models import Plan
from service.roster_cache import RosterCache, version_roster
from solver import PairingRequest, Pin, ProgressCallback, SolveOptions, from_record, read_pairs_csv

PAIRS_CSV = "pairs.csv"  # the files stored with a done plan
DEPLOYMENTS_CSV = "deployments.csv"
COSTS_CSV = "costs.csv"


def pairing_request(
    session: Session, cache: RosterCache, plan: Plan, on_progress: ProgressCallback | None = None
) -> PairingRequest:
    base_csv = crud.plan_file(session, plan.base_plan_id, PAIRS_CSV) if plan.base_plan_id else None
    options = plan.options
    return PairingRequest(
        version_roster(session, cache, plan.roster_version),
        plan.round,
        from_record(plan.rules),
        read_pairs_csv(base_csv) if base_csv else [],
        [Pin.model_validate(p) for p in plan.pins],
        SolveOptions(time_limit_s=options["time_limit_s"], num_workers=options["num_workers"], seed=options["seed"]),
        on_progress=on_progress,
    )
