"""What-if without storing: roster changes tried against a done plan, re-planned in memory.

The changes go through the same path as POST /rosters/current/changes (the scope check, then
apply_changes: the solver's one validation path), but the edited roster is never stored; its
structural pairs are re-planned with the base plan's pairs as base (fewest changes first, as a
stored re-plan) and its pins, and the answer compares them with the base plan's. No roster version, plan row
or audit entry is written. The solve runs in a spawned child process (a solver abort must not
take the API down), waited for in a worker thread (a sync route) so the event loop stays free:
one preview at a time per API process, under SOLVE_TIME_LIMIT_S per sub-model. That process is
kept between previews with a solver.Memo, so a preview after another on the same base re-plans
warm: it recomputes only the sub-problems the changes reach (the result is the cold one's).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fastapi import APIRouter

import solver
from service import scope
from service.api.deps import CacheDep, Coordinator, FactoryDep, SettingsDep
from service.api.openapi import problems
from service.core.problems import ProblemError, not_found
from service.crud import plans as plan_crud
from service.crud import rosters as roster_crud
from service.exports import diff_plans
from service.plan_inputs import PAIRS_CSV
from service.roster_cache import version_rows
from service.schemas import KpisOut, PlanStatus, PreviewIn, PreviewOut
from solver import (
    InputError,
    Kind,
    Pair,
    Pin,
    SolveOptions,
    from_record,
    read_pairs_csv,
)

router = APIRouter(prefix="/plans", tags=["plans"])

# One preview at a time per API process: a solve takes the CPU for up to its time limit.
_TURN = threading.Lock()
RETRY_AFTER_S = 10
PARENT_CHECK_S = 1.0


def _busy() -> ProblemError:
    return ProblemError(
        429,
        "another preview is being solved on this server; try again in a few seconds",
        slug="preview-busy",
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _score_terms(pairs: Sequence[Pair]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for pair in pairs:
        totals.update(pair.score_terms)
    return totals


def kpis(pairs: Sequence[Pair]) -> KpisOut:
    by_kind: dict[str, int] = {}
    spread: dict[str, int] = {}
    for kind in Kind:
        of_kind = [p for p in pairs if p.kind == kind]
        if not of_kind:
            continue
        by_kind[kind.value] = len(of_kind)
        loads = Counter(p.supporter_id for p in of_kind)
        spread[kind.value] = max(loads.values()) - min(loads.values())
    return KpisOut(pairs=len(pairs), pairs_by_kind=by_kind, supporter_load_spread=spread)


_POOL: ProcessPoolExecutor | None = None  # the preview's process, kept warm between previews (under _TURN)
# In that process: what earlier previews found (solver.Memo), and the last base plans' pairs.
_MEMO: solver.Memo | None = None
_BASES: dict[bytes, list[Pair]] = {}
_BASES_KEPT = 4


def _pool() -> ProcessPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_leave_with, initargs=(os.getpid(),)
        )
    return _POOL


def _leave_with(api_pid: int) -> None:
    """In the preview's process: exit once the API process that started it has gone (killed, or
    stopped without shutting the pool down), rather than live on as an orphan."""

    def watch() -> None:
        while os.getppid() == api_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="preview-parent-watch", daemon=True).start()


def _drop_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


def _base_pairs(base_csv: bytes) -> list[Pair]:
    """The base plan's pairs, parsed once per base (a done plan's pairs never change)."""
    key = hashlib.blake2b(base_csv, digest_size=20).digest()
    if key not in _BASES:
        if len(_BASES) >= _BASES_KEPT:
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = read_pairs_csv(base_csv)
    return _BASES[key]


def _answer(
    roster: solver.Roster,
    round_id: str,
    rules: dict[str, Any],
    pins: list[Pin],
    base_csv: bytes,
    base_id: int,
    options: SolveOptions,
) -> dict[str, Any]:
    """In the preview's process: the re-plan, warm (the memo outlives each preview there), and the
    answer's figures, so that only they, not two plans' pairs, cross back to the API."""
    global _MEMO
    if _MEMO is None:
        _MEMO = solver.Memo()
    base_pairs = _base_pairs(base_csv)
    request = solver.PairingRequest(roster, round_id, from_record(rules), base_pairs, pins, options, memo=_MEMO)
    result = solver.plan_pairs(request)
    new_terms, base_terms = _score_terms(result.pairs), _score_terms(base_pairs)
    changed = diff_plans(0, result.pairs, base_id, base_pairs)
    return {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "runtime_s": round(result.runtime_s, 3),
        "explanation": list(result.explanation),
        "score": sum(new_terms.values()),
        "base_score": sum(base_terms.values()),
        "score_change": {t: new_terms[t] - base_terms[t] for t in sorted(new_terms.keys() | base_terms.keys())},
        "kept": changed.kept,
        "added": changed.added,
        "removed": changed.removed,
        "kinds": changed.kinds,
        "kpis": kpis(result.pairs),
        "base_kpis": kpis(base_pairs),
    }


@router.post(
    "/preview",
    response_model=PreviewOut,
    responses=problems(401, 403, 404, 409, 422, 429, 503),
    summary="What-if: the pairs a roster change would give against a done plan, without storing anything",
)
def preview(
    body: PreviewIn, user: Coordinator, factory: FactoryDep, cache: CacheDep, settings: SettingsDep
) -> PreviewOut:
    """Applies the changes (the body of POST /rosters/current/changes) to the current roster in
    memory, validates them exactly as that endpoint does (422 naming change index, table, id and
    field; 403 for rows outside a city-scoped token's city), re-plans the structural pairs of the
    base plan's round with the base plan's pairs as base, its pins and rules (422 when they do not
    fit the changed roster), and answers the pairs added and removed per kind, the change of each
    score term and key figures. Nothing is stored: no
    roster version, no plan, no audit entry. 404 for an unknown base plan, 409 when it is not
    done; one preview is solved at a time per server (429 with Retry-After while one runs), each
    sub-model within SOLVE_TIME_LIMIT_S."""
    with factory() as session:
        base = plan_crud.get_plan(session, body.base_plan_id)
        if base is None:
            raise not_found(f"plan {body.base_plan_id}")
        if base.status != PlanStatus.DONE:
            raise ProblemError(
                409,
                f"plan {base.id} has no pairs to start from: it is {base.status}; choose a done plan",
                slug="plan-not-done",
                extra={"plan_status": base.status},
            )
        base_csv = plan_crud.plan_file(session, base.id, PAIRS_CSV)
        if base_csv is None:
            raise ProblemError(409, f"plan {base.id} has no stored pairs", slug="plan-not-done")
        version = roster_crud.latest_number(session)
        if version is None:
            raise ProblemError(503, "no roster has been loaded yet", slug="no-roster")
        current = version_rows(session, cache, version)
        base_round, base_rules = base.round, base.rules
        base_pins = [Pin.model_validate(p) for p in base.pins]
    edited = scope.scoped_changes(user.city_id, current, body.changes, settings.MAX_ERRORS)
    options = SolveOptions(
        time_limit_s=settings.SOLVE_TIME_LIMIT_S, num_workers=settings.SOLVE_WORKERS, seed=settings.SOLVE_SEED
    )
    if not _TURN.acquire(blocking=False):
        raise _busy()
    try:
        # In a process of its own: a solver that aborts must not take the API down with it.
        answer = (
            _pool()
            .submit(_answer, edited.roster, base_round, base_rules, base_pins, base_csv, base.id, options)
            .result()
        )
    except BrokenProcessPool as exc:
        _drop_pool()  # the next preview starts a new process (cold)
        raise ProblemError(
            422,
            "the solver stopped unexpectedly on this roster change; nothing was changed",
            slug="preview-solver-stopped",
            errors=[{"field": "changes", "message": "the solver could not plan the changed roster"}],
        ) from exc
    except InputError as exc:
        raise ProblemError(
            422,
            "the base plan's pairs, pins or rules do not fit the changed roster",
            slug="invalid-preview",
            errors=[{"field": p.field, "message": str(p)} for p in exc.problems][: settings.MAX_ERRORS],
        ) from exc
    finally:
        _TURN.release()
    return PreviewOut(base_plan_id=base.id, round=base_round, roster_version=version, **answer)
