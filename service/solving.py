"""One solve: what a worker prepares before it forks (the plan's request, from the database and
its roster cache) and what the forked solve process does with it (plan_round, progress, result).

The solve process writes its progress and its result itself, each guarded by the plan's run
token (service.crud.plans), so a solve whose claim was lost or cancelled writes nothing. When it
is asked to stop (`stop` set: a cancel, an overrun, the worker shutting down) it writes nothing
either and leaves the outcome to its worker (service.worker).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import solver
from service.core.config import Settings
from service.crud import plans as crud
from service.plan_inputs import COSTS_CSV, DEPLOYMENTS_CSV, PAIRS_CSV, pairing_request, replan_request
from service.roster_cache import RosterCache
from service.schemas import PlanStatus
from solver import InputError, Progress, SolveStatus, relative_gap

if TYPE_CHECKING:  # the models load in the solve process, not with the API
    from solver import PairingRequest, ReplanRequest, RoundPlan

log = logging.getLogger("service.solving")


@dataclass(frozen=True)
class Prepared:
    """Everything a solve needs, read by the worker before it forks the solve process."""

    plan_id: int
    run_token: str
    request: PairingRequest
    time_limit_s: float
    wall_limit_s: float
    replan: ReplanRequest | None = None  # a re-plan of the years left from recorded actuals


def wall_limit(settings: Settings, time_limit_s: float) -> float:
    """A plan's wall-clock limit: PLAN_WALL_FACTOR times its per-sub-model limit, plus a margin."""
    return settings.PLAN_WALL_FACTOR * time_limit_s + settings.PLAN_WALL_MARGIN_S


def prepare(
    settings: Settings, factory: sessionmaker[Session], cache: RosterCache, plan_id: int, run_token: str
) -> Prepared:
    """The plan's solve request; InputError when its stored input no longer passes (its roster
    version against changed rules, a base plan's pairs)."""
    with factory() as session:
        plan = crud.get_plan(session, plan_id)
        if plan is None:
            raise LookupError(f"plan {plan_id} is gone")
        request = pairing_request(session, cache, plan)
        replan = replan_request(session, cache, plan)
    time_limit_s = request.options.time_limit_s
    return Prepared(plan_id, run_token, request, time_limit_s, wall_limit(settings, time_limit_s), replan)


def solve(
    factory: sessionmaker[Session],
    settings: Settings,
    prepared: Prepared,
    stop: Callable[[], bool],
    memo: solver.Memo | None = None,
) -> str:
    """Solve and store the result (in the solve process); the outcome, for the log. With the
    worker's memo, a re-plan reuses what earlier solves found (warm; the result is the cold one's)."""
    started = time.monotonic()
    request = dataclasses.replace(
        prepared.request,
        options=dataclasses.replace(prepared.request.options, stop=stop),
        on_progress=_ProgressWriter(factory, settings, prepared, started),
        memo=memo,
    )
    try:
        planned = solver.plan_round(request) if prepared.replan is None else solver.replan_round(prepared.replan).plan
    except InputError as exc:
        if stop():
            return "stopped"
        values = {
            "status": PlanStatus.FAILED.value,
            "error": "the plan's input is not valid: " + "; ".join(str(p) for p in exc.problems),
        }
        crud.finish(factory, prepared.plan_id, prepared.run_token, values)
        return "failed (input)"
    if stop():
        return "stopped"
    values, files = result_record(planned, prepared.time_limit_s)
    if not crud.finish(factory, prepared.plan_id, prepared.run_token, values, files):
        return "dropped (the claim was lost)"
    return f"{values['status']} in {time.monotonic() - started:.2f} s"


class _ProgressWriter:
    """PairingRequest.on_progress: keeps the latest progress in the plan row, at most every interval."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings, prepared: Prepared, started: float):
        self.factory, self.settings, self.prepared, self.started = factory, settings, prepared, started
        self.last_write = float("-inf")

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last_write < self.settings.PROGRESS_INTERVAL_S:
            return
        self.last_write = now
        record = {
            "phase": progress.phase,
            "best_objective": progress.best_objective,
            "bound": progress.bound,
            "gap": relative_gap(progress.best_objective, progress.bound),
            "phase_elapsed_s": round(progress.elapsed_s, 3),
            "elapsed_s": round(now - self.started, 3),
            "at": datetime.now(UTC).isoformat(),
        }
        try:
            crud.save_progress(self.factory, self.prepared.plan_id, self.prepared.run_token, record)
        except SQLAlchemyError:
            # Progress is advisory; the solve must go on if one write fails (a busy database).
            log.warning("plan %s: progress not saved", self.prepared.plan_id, exc_info=True)


def result_record(planned: RoundPlan, time_limit_s: float) -> tuple[dict[str, Any], dict[str, bytes]]:
    result = planned.result
    values: dict[str, Any] = {
        "solve_status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "runtime_s": round(result.runtime_s, 3),
        "explanation": list(result.explanation),
        "report": planned.report.model_dump(mode="json"),
        "pairs_by_kind": planned.report.pairs_by_kind,
    }
    if result.status.has_plan:
        values.update(status=PlanStatus.DONE.value, passes_checker=planned.passes_checker)
        files = {PAIRS_CSV: planned.pairs_csv(), DEPLOYMENTS_CSV: planned.deployments_csv()}
        return values, {**files, COSTS_CSV: planned.costs_csv()}
    if result.status == SolveStatus.INFEASIBLE:
        values.update(
            status=PlanStatus.INFEASIBLE.value, error="no plan satisfies every rule together; see the explanation"
        )
    else:
        values.update(
            status=PlanStatus.FAILED.value,
            error=(
                f"the solver reached its time limit ({time_limit_s:g} s per part) "
                "without finding a plan or proving there is none; try again with a longer "
                "time limit"
            ),
        )
    return values, {}


def plan_options(
    settings: Settings, time_limit_s: float | None, actuals_years: list[int] | None = None, from_year: int | None = None
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "time_limit_s": time_limit_s or settings.SOLVE_TIME_LIMIT_S,
        "num_workers": settings.SOLVE_WORKERS,
        "seed": settings.SOLVE_SEED,
    }
    if from_year is not None:  # a re-plan of the years left (service.replans)
        options.update(from_year=from_year, actuals_years=actuals_years or [])
    return options
