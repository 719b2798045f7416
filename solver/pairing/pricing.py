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
SLOT_STEPS = 10  # subgradient steps on the slot prices per supporter city and round
SLOT_TOLERANCE = 1.0  # the bound may stop this far below the best column found
KEEP = 10  # new columns per supporter city and round
TAIL_ROUNDS, TAIL = 3, 5e-4  # column generation stops once the LP fell by less than this share in that many rounds
WIDTH = 16  # the cities whose subsets the slot-price bound tries one by one
EXACT_WIDTH, EXACT_TRIES = 24, 150  # ... and whose subsets are then priced exactly, at most that many


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
    slotted = {c: _SlotPricing(problem, scope) for c, scope in scopes.items() if not scope.need and scope.pricer.slots}
    bound: float | None = None
    relaxation = None
    values: list[float] = []
    for _ in range(max_rounds):
        relaxation = master.solve()
        if relaxation is None:
            return None, None, start
        duals = dict(zip(problem.receiving_cities, relaxation.eq_duals, strict=True))
        own = dict(zip(problem.supporter_cities, relaxation.le_duals, strict=True))
        new: list[Column] = []
        total = 0.0
        for scope in scopes.values():
            if scope.city in slotted:
                smallest, found = slotted[scope.city].price(duals, own[scope.city], seen)
            else:
                smallest, found = _price(problem, scope, single, duals, own[scope.city], seen)
            total += min(0.0, smallest)
            for column in found:
                new.append(column)
                seen.add((column.city, column.cities))
        # Every round's bound is valid; the last LP is the best, but its pricing may be rougher.
        bound = relaxation.bound + total if bound is None else max(bound, relaxation.bound + total)
        if not new or deadline.passed() or relaxation.bound - bound <= 1e-6 * max(1.0, abs(bound)):
            break
        values.append(relaxation.bound)
        if len(values) > TAIL_ROUNDS and values[-TAIL_ROUNDS - 1] - values[-1] < TAIL * abs(values[-1]):
            break  # the LP has tailed off: more rounds would barely move it, or the bound
        columns.extend(new)
        master.add(new)
    if relaxation is None or master.uses_slack(relaxation):
        return bound, None, start
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

    def uses_slack(self, relaxation: Relaxation) -> bool:
        return bool((relaxation.values[: len(self.row)] > 1e-9).any())


def solve_restricted(
    problem: NestedProblem, columns: list[Column], hint: set[int], time_limit_s: float
) -> tuple[bool, int | None, int | None, list[int]]:
    """The restricted master as a MIP (HiGHS, deterministic short of its time limit): every receiving
    city covered once, each supporter city at most once (once exactly when pinned). Returns (proven
    optimal, objective, bound, the chosen columns)."""
    row = {r: i for i, r in enumerate(problem.receiving_cities)}
    city_row = {c: len(row) + i for i, c in enumerate(problem.supporter_cities)}
    pinned = set(pinned_cities(problem))
    lower = [1.0] * len(row) + [1.0 if c in pinned else 0.0 for c in problem.supporter_cities]
    highs = _quiet_highs()
    n = len(lower)
    highs.addRows(
        n, np.array(lower), np.ones(n), 0, np.zeros(n, dtype=np.int32), np.array([], dtype=np.int32), np.array([])
    )
    entries = [[row[r] for r in c.cities] + [city_row[c.city]] for c in columns]
    starts = np.cumsum([0] + [len(rows) for rows in entries[:-1]]).astype(np.int32)
    indices = np.array([i for rows in entries for i in rows], dtype=np.int32)
    m = len(columns)
    costs = np.array([c.cost for c in columns], dtype=float)
    highs.addCols(m, costs, np.zeros(m), np.ones(m), len(indices), starts, indices, np.ones(len(indices)))
    highs.changeColsIntegrality(
        m, np.arange(m, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * m, dtype=np.uint8)
    )
    highs.setOptionValue("time_limit", max(0.1, time_limit_s))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("random_seed", 0)
    if hint:
        start = highspy.HighsSolution()
        start.col_value = [1.0 if j in hint else 0.0 for j in range(m)]
        start.value_valid = True
        highs.setSolution(start)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != int(highspy.SolutionStatus.kSolutionStatusFeasible):
        return False, None, None, []
    values = np.array(highs.getSolution().col_value)
    chosen = [int(j) for j in np.flatnonzero(values > 0.5)]
    objective = round(float(costs[chosen].sum()))
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    bound = objective if proven else math.ceil(float(info.mip_dual_bound) - 1e-6)
    return proven, objective, bound, chosen


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


class _SlotPricing:
    """Prices the columns of one supporter city without pins by a Lagrangian bound with a price π_j ≥ 0
    on each slot of its units: a column's county matching costs at least Σ over its counties of
    min_j (c_rj + π_j) less Σ π_j, as the matching uses each slot at most once. So its reduced cost is
    at least Σ v_R(π) over its cities R (its city pair's cost less R's dual plus its counties' terms)
    plus φ of its load, less Σ π. That is minimised exactly over the subsets of the `WIDTH` cities
    with the least v_R − slope·load_R (φ falls by at most the slope a teacher), and bounded below
    for every other subset. Subgradient steps on π tighten the bound (it then meets the best column
    within a point or so, where the sum of singles alone stays thousands below); each step's best
    subset is a candidate column, priced exactly. The prices carry over to the next round."""

    def __init__(self, problem: NestedProblem, scope: _Scope):
        self.problem, self.scope = problem, scope
        self.cities = list(scope.allowed)
        pricer = scope.pricer
        rows = [(k, pricer.row[r]) for k, rc in enumerate(self.cities) for r in problem.receivers_of.get(rc, [])]
        self.owner = np.array([k for k, _ in rows], dtype=np.int64)
        self.matrix = pricer.matrix[[i for _, i in rows]].astype(float).reshape(len(rows), len(pricer.slots))
        self.city_cost = np.array([problem.city_cost[(scope.city, r)] for r in self.cities], dtype=float)
        fairness = _Fairness(problem, scope.city)
        self.slope, self.fair = fairness.slope, fairness.fair
        self.load = np.array([fairness.load.get(r, 0) for r in self.cities], dtype=float)
        self.prices = np.zeros(len(pricer.slots))
        self.cheapest = np.bincount(self.owner, self.matrix.min(axis=1), minlength=len(self.cities))
        self.weights = np.linspace(-1.0, 1.0, LAGRANGE_STEPS)
        self._combos: dict[int, np.ndarray] = {}
        self._priced: dict[tuple[str, ...], Column | None] = {}

    def _column(self, subset: tuple[str, ...]) -> Column | None:
        """The column of `subset`, priced once: its cost does not depend on the duals."""
        if subset not in self._priced:
            self._priced[subset] = self.scope.column(self.problem, subset)
        return self._priced[subset]

    def combos(self, width: int) -> np.ndarray:
        """Every non-empty subset of at most `room` of `width` cities; index `width` pads (a city of 0)."""
        if width not in self._combos:
            room = min(self.scope.capacity, width)
            found = [
                c + (width,) * (room - len(c))
                for s in range(1, room + 1)
                for c in itertools.combinations(range(width), s)
            ]
            self._combos[width] = np.array(found, dtype=np.int64).reshape(len(found), room)
        return self._combos[width]

    def _subsets(self, values: np.ndarray, load: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cities by promise, the subsets of the `width` most promising (as `combos`), and each
        subset's Σ v_R plus its fairness term (rounded down by ROUNDING)."""
        order = np.argsort(values - self.slope * load, kind="stable")
        top = order[:width]
        combos = self.combos(width)
        totals = np.append(values[top], 0.0)[combos].sum(axis=1)
        if self.slope:
            loads = np.append(load[top], 0.0)[combos].sum(axis=1)
            totals = totals + self.slope * (np.abs(loads - self.fair) - self.fair) - ROUNDING
        return order, combos, totals

    def _least(self, values: np.ndarray, load: np.ndarray) -> tuple[float, np.ndarray]:
        """The least Σ v_R + φ(load) over the non-empty subsets of at most `room` cities (a lower bound
        of it), and the cities of a subset that attains it."""
        room = self.scope.capacity
        width = min(WIDTH, len(values))
        order, combos, totals = self._subsets(values, load, width)
        top = order[:width]
        k = int(np.argmin(totals))
        least = float(totals[k])
        if width < len(values):
            least = min(least, self._outside(values, load, order[width:], room))
        chosen = combos[k]
        return least, top[chosen[chosen < width]]

    def _outside(self, values: np.ndarray, load: np.ndarray, outside: np.ndarray, room: int) -> float:
        """A lower bound on Σ v_R + φ(load) over the subsets with a city in `outside`: as in `_lagrangian`,
        |L − F| ≥ λ(L − F) for each λ in [−1, 1], then that city's term and the room − 1 least others."""
        if not self.slope:
            return float(values[outside].min() + np.minimum(np.sort(values)[: room - 1], 0.0).sum())
        terms = values[None, :] + self.slope * self.weights[:, None] * load[None, :]
        others = np.partition(terms, room - 2, axis=1)[:, : room - 1] if room >= 2 else terms[:, :0]
        bounds = (
            terms[:, outside].min(axis=1)
            + np.minimum(others, 0.0).sum(axis=1)
            - self.slope * self.fair * (1.0 + self.weights)
            - ROUNDING
        )
        return float(bounds.max())

    def _exact(
        self,
        terms: np.ndarray,
        duals: dict[str, float],
        own: float,
        tried: dict[tuple[str, ...], float | None],
        best: float,
    ) -> float:
        """At the best prices, the subsets of the `EXACT_WIDTH` best cities priced exactly in order of
        their relaxed value until that value reaches the best reduced cost found: a lower bound that
        the relaxation's duality gap does not weaken. A subset with one of the other promising cities
        is bounded by `_outside`, one with a city of no promise (adding at least `rest`) by the least
        relaxed value."""
        n, load = len(terms), self.load
        shifted = self.matrix + self.prices
        slot = shifted.argmin(axis=1)
        values = terms + np.bincount(self.owner, shifted[np.arange(len(shifted)), slot], minlength=n)
        width = min(EXACT_WIDTH, n)
        order, combos, totals = self._subsets(values, load, width)
        top = order[:width]
        totals -= own + float(self.prices.sum())
        ranked = np.argsort(totals, kind="stable")
        found = math.inf
        for count, k in enumerate(ranked):
            if totals[k] >= min(best, 0.0) or count >= EXACT_TRIES:
                found = float(totals[k])
                break
            chosen = combos[k]
            subset = tuple(sorted(self.cities[top[i]] for i in chosen[chosen < width]))
            if subset not in tried:
                column = self._column(subset)
                tried[subset] = None if column is None else column.cost - sum(duals[r] for r in subset) - own
            value = tried[subset]
            if value is not None:
                best = min(best, value)
        exact = min(best, found)
        if width < n:
            exact = min(
                exact, self._outside(values, load, order[width:], self.scope.capacity) - own - self.prices.sum()
            )
        return exact

    def price(
        self, duals: dict[str, float], own: float, seen: set[tuple[str, tuple[str, ...]]], keep: int = KEEP
    ) -> tuple[float, list[Column]]:
        """(a lower bound on the city's smallest reduced cost, up to `keep` new improving columns)."""
        terms = self.city_cost - np.array([duals[r] for r in self.cities])
        # A city whose cheapest terms gain nothing against φ never lowers a subset's bound (prices only
        # raise its terms), and a subset of such cities alone costs at least φ(0) − own.
        steep = terms + self.cheapest - self.slope * self.load
        promising = np.flatnonzero(steep < 0)
        floor = -own - (ROUNDING if self.slope else 0.0)
        if not len(promising):
            return min(floor, 0.0), []
        rows = np.flatnonzero(np.isin(self.owner, promising))
        matrix = self.matrix[rows]
        owner = np.searchsorted(promising, self.owner[rows])
        all_terms = terms
        terms, load, n = terms[promising], self.load[promising], len(promising)
        counties = np.arange(len(matrix))
        tried: dict[tuple[str, ...], float | None] = {}
        bound, best, theta, stall = -math.inf, math.inf, 1.0, 0
        prices = self.prices
        for _ in range(SLOT_STEPS):
            shifted = matrix + prices
            slot = shifted.argmin(axis=1)
            values = terms + np.bincount(owner, shifted[counties, slot], minlength=n)
            least, chosen = self._least(values, load)
            value = least - own - float(prices.sum())
            if value > bound + 1e-9:
                bound, stall, self.prices = value, 0, prices
            else:
                stall += 1
                if stall >= 3:
                    theta, stall = theta / 2, 0
            subset = tuple(sorted(self.cities[promising[i]] for i in chosen))
            if subset not in tried:
                column = self._column(subset)
                tried[subset] = None if column is None else column.cost - sum(duals[r] for r in subset) - own
                if column is not None:
                    best = min(best, tried[subset] or 0.0)
            target = min(best, 0.0)
            if bound >= target - SLOT_TOLERANCE or theta < 1e-3:
                break
            picked = np.zeros(n, dtype=bool)
            picked[chosen] = True
            gradient = np.bincount(slot[picked[owner]], minlength=len(prices)) - 1.0
            norm = float(gradient @ gradient)
            if norm == 0:
                break
            prices = np.maximum(0.0, prices + theta * (target - value) / norm * gradient)
        if len(promising) < len(self.cities):
            bound = min(bound, floor)
        bound = max(bound, self._exact(all_terms, duals, own, tried, best))
        best = min([best] + [v for v in tried.values() if v is not None])
        improving = sorted(
            (value, subset)
            for subset, value in tried.items()
            if value is not None and value < -1e-6 and (self.scope.city, subset) not in seen
        )
        found = []
        for _, subset in improving[:keep]:
            column = self._column(subset)
            assert column is not None
            found.append(column)
        return min(bound, best, 0.0), found


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
