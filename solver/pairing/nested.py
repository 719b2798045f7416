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

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize import linear_sum_assignment

from solver.pairing.lp import Relaxation, relax
from solver.domain.results import PartResult, ProgressCallback, ProgressReporter, SolveOptions, SolveStatus, relative_gap

Edge = tuple[str, str]
FORBIDDEN = 10**9  # cost of an edge that may not be used, far above any real objective


@dataclass
class NestedProblem:
    supporter_cities: list[str]
    city_capacity: dict[str, int]
    receiving_cities: list[str]
    units_of: dict[str, list[str]]       # supporter city -> its supporter units
    unit_capacity: dict[str, int]
    receivers_of: dict[str, list[str]]   # receiving city -> its receiving counties
    city_cost: dict[Edge, int]           # allowed city pairs
    unit_cost: dict[Edge, int]           # allowed county pairs
    fixed_units: set[Edge] = field(default_factory=set)
    fixed_cities: set[Edge] = field(default_factory=set)
    candidate_cities: int | None = None  # None: every receiving city is a candidate (exact)

    def city_of_unit(self) -> dict[str, str]:
        return {u: c for c, units in self.units_of.items() for u in units}

    def city_of_receiver(self) -> dict[str, str]:
        return {r: c for c, rs in self.receivers_of.items() for r in rs}


@dataclass
class NestedResult:
    part: PartResult
    city_pairs: list[Edge]
    unit_pairs: list[Edge]
    columns: int
    exact: bool


@dataclass
class _Column:
    city: str
    cities: tuple[str, ...]
    cost: int


class _Pricer:
    """Prices columns of one supporter city: city-pair costs plus an optimal county matching."""

    def __init__(self, problem: NestedProblem, city: str, fixed_of: dict[str, str]):
        self.problem = problem
        self.city = city
        self.slots = [u for u in problem.units_of.get(city, []) for _ in range(problem.unit_capacity.get(u, 0))]
        receivers = [r for rc in problem.receiving_cities for r in problem.receivers_of.get(rc, [])]
        self.row = {r: i for i, r in enumerate(receivers)}
        matrix = np.full((len(receivers), len(self.slots)), FORBIDDEN, dtype=np.int64)
        for j, unit in enumerate(self.slots):
            for r, i in self.row.items():
                pinned = fixed_of.get(r)
                if pinned is not None and pinned != unit:
                    continue
                cost = problem.unit_cost.get((unit, r))
                if cost is not None:
                    matrix[i, j] = cost
        self.matrix = matrix

    def assign(self, cities: tuple[str, ...]) -> tuple[int, list[Edge]] | None:
        """Optimal county pairs for receiving `cities` under this supporter city, or None."""
        receivers = [r for rc in cities for r in self.problem.receivers_of.get(rc, [])]
        if len(receivers) > len(self.slots):
            return None
        if not receivers:
            return 0, []
        sub = self.matrix[[self.row[r] for r in receivers]]
        rows, cols = linear_sum_assignment(sub)
        cost = int(sub[rows, cols].sum())
        if cost >= FORBIDDEN:
            return None
        return cost, [(self.slots[j], receivers[i]) for i, j in zip(rows, cols, strict=True)]


def _nearest(problem: NestedProblem) -> dict[str, set[str]]:
    """With a candidate limit K: each supporter city's K cheapest receiving cities, plus every
    receiving city for which it is one of the K cheapest supporter cities (so none is left out)."""
    k = problem.candidate_cities
    chosen: dict[str, set[str]] = {c: set() for c in problem.supporter_cities}
    if k is None:
        return chosen
    for c in problem.supporter_cities:
        options = sorted((cost, r) for (cc, r), cost in problem.city_cost.items() if cc == c)
        chosen[c].update(r for _, r in options[:k])
    for r in problem.receiving_cities:
        options = sorted((cost, c) for (c, rr), cost in problem.city_cost.items() if rr == r)
        for _, c in options[:k]:
            chosen[c].add(r)
    return chosen


def _candidates(problem: NestedProblem, city: str, required: set[str], taken: set[str],
                nearest: dict[str, set[str]] | None) -> list[str]:
    allowed = {r for r in problem.receiving_cities if (city, r) in problem.city_cost and r not in taken}
    if nearest is not None and problem.candidate_cities is not None:
        allowed &= nearest[city]
    return sorted(allowed | required)


@dataclass
class _Scope:
    """What one supporter city may take: its capacity, pinned cities, cities pinned elsewhere."""

    city: str
    capacity: int
    need: set[str]
    allowed: list[str]      # every receiving city it may take (pins respected)
    candidates: list[str]   # the ones enumerated up front
    pricer: _Pricer

    def admits(self, subset: tuple[str, ...]) -> bool:
        return self.need.issubset(subset) and len(subset) <= self.capacity

    def column(self, problem: NestedProblem, subset: tuple[str, ...]) -> _Column | None:
        priced = self.pricer.assign(subset)
        if priced is None:
            return None
        return _Column(self.city, subset, sum(problem.city_cost[(self.city, r)] for r in subset) + priced[0])


def city_scopes(problem: NestedProblem) -> dict[str, _Scope]:
    unit_city = problem.city_of_unit()
    receiver_city = problem.city_of_receiver()
    fixed_of = {r: u for u, r in problem.fixed_units}
    fixed_city = set(problem.fixed_cities) | {(unit_city[u], receiver_city[r]) for u, r in problem.fixed_units
                                              if u in unit_city and r in receiver_city}
    nearest = _nearest(problem)
    scopes = {}
    for city in problem.supporter_cities:
        cap = problem.city_capacity.get(city, 0)
        need = {r for c, r in fixed_city if c == city}
        taken = {r for c, r in fixed_city if c != city}
        allowed = _candidates(problem, city, need, taken, None)
        if cap == 0 or not allowed:
            continue
        candidates = _candidates(problem, city, need, taken, nearest)
        scopes[city] = _Scope(city, cap, need, allowed, candidates, _Pricer(problem, city, fixed_of))
    return scopes


def enumerate_columns(problem: NestedProblem) -> tuple[list[_Column], dict[str, _Scope]]:
    """Every column over each supporter city's candidates (all receiving cities when exact)."""
    scopes = city_scopes(problem)
    columns: list[_Column] = []
    for scope in scopes.values():
        for size in range(max(1, len(scope.need)), scope.capacity + 1):
            for subset in itertools.combinations(scope.candidates, size):
                if scope.admits(subset) and (column := scope.column(problem, subset)) is not None:
                    columns.append(column)
        if problem.candidate_cities is not None and not scope.need:
            # Singletons of every allowed city keep the restricted master feasible.
            for r in scope.allowed:
                if r not in scope.candidates and (column := scope.column(problem, (r,))) is not None:
                    columns.append(column)
    return columns, scopes


EXACT_PRICING_LIMIT = 16  # enumerate every subset of at most this many promising cities


def generate_columns(problem: NestedProblem, columns: list[_Column], scopes: dict[str, _Scope],
                     deadline: float, max_rounds: int = 50) -> float | None:
    """Column generation on the master's LP; returns a Lagrangian lower bound valid for all columns.

    Costs are superadditive: a column's cost is at least the cost of any part of it plus the
    cost of each other receiving city R alone (R's city pair and R's counties matched alone to
    the supporter's units), because the joint matching restricted to each part is feasible for
    that part alone. So adding R to a column lowers its reduced cost only when
    single(R) − dual(R) < 0, and a supporter city's best column uses only such cities. When
    there are few of them, every subset is priced exactly; otherwise the sum of the most negative
    terms bounds it. With each supporter city's smallest reduced cost ρ_C (≤ 0),
    LP value + Σ ρ_C bounds the whole problem from below (Farley's bound).
    """
    single = {(scope.city, r): column.cost for scope in scopes.values() for r in scope.allowed
              if (column := scope.column(problem, (r,))) is not None}
    seen = {(c.city, c.cities) for c in columns}
    bound = None
    for _ in range(max_rounds):
        relaxation = lp_relaxation(problem, columns)
        if relaxation is None:
            return None
        duals = dict(zip(problem.receiving_cities, relaxation.eq_duals, strict=True))
        own = dict(zip(problem.supporter_cities, relaxation.le_duals, strict=True))
        added, total = 0, 0.0
        for scope in scopes.values():
            smallest, new = _price(problem, scope, single, duals, own[scope.city], seen)
            total += min(0.0, smallest)
            for column in new:
                columns.append(column)
                seen.add((column.city, column.cities))
                added += 1
        bound = relaxation.bound + total
        if not added or time.perf_counter() > deadline:
            break
    return bound


def _price(problem: NestedProblem, scope: _Scope, single: dict[tuple[str, str], int], duals: dict[str, float],
           own: float, seen: set[tuple[str, tuple[str, ...]]], keep: int = 5) -> tuple[float, list[_Column]]:
    """(a lower bound on the scope's smallest reduced cost, up to `keep` new improving columns)."""
    terms = sorted((single[(scope.city, r)] - duals[r], r) for r in scope.allowed
                   if r not in scope.need and (scope.city, r) in single)
    promising = [r for t, r in terms if t < -1e-6]
    room = scope.capacity - len(scope.need)
    exact = len(promising) <= EXACT_PRICING_LIMIT
    pool = promising if exact else promising[: room + 2]
    best = math.inf
    improving: list[tuple[float, _Column]] = []
    for size in range(0, room + 1):
        for extra in itertools.combinations(sorted(pool), size):
            subset = tuple(sorted(scope.need.union(extra)))
            if not subset:
                continue
            column = scope.column(problem, subset)
            if column is None:
                continue
            reduced = column.cost - sum(duals[r] for r in subset) - own
            best = min(best, reduced)
            if reduced < -1e-6 and (scope.city, subset) not in seen:
                improving.append((reduced, column))
    if not exact:
        need_part = 0.0
        if scope.need:
            column = scope.column(problem, tuple(sorted(scope.need)))
            need_part = (column.cost - sum(duals[r] for r in scope.need)) if column else 0.0
        best = min(best, need_part + sum(t for t, _ in terms[:room] if t < 0) - own)
    improving.sort(key=lambda item: (item[0], item[1].cities))
    return (0.0 if best == math.inf else best), [column for _, column in improving[:keep]]


def relaxation_bound(problem: NestedProblem) -> int | None:
    """A valid lower bound: city pairs and county pairs each at their best, nesting dropped."""
    total = 0
    for rows, supply, capacity, cost in (
        (problem.receiving_cities, problem.supporter_cities, problem.city_capacity, problem.city_cost),
        ([r for rc in problem.receiving_cities for r in problem.receivers_of.get(rc, [])],
         [u for c in problem.supporter_cities for u in problem.units_of.get(c, [])],
         problem.unit_capacity, problem.unit_cost),
    ):
        slots = [s for s in supply for _ in range(capacity.get(s, 0))]
        if len(rows) > len(slots):
            return None
        if not rows:
            continue
        matrix = np.full((len(rows), len(slots)), FORBIDDEN, dtype=np.int64)
        for i, r in enumerate(rows):
            for j, s in enumerate(slots):
                c = cost.get((s, r))
                if c is not None:
                    matrix[i, j] = c
        ri, ci = linear_sum_assignment(matrix)
        value = int(matrix[ri, ci].sum())
        if value >= FORBIDDEN:
            return None
        total += value
    return total


def _master(problem: NestedProblem, columns: list[_Column]) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """Choose columns: every receiving city covered once, every supporter city at most once."""
    model = cp_model.CpModel()
    use = [model.new_bool_var(f"col{i}") for i in range(len(columns))]
    covering: dict[str, list[cp_model.IntVar]] = {r: [] for r in problem.receiving_cities}
    of_city: dict[str, list[cp_model.IntVar]] = {c: [] for c in problem.supporter_cities}
    for column, var in zip(columns, use, strict=True):
        for r in column.cities:
            covering[r].append(var)
        of_city[column.city].append(var)
    for vars_ in covering.values():
        model.add_exactly_one(vars_)
    for vars_ in of_city.values():
        model.add_at_most_one(vars_)
    objective = sum(column.cost * var for column, var in zip(columns, use, strict=True))
    model.minimize(objective)
    return model, use


def first_plan_cost(problem: NestedProblem, columns: list[_Column], options: SolveOptions) -> int | None:
    """The cost of a plan CP-SAT finds quickly on all columns: an upper bound for pruning."""
    model, _ = _master(problem, columns)
    solver = cp_model.CpSolver()
    options.apply(solver)
    solver.parameters.max_time_in_seconds = min(options.time_limit_s / 4, 0.5)
    status = solver.solve(model)
    return round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def lp_relaxation(problem: NestedProblem, columns: list[_Column]) -> Relaxation | None:
    """The master's LP relaxation: cover every receiving city once, each supporter city at most once."""
    row = {r: i for i, r in enumerate(problem.receiving_cities)}
    city = {c: i for i, c in enumerate(problem.supporter_cities)}
    cover = [(row[r], j, 1.0) for j, column in enumerate(columns) for r in column.cities]
    once = [(city[column.city], j, 1.0) for j, column in enumerate(columns)]
    costs = np.array([c.cost for c in columns], dtype=float)
    # No upper bound of 1 on the columns: the cover rows imply it, and without it every
    # reduced cost at the LP optimum is ≥ 0, which Farley's bound relies on.
    no_upper = np.full(len(columns), np.inf)
    return relax(costs, once, [1.0] * len(city), cover, [1.0] * len(row), upper=no_upper)


def solve_nested(problem: NestedProblem, options: SolveOptions,
                 on_progress: ProgressCallback | None = None) -> NestedResult:
    started = time.perf_counter()
    all_columns, scopes = enumerate_columns(problem)
    exact = problem.candidate_cities is None
    lagrangian = None
    if not exact and all_columns:
        lagrangian = generate_columns(problem, all_columns, scopes, started + options.time_limit_s / 2)
    columns = all_columns
    relaxation = lp_relaxation(problem, all_columns) if all_columns else None
    hint: set[int] = set()
    if relaxation is not None:
        costs = np.array([c.cost for c in all_columns], dtype=float)
        upper = relaxation.integral_cost(costs)
        if upper is not None:
            hint = relaxation.chosen()
        else:
            upper = first_plan_cost(problem, all_columns, options)
        if upper is not None:
            kept = relaxation.keep(upper)
            columns = [all_columns[j] for j in kept]
            hint = {i for i, j in enumerate(kept) if j in hint}
    model, use = _master(problem, columns)
    if relaxation is not None:
        # The LP bound is implied, so stating it cuts off nothing; it lets CP-SAT stop at once.
        model.add(sum(c.cost * v for c, v in zip(columns, use, strict=True)) >= relaxation.lower_bound())
    for i, var in enumerate(use):
        model.add_hint(var, i in hint)
    solver = cp_model.CpSolver()
    options.apply(solver)
    status = solver.solve(model, ProgressReporter("city_city+county_county", on_progress))
    runtime = time.perf_counter() - started
    part = PartResult.from_cp_sat("city_city+county_county", solver, status, runtime)
    if not part.status.has_plan:
        if part.status == SolveStatus.INFEASIBLE and not exact:
            part = PartResult(part.name, SolveStatus.UNKNOWN, None, None, runtime)
        return NestedResult(part, [], [], len(all_columns), exact)
    city_pairs: list[Edge] = []
    unit_pairs: list[Edge] = []
    for column, var in zip(columns, use, strict=True):
        if solver.boolean_value(var):
            city_pairs.extend((column.city, r) for r in column.cities)
            priced = scopes[column.city].pricer.assign(column.cities)
            assert priced is not None  # it was feasible when the column was made
            unit_pairs.extend(priced[1])
    bound = part.bound
    if not exact:
        candidates = [b for b in (relaxation_bound(problem), lagrangian) if b is not None]
        bound = math.ceil(max(candidates) - 1e-6) if candidates else None
    status_out = part.status
    if bound is not None and part.objective is not None and relative_gap(part.objective, bound) == 0:
        status_out = SolveStatus.OPTIMAL
    elif not exact:
        status_out = SolveStatus.FEASIBLE
    part = PartResult(part.name, status_out, part.objective, bound, time.perf_counter() - started)
    return NestedResult(part, sorted(city_pairs), sorted(unit_pairs), len(all_columns), exact)
