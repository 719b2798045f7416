"""CP-SAT specifics in one place: applying solve options, reporting progress, reading a status."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.domain.results import (
    PartResult,
    Progress,
    ProgressCallback,
    SolveOptions,
    SolveStatus,
)

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


def new_solver(options: SolveOptions, time_limit_s: float | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit_s if time_limit_s is None else time_limit_s
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    # Same input, same output: workers run in deterministic batches, not racing the clock.
    solver.parameters.interleave_search = options.num_workers > 1
    return solver


class ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Forwards each improving solution of one sub-model to a progress callback, and stops the
    search when the solve is cancelled."""

    def __init__(self, phase: str, callback: ProgressCallback | None, options: SolveOptions | None = None):
        super().__init__()
        self.phase, self.callback, self.options = phase, callback, options

    def on_solution_callback(self) -> None:
        if self.options is not None and self.options.stopped():
            self.stop_search()
            return
        if self.callback is not None:
            self.callback(
                Progress(self.phase, round(self.objective_value), round(self.best_objective_bound), self.wall_time)
            )


def part_result(name: str, solver: cp_model.CpSolver, status: object, runtime_s: float) -> PartResult:
    mapped = next((mine for theirs, mine in _STATUS.items() if theirs == status), SolveStatus.UNKNOWN)
    if mapped.has_plan:
        return PartResult(name, mapped, round(solver.objective_value), round(solver.best_objective_bound), runtime_s)
    return PartResult(name, mapped, None, None, runtime_s)
