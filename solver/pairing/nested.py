"""City–city and county–county pairing together, nested (R01, R04), by column decomposition.

The joint model (one boolean per supporter unit × receiving county, linked to city pairs) is
hard for CP-SAT to prove optimal. The same problem splits cleanly: once a supporter city C
takes a set S of receiving cities, the best county pairs inside it are a min-cost assignment of
S's receiving counties to C's supporter units (with their capacities). So we enumerate the
columns (C, S) with |S| ≤ capacity(C), price each by an exact assignment (Hungarian method),
and let CP-SAT choose one column per supporter city covering every receiving city once. With
all columns enumerated the master's optimum is the joint optimum.

Before CP-SAT runs, columns that cannot be in any plan better than a greedy one are dropped by
LP reduced-cost fixing (the master's LP relaxation, solved by HiGHS through SciPy): a column
whose reduced cost exceeds (greedy objective − LP bound) would raise any plan containing it
above the greedy plan, so dropping it keeps the optimum. This is what lets 2 CP-SAT workers
prove optimality in milliseconds instead of seconds.

For very large rosters the candidate cities of each supporter can be limited to its nearest
ones; the bound then comes from the relaxation without nesting, valid for the joint problem.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from solver.domain.memo import Memo, digest
from solver.domain.pairs import Edge
from solver.domain.results import (
    PROVEN,
    Deadline,
    PartResult,
    Progress,
    ProgressCallback,
    SolveOptions,
    SolveStatus,
    relative_gap,
)
from solver.pairing.columns import (
    Column,
    NestedProblem,
    column_count,
    enumerate_columns,
    lp_relaxation,
    pinned_cities,
    relaxation_bound,
)
from solver.pairing.cpsat import ProgressReporter, new_solver, part_result
from solver.pairing.lp import Relaxation
from solver.pairing.pricing import generate_columns, solve_restricted

PART_NAME = "city_city+county_county+school_school"
MAX_ENUMERATED = 200_000
"""Above this many columns the exact enumeration gives way to column generation from each supporter
city's nearest receiving cities, whose Lagrangian bound still proves the plan optimal when it closes."""
CLOSE = 0.03
"""A Lagrangian bound this close to the LP (a share of it) needs no other bound beside it."""
FIX_SHARE = 0.0005
"""Generated columns within this share of the LP bound in reduced cost go to the restricted master first."""
GENERATION_START = 10_000
"""Column generation starts from at most this many columns besides the single receiving cities: the
slot-price pricing combines cities well, so a larger start mostly slows each round's LP (on the
national roster 15,251 columns of nearest cities gave a 0.60% gap in 8.5 s, none 0.40% in 8 s)."""


@dataclass
class NestedResult:
    part: PartResult
    city_pairs: list[Edge]
    unit_pairs: list[Edge]
    columns: int
    exact: bool
    chosen: list[Column] = field(default_factory=list)  # the plan's columns, with their column terms
    unit_slots: dict[Edge, int] = field(default_factory=dict)  # county pair -> the slot of its unit it takes


def _candidate_limit(problem: NestedProblem, most: int) -> int:
    """The largest number of nearest receiving cities per supporter city with at most `most` columns
    (0: only each supporter city's single receiving cities, which pricing then combines)."""
    for k in range(1, len(problem.receiving_cities) + 1):
        if column_count(replace(problem, candidate_cities=k)) > most:
            return k - 1
    return len(problem.receiving_cities)


def _master(problem: NestedProblem, columns: list[Column]) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """Choose columns: every receiving city covered once, every supporter city at most once
    (exactly once when a pin obliges it)."""
    model = cp_model.CpModel()
    pinned = set(pinned_cities(problem))
    use = [model.new_bool_var(f"col{i}") for i in range(len(columns))]
    covering: dict[str, list[cp_model.IntVar]] = {r: [] for r in problem.receiving_cities}
    of_city: dict[str, list[cp_model.IntVar]] = {c: [] for c in problem.supporter_cities}
    for column, var in zip(columns, use, strict=True):
        for r in column.cities:
            covering[r].append(var)
        of_city[column.city].append(var)
    for vars_ in covering.values():
        model.add_exactly_one(vars_)
    for city, vars_ in of_city.items():
        if city in pinned:
            model.add_exactly_one(vars_)
        else:
            model.add_at_most_one(vars_)
    objective = sum(column.cost * var for column, var in zip(columns, use, strict=True))
    model.minimize(objective)
    return model, use


def first_plan_cost(problem: NestedProblem, columns: list[Column], options: SolveOptions) -> int | None:
    """The cost of a plan CP-SAT finds quickly on all columns: an upper bound for pruning."""
    model, _ = _master(problem, columns)
    solver = new_solver(options, min(options.time_limit_s / 4, 0.5))
    status = solver.solve(model)
    return round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _restricted_plan(
    problem: NestedProblem,
    all_columns: list[Column],
    relaxation: Relaxation | None,
    hint: set[int],
    time_limit_s: float,
    started: float,
) -> tuple[list[Column], tuple[bool, int | None, int | None, list[int]]]:
    """The restricted master's optimum by HiGHS, on the columns whose LP reduced cost is within a
    small share of the LP bound: a plan no dearer than that cutoff uses no other column, so one
    found below it is the optimum. Otherwise the share grows (deterministically) until all are in."""
    share = FIX_SHARE
    while True:
        if relaxation is None:
            kept = list(range(len(all_columns)))
            cutoff = math.inf
        else:
            cutoff = relaxation.bound + share * max(1.0, abs(relaxation.bound))
            kept = relaxation.keep(cutoff)
        columns = [all_columns[j] for j in kept]
        limit = max(0.1, time_limit_s - (time.perf_counter() - started))
        found = solve_restricted(problem, columns, {i for i, j in enumerate(kept) if j in hint}, limit)
        objective = found[1]
        if len(kept) == len(all_columns) or (objective is not None and objective <= cutoff):
            return columns, found
        share *= 4


def solve_nested(
    problem: NestedProblem,
    options: SolveOptions,
    on_progress: ProgressCallback | None = None,
    memo: Memo | None = None,
) -> NestedResult:
    """The nested part's plan; with a memo, the proven plan of the same problem is reused, and
    otherwise the columns of every supporter city whose own inputs did not change (a warm re-plan)."""
    if memo is None:
        return _solve_nested(problem, options, on_progress, None)
    started = time.perf_counter()
    found = memo.get_or_compute(
        "nested",
        digest(problem, options.time_limit_s, options.num_workers, options.seed),
        lambda: _solve_nested(problem, options, on_progress, memo),
        keep=lambda result: result.exact and result.part.status in PROVEN,
    )
    return replace(found, part=replace(found.part, runtime_s=time.perf_counter() - started))


def _solve_nested(
    problem: NestedProblem, options: SolveOptions, on_progress: ProgressCallback | None, memo: Memo | None
) -> NestedResult:
    started = time.perf_counter()
    if problem.candidate_cities is None and column_count(problem) > MAX_ENUMERATED:
        problem = replace(problem, candidate_cities=_candidate_limit(problem, GENERATION_START))
    deadline = Deadline(options.time_limit_s / 2, options)
    all_columns, scopes, complete = enumerate_columns(problem, deadline, memo)
    exact = problem.candidate_cities is None and complete
    lagrangian, relaxation, start = None, None, None
    if problem.candidate_cities is not None and all_columns:
        lagrangian, relaxation, start = generate_columns(problem, all_columns, scopes, deadline)
    columns = all_columns
    if relaxation is None and all_columns:
        relaxation = lp_relaxation(problem, all_columns)
    hint: set[int] = set()
    generated = problem.candidate_cities is not None
    if generated:
        if relaxation is not None and relaxation.integral():
            hint = relaxation.chosen()
        elif start is not None and start.covers(problem):
            hint = start.indices(all_columns)
    elif relaxation is not None:
        costs = np.array([c.cost for c in all_columns], dtype=float)
        upper = relaxation.integral_cost(costs)
        if upper is not None:
            hint = relaxation.chosen()
        elif start is not None and start.covers(problem):  # the greedy plan: a first plan and a bound
            hint = start.indices(all_columns)
            upper = round(sum(costs[i] for i in hint))
        else:
            upper = first_plan_cost(problem, all_columns, options)
        if upper is not None:
            kept = relaxation.keep(upper)
            columns = [all_columns[j] for j in kept]
            hint = {i for i, j in enumerate(kept) if j in hint}
    if generated:
        # Generated columns: the restricted master is a set partitioning MIP that HiGHS proves in
        # seconds where CP-SAT runs to its limit, and its optimum is only a plan (the bound is the
        # Lagrangian one), so no time-limited search should decide it.
        columns, (proven, objective, bound_of_plan, picked) = _restricted_plan(
            problem, all_columns, relaxation, hint, options.time_limit_s, started
        )
        runtime = time.perf_counter() - started
        if objective is None:
            part = PartResult(PART_NAME, SolveStatus.UNKNOWN, None, None, runtime)
            return NestedResult(part, [], [], len(all_columns), exact)
        status_of_plan = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        part = PartResult(PART_NAME, status_of_plan, objective, bound_of_plan, runtime)
        if on_progress is not None:
            on_progress(Progress(PART_NAME, objective, bound_of_plan, runtime))
        in_plan = set(picked)
    else:
        model, use = _master(problem, columns)
        if relaxation is not None:
            # The LP bound is implied, so stating it cuts off nothing; it lets CP-SAT stop at once.
            model.add(sum(c.cost * v for c, v in zip(columns, use, strict=True)) >= relaxation.lower_bound())
        for i, var in enumerate(use):
            model.add_hint(var, i in hint)
        solver = new_solver(options)
        status = solver.solve(model, ProgressReporter(PART_NAME, on_progress, options))
        runtime = time.perf_counter() - started
        part = part_result(PART_NAME, solver, status, runtime)
        if not part.status.has_plan:
            if part.status == SolveStatus.INFEASIBLE and not exact:
                part = PartResult(part.name, SolveStatus.UNKNOWN, None, None, runtime)
            return NestedResult(part, [], [], len(all_columns), exact)
        in_plan = {i for i, var in enumerate(use) if solver.boolean_value(var)}
    city_pairs: list[Edge] = []
    unit_slots: dict[Edge, int] = {}
    chosen: list[Column] = []
    for i, column in enumerate(columns):
        if i in in_plan:
            chosen.append(column)
            city_pairs.extend((column.city, r) for r in column.cities)
            priced = scopes[column.city].pricer.assign(column.cities)
            assert priced is not None  # it was feasible when the column was made
            unit_slots.update(priced[1])
    bound = part.bound
    if not exact:
        # The relaxation without nesting lies far below a Lagrangian bound that nearly meets the LP:
        # only a column generation cut short needs it.
        close = lagrangian is not None and relaxation is not None and lagrangian >= (1 - CLOSE) * relaxation.bound
        candidates = [b for b in (None if close else relaxation_bound(problem), lagrangian) if b is not None]
        bound = math.ceil(max(candidates) - 1e-6) if candidates else None
    status_out = part.status
    if bound is not None and part.objective is not None and relative_gap(part.objective, bound) == 0:
        status_out = SolveStatus.OPTIMAL
    elif not exact:
        status_out = SolveStatus.FEASIBLE
    part = PartResult(part.name, status_out, part.objective, bound, time.perf_counter() - started)
    return NestedResult(part, sorted(city_pairs), sorted(unit_slots), len(all_columns), exact, chosen, unit_slots)
