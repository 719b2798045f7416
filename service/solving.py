"""Plans solved off the event loop: a bounded thread pool, one solve per worker thread.

CP-SAT releases the GIL while it searches, so threads solve in parallel; the pool's size
(MAX_CONCURRENT_SOLVES) bounds how many run at once. A solve writes its result, files and
final status in one transaction, guarded by its run token (see crud.plans).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service.core.config import Settings
from service.crud import plans as crud
from service.roster_cache import RosterCache, version_roster
from service.schemas import PlanStatus
from solver import (
    InputError,
    PairingRequest,
    Pin,
    Progress,
    RoundPlan,
    SolveOptions,
    SolveStatus,
    from_record,
    plan_round,
    read_pairs_csv,
    relative_gap,
)

log = logging.getLogger("service.solving")

PAIRS_CSV = "pairs.csv"
DEPLOYMENTS_CSV = "deployments.csv"
RESTART_MESSAGE = (
    "the service stopped while this plan was being solved, so nothing of it was kept; "
    "start the plan again (POST /plans)"
)


class PlanRunner:
    def __init__(self, settings: Settings, factory: sessionmaker[Session], cache: RosterCache):
        self.settings = settings
        self.factory = factory
        self.cache = cache
        self.executor = ThreadPoolExecutor(max_workers=settings.MAX_CONCURRENT_SOLVES, thread_name_prefix="solve")
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, plan_id: int) -> None:
        future = self.executor.submit(self._run, plan_id)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(partial(self._done, plan_id))

    def shutdown(self) -> None:
        # Queued plans stay queued in the database and are picked up at the next start.
        self.executor.shutdown(wait=True, cancel_futures=True)

    def _done(self, plan_id: int, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            return
        log.error("plan %s failed", plan_id, exc_info=exc)
        crud.finish(
            self.factory,
            plan_id,
            None,
            {"status": PlanStatus.FAILED.value, "error": f"internal error: {type(exc).__name__}: {exc}"},
        )

    def _run(self, plan_id: int) -> None:
        run_token = str(uuid.uuid4())
        if not crud.claim(self.factory, plan_id, run_token):
            return
        started = time.monotonic()
        with self.factory() as session:
            plan = crud.get_plan(session, plan_id)
            assert plan is not None
            rules = from_record(plan.rules)
            base_csv = crud.plan_file(session, plan.base_plan_id, PAIRS_CSV) if plan.base_plan_id else None
            roster = version_roster(session, self.cache, plan.roster_version)
            round_id, pins, options = plan.round, [Pin.model_validate(p) for p in plan.pins], plan.options
        base = read_pairs_csv(base_csv) if base_csv else []
        request = PairingRequest(
            roster,
            round_id,
            rules,
            base,
            pins,
            SolveOptions(
                time_limit_s=options["time_limit_s"], num_workers=options["num_workers"], seed=options["seed"]
            ),
            on_progress=_ProgressWriter(self, plan_id, run_token, started),
        )
        try:
            planned = plan_round(request)
        except InputError as exc:
            crud.finish(
                self.factory,
                plan_id,
                run_token,
                {
                    "status": PlanStatus.FAILED.value,
                    "error": "the plan's input is not valid: " + "; ".join(str(p) for p in exc.problems),
                },
            )
            return
        values, files = result_record(planned, options["time_limit_s"])
        if not crud.finish(self.factory, plan_id, run_token, values, files):
            log.warning("plan %s: result dropped, the plan was closed while it was solving", plan_id)

    def save_progress(self, plan_id: int, run_token: str, progress: dict[str, Any]) -> None:
        try:
            crud.save_progress(self.factory, plan_id, run_token, progress)
        except SQLAlchemyError:
            # Progress is advisory; the solve must go on if one write fails (a busy database).
            log.warning("plan %s: progress not saved", plan_id, exc_info=True)


class _ProgressWriter:
    """PairingRequest.on_progress: keeps the latest progress in the plan row, at most every interval."""

    def __init__(self, runner: PlanRunner, plan_id: int, run_token: str, started: float):
        self.runner, self.plan_id, self.run_token, self.started = runner, plan_id, run_token, started
        self.last_write = float("-inf")

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last_write < self.runner.settings.PROGRESS_INTERVAL_S:
            return
        self.last_write = now
        self.runner.save_progress(
            self.plan_id,
            self.run_token,
            {
                "phase": progress.phase,
                "best_objective": progress.best_objective,
                "bound": progress.bound,
                "gap": relative_gap(progress.best_objective, progress.bound),
                "phase_elapsed_s": round(progress.elapsed_s, 3),
                "elapsed_s": round(now - self.started, 3),
                "at": datetime.now(UTC).isoformat(),
            },
        )


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
        return values, {PAIRS_CSV: planned.pairs_csv(), DEPLOYMENTS_CSV: planned.deployments_csv()}
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


def plan_options(settings: Settings, time_limit_s: float | None) -> dict[str, Any]:
    return {
        "time_limit_s": time_limit_s or settings.SOLVE_TIME_LIMIT_S,
        "num_workers": settings.SOLVE_WORKERS,
        "seed": settings.SOLVE_SEED,
    }
