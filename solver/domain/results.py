"""Solve options and results: statuses, objective, bound, gap and runtime, never exceptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ortools.sat.python import cp_model


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"        # proven optimal (gap 0)
    FEASIBLE = "feasible"      # a plan, not proven optimal within the time limit
    INFEASIBLE = "infeasible"  # proven impossible; the explanation says which rules conflict
    UNKNOWN = "unknown"        # time limit reached with no plan and no proof

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


_CP_SAT_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings; the defaults suit this 2-core machine."""

    time_limit_s: float = 30.0
    num_workers: int = 2
    seed: int = 20210816

    def apply(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.max_time_in_seconds = self.time_limit_s
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.seed
        # Same input, same output: workers run in deterministic batches, not racing the clock.
        solver.parameters.interleave_search = self.num_workers > 1


@dataclass(frozen=True)
class Progress:
    """What a running solve reports: the sub-model, its best objective and bound so far."""

    phase: str
    best_objective: int | None
    bound: int | None
    elapsed_s: float


ProgressCallback = Callable[[Progress], None]


class ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Forwards each improving CP-SAT solution of one sub-model to a progress callback."""

    def __init__(self, phase: str, callback: ProgressCallback | None):
        super().__init__()
        self.phase, self.callback = phase, callback

    def on_solution_callback(self) -> None:
        if self.callback is not None:
            self.callback(Progress(self.phase, round(self.objective_value), round(self.best_objective_bound),
                                   self.wall_time))


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

    @classmethod
    def from_cp_sat(cls, name: str, solver: cp_model.CpSolver, status: int, runtime_s: float) -> PartResult:
        mapped = _CP_SAT_STATUS.get(status, SolveStatus.UNKNOWN)
        if mapped.has_plan:
            return cls(name, mapped, round(solver.objective_value), round(solver.best_objective_bound), runtime_s)
        return cls(name, mapped, None, None, runtime_s)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "runtime_s": round(self.runtime_s, 3),
        }


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1, abs(objective))
