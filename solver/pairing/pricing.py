"""Column generation for the nested city/county model of very large rosters, with a proof.

Costs are superadditive: a column's cost is at least the cost of any part of it plus the cost of
each other receiving city R alone (R's city pair and R's counties matched alone to the supporter's
units), because the joint matching restricted to each part is feasible for that part alone. So a
column's reduced cost is at least Σ t_R over its cities, t_R = single(R) − dual(R), plus its column
terms: its institute's excess (≥ 0) and its fairness, φ(L) = points × (|L − F| − F) / 1000 of its
load L against its fair load F (R24). φ falls by at most `points / 1000` a teacher, so a city R
with t_R − points × load(R) / 1000 ≥ 0 never lowers that sum: only the others (the promising ones)
need be tried. With few of them every subset is tried; otherwise linear minorants of φ bound it.
With each supporter city's smallest reduced cost ρ_C (≤ 0), LP value + Σ ρ_C bounds the whole
problem from below (Farley's bound); the best subsets found are priced exactly as new columns.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import highspy
import numpy as np

from solver.domain.results import Deadline
from solver.pairing.columns import Column, NestedProblem, _Scope, pinned_cities
from solver.pairing.lp import Relaxation

MAX_SUBSETS = 60_000  # with at most this many subsets of the promising cities, each is bounded
MAX_PRICED = 300  # exact pricings per supporter city and round; the rest are bounded
SLACK_COST = 10**9  # a receiving city left to its slack column: far above any plan
LAGRANGE_STEPS = 41  # multipliers tried for the fairness term
ROUNDING = 0.5  # the fairness term is rounded to whole points: it may lie this far below φ


def generate_columns(
    problem: NestedProblem, columns: list[Column], scopes: dict[str, _Scope], deadline: Deadline, max_rounds: int = 200
) -> tuple[float | None, Relaxation | None, Start]:
    """Column generation on the master's LP, new columns appended to `columns`; returns a Lagrangian
    lower bound valid for all columns, the last LP over `columns` (None if it used a slack) and the
    greedy plan it started from (a first plan for CP-SAT)."""
    single = {
        (scope.city, r): column.cost
        for scope in scopes.values()
        for r in scope.allowed
        if (column := scope.column(problem, (r,), whole=False)) is not None
    }
    seen = {(c.city, c.cities) for c in columns}
    greedy = _greedy(problem, scopes, single)
    for column in greedy:
        if (column.city, column.cities) not in seen:
            columns.append(column)
            seen.add((column.city, column.cities))
    start = Start({(c.city, c.cities) for c in greedy})
    master = Master(problem)
    master.add(columns)
    bound: float | None = None
    relaxation = None
    for _ in range(max_rounds):
        relaxation = master.solve()
        if relaxation is None:
            return None, None, start
        duals = dict(zip(problem.receiving_cities, relaxation.eq_duals, strict=True))
        own = dict(zip(problem.supporter_cities, relaxation.le_duals, strict=True))
        new: list[Column] = []
        total = 0.0
        for scope in scopes.values():
            smallest, found = _price(problem, scope, single, duals, own[scope.city], seen)
            total += min(0.0, smallest)
            for column in found:
                new.append(column)
                seen.add((column.city, column.cities))
        # Every round's bound is valid; the last LP is the best, but its pricing may be rougher.
        bound = relaxation.bound + total if bound is None else max(bound, relaxation.bound + total)
        if not new or deadline.passed() or relaxation.bound - bound <= 1e-6 * max(1.0, abs(bound)):
            break
        columns.extend(new)
        master.add(new)
    if relaxation is None or master.uses_slack(relaxation):
        return bound, None, start
    dived = master.dive(columns)
    if dived is not None:
        start = Start({(columns[j].city, columns[j].cities) for j in dived})
    return bound, relaxation.without_slack(len(problem.receiving_cities)), start


@dataclass(frozen=True)
class Start:
    """The greedy plan's columns, by (supporter city, receiving cities); empty when it placed none."""

    keys: set[tuple[str, tuple[str, ...]]]

    def covers(self, problem: NestedProblem) -> bool:
        return {r for _, cities in self.keys for r in cities} == set(problem.receiving_cities)

    def indices(self, columns: list[Column]) -> set[int]:
        return {i for i, c in enumerate(columns) if (c.city, c.cities) in self.keys}


def _greedy(problem: NestedProblem, scopes: dict[str, _Scope], single: dict[tuple[str, str], int]) -> list[Column]:
    """The columns of a greedy plan (largest receiving city first, to the supporter city that adds it
    most cheaply and still has room), so that the restricted master has a plan from the start."""
    taken: dict[str, tuple[str, ...]] = {c: tuple(sorted(scope.need)) for c, scope in scopes.items()}
    placed = {r for cities in taken.values() for r in cities}
    order = sorted(
        (r for r in problem.receiving_cities if r not in placed),
        key=lambda r: (-len(problem.receivers_of.get(r, [])), r),
    )
    for r in order:
        options = sorted((cost, c) for (c, rr), cost in single.items() if rr == r)
        for _, city in options:
            subset = tuple(sorted((*taken[city], r)))
            if len(subset) <= scopes[city].capacity and scopes[city].column(problem, subset, whole=False) is not None:
                taken[city] = subset
                break
    return [
        column
        for city, subset in taken.items()
        if subset and (column := scopes[city].column(problem, subset)) is not None
    ]


class Master:
    """The master's LP as one HiGHS model that grows by columns: each round re-solves from the last
    basis. Every receiving city has a slack column at a prohibitive cost, so the LP is feasible from
    the first round (a plan that needs a slack is no plan: the restricted master lacks columns)."""

    def __init__(self, problem: NestedProblem):
        self.problem = problem
        self.row = {r: i for i, r in enumerate(problem.receiving_cities)}
        offset = len(self.row)
        self.city_row = {c: offset + i for i, c in enumerate(problem.supporter_cities)}
        pinned = set(pinned_cities(problem))
        lower = [1.0] * len(self.row) + [1.0 if c in pinned else 0.0 for c in problem.supporter_cities]
        self.highs = _quiet_highs()
        n = len(lower)
        self.highs.addRows(
            n, np.array(lower), np.ones(n), 0, np.zeros(n, dtype=np.int32), np.array([], dtype=np.int32), np.array([])
        )
        self.slack_cost = float(SLACK_COST)
        self.costs: list[float] = []
        self._add([(self.slack_cost, [i]) for i in range(len(self.row))])

    def add(self, columns: list[Column]) -> None:
        self._add([(float(c.cost), [self.row[r] for r in c.cities] + [self.city_row[c.city]]) for c in columns])

    def _add(self, entries: list[tuple[float, list[int]]]) -> None:
        if not entries:
            return
        starts = np.cumsum([0] + [len(rows) for _, rows in entries[:-1]]).astype(np.int32)
        indices = np.array([i for _, rows in entries for i in rows], dtype=np.int32)
        costs = np.array([cost for cost, _ in entries])
        n = len(entries)
        self.highs.addCols(
            n, costs, np.zeros(n), np.full(n, highspy.kHighsInf), len(indices), starts, indices, np.ones(len(indices))
        )
        self.costs += costs.tolist()

    def solve(self) -> Relaxation | None:
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.highs.getSolution()
        duals = np.array(solution.row_dual)
        n = len(self.row)
        return Relaxation(
            float(self.highs.getInfo().objective_function_value),
            np.array(solution.col_value),
            np.array(solution.col_dual),
            duals[n:],
            duals[:n],
        )

    def dive(self, columns: list[Column], most: int = 200) -> list[int] | None:
        """A plan by diving on the LP: fix the column closest to 1, re-solve (from the last basis),
        until the LP is integral; None when it runs into a slack or an infeasible LP. The fixes are
        undone, so the master is as it was."""
        n = len(self.row)
        fixed: list[int] = []
        found = None
        for _ in range(most):
            relaxation = self.solve()
            if relaxation is None or self.uses_slack(relaxation):
                break
            values = relaxation.values[n:]
            fractional = np.flatnonzero((values > 1e-6) & (values < 1 - 1e-6))
            if not len(fractional):
                found = [int(j) for j in np.flatnonzero(values > 0.5)]
                break
            j = int(fractional[np.argmax(values[fractional])])
            fixed.append(j)
            self.highs.changeColBounds(n + j, 1.0, highspy.kHighsInf)
        for j in fixed:
            self.highs.changeColBounds(n + j, 0.0, highspy.kHighsInf)
        return found

    def uses_slack(self, relaxation: Relaxation) -> bool:
        return bool((relaxation.values[: len(self.row)] > 1e-9).any())


def _quiet_highs() -> highspy.Highs:
    """A silent HiGHS: its constructor prints a banner on standard output, which is the CLI's."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    highs.setOptionValue("output_flag", False)
    return highs


class _Fairness:
    """φ of one supporter city and the loads of the receiving cities (zero when not weighed)."""

    def __init__(self, problem: NestedProblem, city: str):
        weighed = bool(problem.fairness_points) and city in problem.fair_load
        self.fair = problem.fair_load.get(city, 0.0) if weighed else 0.0
        self.slope = problem.fairness_points / 1000 if weighed else 0.0
        self.load = problem.receiving_teachers

    def phi(self, load: float) -> float:
        return self.slope * (abs(load - self.fair) - self.fair) - ROUNDING if self.slope else 0.0


def _price(
    problem: NestedProblem,
    scope: _Scope,
    single: dict[tuple[str, str], int],
    duals: dict[str, float],
    own: float,
    seen: set[tuple[str, tuple[str, ...]]],
    keep: int = 5,
) -> tuple[float, list[Column]]:
    """(a lower bound on the scope's smallest reduced cost, up to `keep` new improving columns)."""
    fairness = _Fairness(problem, scope.city)
    terms = {
        r: single[(scope.city, r)] - duals[r]
        for r in scope.allowed
        if r not in scope.need and (scope.city, r) in single
    }
    load = {r: fairness.load.get(r, 0) for r in terms}
    steepest = {r: t - fairness.slope * load[r] for r, t in terms.items()}
    promising = sorted((r for r, v in steepest.items() if v < -1e-6), key=lambda r: (steepest[r], r))
    room = scope.capacity - len(scope.need)
    need = tuple(sorted(scope.need))
    base, base_load = 0.0, sum(fairness.load.get(r, 0) for r in need)
    if need:
        column = scope.column(problem, need, whole=False)
        base = (column.cost - sum(duals[r] for r in need)) if column else 0.0
    base -= own

    def relaxed(extra: tuple[str, ...]) -> float:
        return base + sum(terms[r] for r in extra) + fairness.phi(base_load + sum(load[r] for r in extra))

    exact = sum(math.comb(len(promising), size) for size in range(room + 1)) <= MAX_SUBSETS
    ordered: Iterable[tuple[float, tuple[str, ...]]]
    if exact:
        ordered = _best_first(promising, room, base, base_load, terms, load, fairness)
    else:
        bound_of_all, weight = _lagrangian(promising, room, base, base_load, terms, load, fairness)
        # Try the best subsets by the multiplier that proves the bound: its prefixes, and a few neighbours.
        ranked = sorted(promising, key=lambda r: (terms[r] + fairness.slope * weight * load[r], r))
        tries = [tuple(ranked[:size]) for size in range(1, room + 1)]
        tries += [(*ranked[: room - 1], r) for r in ranked[room : room + 2 * keep]]
        ordered = [(bound_of_all, extra) for extra in tries]
    best = math.inf
    improving: list[tuple[float, Column]] = []
    for priced, (value, extra) in enumerate(ordered):
        if value >= min(best, 0.0) or priced >= MAX_PRICED:
            best = min(best, value)  # nothing after this one is below it (or pricing stops here)
            break
        subset = tuple(sorted(scope.need.union(extra)))
        column = scope.column(problem, subset) if subset else None
        reduced = 0.0 if column is None else column.cost - sum(duals[r] for r in subset) - own
        if column is not None:
            best = min(best, reduced)
        if column is not None and reduced < -1e-6 and (scope.city, subset) not in seen:
            improving.append((reduced, column))
    if not exact:
        best = min(best, bound_of_all)
    improving.sort(key=lambda item: (item[0], item[1].cities))
    return (0.0 if best == math.inf else best), [column for _, column in improving[:keep]]


def _best_first(
    promising: list[str],
    room: int,
    base: float,
    base_load: float,
    terms: dict[str, float],
    load: dict[str, int],
    fairness: _Fairness,
) -> Iterator[tuple[float, tuple[str, ...]]]:
    """Every subset of the promising cities up to `room`, with its relaxed reduced cost, best first."""
    t = np.array([terms[r] for r in promising])
    loads = np.array([load[r] for r in promising], dtype=float)
    values, subsets = [np.array([base + fairness.phi(base_load)])], [np.full((1, room), -1, dtype=np.int64)]
    for size in range(1, min(room, len(promising)) + 1):
        combos = np.array(list(itertools.combinations(range(len(promising)), size)), dtype=np.int64)
        total_load = base_load + loads[combos].sum(axis=1)
        phi = (
            fairness.slope * (np.abs(total_load - fairness.fair) - fairness.fair) - ROUNDING if fairness.slope else 0.0
        )
        values.append(base + t[combos].sum(axis=1) + phi)
        subsets.append(np.pad(combos, ((0, 0), (0, room - size)), constant_values=-1))
    value, subset = np.concatenate(values), np.concatenate(subsets)
    for k in np.argsort(value, kind="stable"):
        yield float(value[k]), tuple(promising[i] for i in subset[k] if i >= 0)


def _lagrangian(
    promising: list[str],
    room: int,
    base: float,
    base_load: float,
    terms: dict[str, float],
    load: dict[str, int],
    fairness: _Fairness,
) -> tuple[float, float]:
    """A lower bound on Σ t + φ(L) over every subset of at most `room` promising cities, and its multiplier.

    |L − F| = max over λ in [−1, 1] of λ(L − F), so for each λ the sum is at least
    base − slope·F + slope·λ·(L0 − F) + Σ (t_R + slope·λ·load_R) over the chosen cities, and at
    least that with the `room` most negative of those terms: a bound for every λ, the best kept.
    """
    t = np.array([terms[r] for r in promising])
    loads = np.array([load[r] for r in promising], dtype=float)
    weights = np.linspace(-1.0, 1.0, LAGRANGE_STEPS)
    values = t[None, :] + fairness.slope * weights[:, None] * loads[None, :]
    if room < len(promising):
        values = np.partition(values, room - 1, axis=1)[:, :room] if room else values[:, :0]
    chosen = np.minimum(values, 0.0).sum(axis=1)
    bounds = base - fairness.slope * fairness.fair - ROUNDING + fairness.slope * weights * (base_load - fairness.fair)
    bounds = bounds + chosen
    k = int(np.argmax(bounds))
    return float(bounds[k]), float(weights[k])


def _most_negative(values: list[float], room: int) -> float:
    return sum(v for v in sorted(values)[:room] if v < 0)
