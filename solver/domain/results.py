"""Solve options and results: statuses, objective, bound, gap and runtime, never exceptions.

Pure data: the CP-SAT specifics (applying options, reading a solver's status) live in
solver.pairing.cpsat, so that reading a result needs no solver library.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TIME_LIMIT_S = 30.0
DEFAULT_WORKERS = 2
DEFAULT_SEED = 20210816


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal (gap 0)
    FEASIBLE = "feasible"  # a plan, not proven optimal within the time limit
    INFEASIBLE = "infeasible"  # proven impossible; the explanation says which rules conflict
    UNKNOWN = "unknown"  # time limit reached (or stopped) with no plan and no proof

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


PROVEN = frozenset({SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE})
"""Statuses a longer solve could not change: the only results a warm memo keeps (solver.domain.memo)."""


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings; the defaults suit a 2-core machine. `time_limit_s` bounds each sub-model."""

    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    num_workers: int = DEFAULT_WORKERS
    seed: int = DEFAULT_SEED
    stop: Callable[[], bool] | None = None
    """Asked between steps and during searches: True stops the solve (a cancelled plan)."""

    def stopped(self) -> bool:
        return self.stop is not None and self.stop()


class Deadline:
    """A point in time that loops check, so that no step runs on past its budget."""

    def __init__(self, seconds: float, options: SolveOptions | None = None):
        self.at = time.perf_counter() + seconds
        self.options = options

    def passed(self) -> bool:
        return time.perf_counter() > self.at or (self.options is not None and self.options.stopped())


@dataclass(frozen=True)
class Progress:
    """What a running solve reports: the sub-model, its best objective and bound so far."""

    phase: str
    best_objective: int | None
    bound: int | None
    elapsed_s: float


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class PartResult:
    """The result of one sub-model (a kind, or the nested city/county pairing)."""

    name: str
    status: SolveStatus
    objective: int | None
    bound: int | None
    runtime_s: float

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1, abs(objective))
