"""The columns of the nested city/county model: a supporter city with a set of receiving cities,
priced by an optimal county matching (Hungarian method), enumerated or generated (solver.pairing.nested).
"""

from __future__ import annotations

import itertools
import math
import weakref
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.optimize import linear_sum_assignment

from solver.domain.memo import Memo, digest
from solver.domain.pairs import Edge
from solver.domain.results import Deadline
from solver.pairing.lp import Relaxation, relax

FORBIDDEN = 10**9  # cost of an edge that may not be used, far above any real objective


@dataclass
class NestedProblem:
    supporter_cities: list[str]
    city_capacity: dict[str, int]
    receiving_cities: list[str]
    units_of: dict[str, list[str]]  # supporter city -> its supporter units
    unit_capacity: dict[str, int]
    receivers_of: dict[str, list[str]]  # receiving city -> its receiving counties
    city_cost: dict[Edge, int]  # allowed city pairs
    unit_cost: dict[Edge, int]  # allowed county pairs: the county pair's own terms
    # What a county pair's school pairs cost, by the unit's slot: its k-th county has the k-th room
    # of solver.pairing.derived.slot_rooms (the last entry serves any slot beyond the tuple).
    school_cost: dict[Edge, tuple[int, ...]] = field(default_factory=dict)
    fixed_units: set[Edge] = field(default_factory=set)
    fixed_cities: set[Edge] = field(default_factory=set)
    candidate_cities: int | None = None  # None: every receiving city is a candidate (exact)
    # Costs of a whole column (a supporter city with its receiving cities), not of one pair:
    receiving_teachers: dict[str, int] = field(default_factory=dict)  # receiving city -> its counties' teachers
    fair_load: dict[str, float] = field(default_factory=dict)  # supporter city -> receiving teachers by strength
    fairness_points: int = 0  # per 1,000 teachers between a city's load and its fair load (R24)
    # Institutes (R05) and their limit of partners (R26): a unit's own institute partners its counties'; a
    # city's partners its receiving cities', and its counties' too when its units have none (东莞, 中山).
    institute_limit: int = 0  # 0: no limit
    institute_points: int = 0  # per partner beyond the limit
    city_institutes: set[str] = field(default_factory=set)  # supporter cities with an institute
    shared_cities: set[str] = field(default_factory=set)  # ... whose units have no institute of their own
    unit_institutes: set[str] = field(default_factory=set)  # supporter units with an institute of their own
    receiving_institutes: dict[str, tuple[int, int]] = field(default_factory=dict)  # city -> (its own, its counties')

    def has_column_costs(self) -> bool:
        return bool(self.fairness_points and self.fair_load) or bool(self.institute_points and self.institute_limit)

    def school_points(self, edge: Edge, slot: int) -> int:
        costs = self.school_cost.get(edge)
        return costs[min(slot, len(costs) - 1)] if costs else 0

    def city_of_unit(self) -> dict[str, str]:
        return {u: c for c, units in self.units_of.items() for u in units}

    def city_of_receiver(self) -> dict[str, str]:
        return {r: c for c, rs in self.receivers_of.items() for r in rs}


@dataclass
class Column:
    city: str
    cities: tuple[str, ...]
    cost: int
    extras: dict[str, int] = field(default_factory=dict)  # the column's own terms (fairness, institute_load)


def fairness_floor(problem: NestedProblem, city: str) -> int:
    """The least `fairness` a column of `city` can have (at a load equal to its fair load)."""
    if not (problem.fairness_points and city in problem.fair_load):
        return 0
    return math.floor(-problem.fairness_points * problem.fair_load[city] / 1000) - 1


def column_terms(problem: NestedProblem, city: str, cities: tuple[str, ...]) -> dict[str, int]:
    """The terms of a column as a whole: its load against its fair share (R24, at least
    `fairness_floor`), and the partners its shared institute takes beyond the limit (R26, ≥ 0)."""
    terms = {}
    if problem.fairness_points and city in problem.fair_load:
        # |load − fair load| − fair load: measured from taking nothing, so a city left empty costs 0 and
        # the points sit on the pairs of the cities that do take receivers (see fairness_floor).
        fair = problem.fair_load[city]
        load = sum(problem.receiving_teachers.get(r, 0) for r in cities)
        points = round(problem.fairness_points * (abs(load - fair) - fair) / 1000)
        if points:
            terms["fairness"] = points
    if problem.institute_limit and problem.institute_points and city in problem.city_institutes:
        brought = [problem.receiving_institutes.get(r, (0, 0)) for r in cities]
        partners = sum(own + (counties if city in problem.shared_cities else 0) for own, counties in brought)
        if partners > problem.institute_limit:
            terms["institute_load"] = (partners - problem.institute_limit) * problem.institute_points
    return terms


def receiving_counties(problem: NestedProblem) -> list[str]:
    """Every receiving county, city by city: the rows of the county-pair cost matrices."""
    return [r for rc in problem.receiving_cities for r in problem.receivers_of.get(rc, [])]


class _UnitCosts:
    """Every allowed county pair's cost as arrays by unit × receiving county, one per slot rank (its own
    terms plus its school pairs' points at that rank), FORBIDDEN where the pair is not allowed: built once
    from the problem's dicts for all its supporter cities' pricers and the relaxation without nesting."""

    def __init__(self, problem: NestedProblem):
        rows = {r: i for i, r in enumerate(receiving_counties(problem))}
        self.unit = {
            u: i for i, u in enumerate(u for c in problem.supporter_cities for u in problem.units_of.get(c, []))
        }
        shape = (len(self.unit), len(rows))
        self.rows = rows
        at_unit, at_row = self._indices(list(problem.unit_cost))
        valid = (at_unit >= 0) & (at_row >= 0)
        self.base = np.full(shape, FORBIDDEN, dtype=np.int64)
        costs = np.fromiter(problem.unit_cost.values(), dtype=np.int64, count=len(problem.unit_cost))
        self.base[at_unit[valid], at_row[valid]] = costs[valid]
        self.allowed = self.base < FORBIDDEN
        # By length of the tuple of school points, each group one array (a length repeats the last entry).
        points = list(problem.school_cost.values())
        at_unit, at_row = self._indices(list(problem.school_cost))
        lengths = np.fromiter((len(p) for p in points), dtype=np.int64, count=len(points))
        valid = (at_unit >= 0) & (at_row >= 0) & (lengths > 0)
        self.school_groups: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for length in sorted(set(lengths[valid].tolist())):
            group = np.flatnonzero(valid & (lengths == length))
            values = np.array([points[k] for k in group.tolist()], dtype=np.int64).reshape(len(group), length)
            self.school_groups.append((at_unit[group], at_row[group], values))
        self.by_rank: dict[int, np.ndarray] = {}

    def _indices(self, pairs: list[Edge]) -> tuple[np.ndarray, np.ndarray]:
        """The unit and row of each (unit, receiving county), −1 where either is not one of the problem's."""
        units = np.fromiter((self.unit.get(u, -1) for u, _ in pairs), dtype=np.int64, count=len(pairs))
        receivers = np.fromiter((self.rows.get(r, -1) for _, r in pairs), dtype=np.int64, count=len(pairs))
        return units, receivers

    def rank(self, k: int) -> np.ndarray:
        """The costs at slot rank k (a tuple of school points serves its last entry beyond its length)."""
        if k not in self.by_rank:
            points = np.zeros(self.base.shape, dtype=np.int64)
            for units, receivers, values in self.school_groups:
                points[units, receivers] = values[:, min(k, values.shape[1] - 1)]
            self.by_rank[k] = np.where(self.allowed, self.base + points, FORBIDDEN)
        return self.by_rank[k]

    def block(self, unit: str, ranks: list[int]) -> np.ndarray:
        """`unit`'s costs with every receiving county (rows) at each of `ranks` (columns)."""
        i = self.unit[unit]
        block = np.empty((len(self.rows), len(ranks)), dtype=np.int64)
        for j, k in enumerate(ranks):
            block[:, j] = self.rank(k)[i]
        return block


_UNIT_COSTS: dict[int, tuple[weakref.ref[NestedProblem], _UnitCosts]] = {}


def unit_costs(problem: NestedProblem) -> _UnitCosts:
    """The problem's `_UnitCosts`, made once while the problem lives."""
    key = id(problem)
    found = _UNIT_COSTS.get(key)
    if found is None or found[0]() is not problem:
        ref = weakref.ref(problem, lambda _, key=key: _UNIT_COSTS.pop(key, None))  # type: ignore[misc]
        found = (ref, _UnitCosts(problem))
        _UNIT_COSTS[key] = found
    return found[1]


class _Pricer:
    """Prices columns of one supporter city: city-pair costs plus an optimal county matching."""

    def __init__(self, problem: NestedProblem, city: str, fixed_of: dict[str, set[str]]):
        self.problem = problem
        self.city = city
        self.slots = [u for u in problem.units_of.get(city, []) for _ in range(problem.unit_capacity.get(u, 0))]
        # A unit's k-th county beyond its institute's limit costs that much more (R26); slots are
        # filled cheapest first, so the excess is priced exactly.
        self.ranks = [k for k, _ in self._ranks()]
        extra = [
            problem.institute_points
            if u in problem.unit_institutes and problem.institute_limit and k >= problem.institute_limit
            else 0
            for k, u in self._ranks()
        ]
        receivers = receiving_counties(problem)
        self.row = {r: i for i, r in enumerate(receivers)}
        matrix = np.full((len(receivers), len(self.slots)), FORBIDDEN, dtype=np.int64)
        costs = unit_costs(problem)
        slots_of: dict[str, list[int]] = {}
        for j, unit in enumerate(self.slots):
            slots_of.setdefault(unit, []).append(j)
        for unit, js in slots_of.items():
            block = costs.block(unit, [self.ranks[j] for j in js])
            for r, pinned in fixed_of.items():
                if r in self.row and pinned != {unit}:  # pinned elsewhere, or to two units at once
                    block[self.row[r]] = FORBIDDEN
            allowed = block < FORBIDDEN
            block[allowed] += np.broadcast_to(np.array([extra[j] for j in js], dtype=np.int64), block.shape)[allowed]
            matrix[:, js] = block
        self.matrix = matrix
        self._rows_of_city: dict[str, list[int]] = {}

    def _ranks(self) -> list[tuple[int, str]]:
        """(k, unit) for each slot: the k-th slot of its unit."""
        seen: dict[str, int] = {}
        ranks = []
        for unit in self.slots:
            ranks.append((seen.get(unit, 0), unit))
            seen[unit] = seen.get(unit, 0) + 1
        return ranks

    def cost(self, cities: tuple[str, ...]) -> int | None:
        """The cost of `assign`'s county pairs alone (what pricing needs), or None."""
        rows = self.rows_of(cities)
        if rows is None:
            return None
        if not rows:
            return 0
        sub = self.matrix[rows]
        chosen = sub[linear_sum_assignment(sub)]
        return None if (chosen >= FORBIDDEN).any() else int(chosen.sum())

    def rows_of(self, cities: tuple[str, ...]) -> list[int] | None:
        """The matrix rows of the receiving counties of `cities`; None when they outnumber the slots."""
        rows = []
        for rc in cities:
            found = self._rows_of_city.get(rc)
            if found is None:
                found = self._rows_of_city[rc] = [self.row[r] for r in self.problem.receivers_of.get(rc, [])]
            rows += found
        return None if len(rows) > len(self.slots) else rows

    def assign(self, cities: tuple[str, ...]) -> tuple[int, dict[Edge, int]] | None:
        """Optimal county pairs for receiving `cities` under this supporter city, each with the slot
        of its unit it takes, or None."""
        receivers = [r for rc in cities for r in self.problem.receivers_of.get(rc, [])]
        if len(receivers) > len(self.slots):
            return None
        if not receivers:
            return 0, {}
        sub = self.matrix[[self.row[r] for r in receivers]]
        rows, cols = linear_sum_assignment(sub)
        chosen = sub[rows, cols]
        if (chosen >= FORBIDDEN).any():  # not the sum: negative costs could hide a forbidden edge
            return None
        cost = int(chosen.sum())
        return cost, {(self.slots[j], receivers[i]): self.ranks[j] for i, j in zip(rows, cols, strict=True)}


def _nearest(problem: NestedProblem) -> dict[str, set[str]]:
    """With a candidate limit K: each supporter city's K cheapest receiving cities, plus every
    receiving city for which it is one of the K cheapest supporter cities (so none is left out)."""
    k = problem.candidate_cities
    chosen: dict[str, set[str]] = {c: set() for c in problem.supporter_cities}
    if k is None:
        return chosen
    of_supporter: dict[str, list[tuple[int, str]]] = {}
    of_receiver: dict[str, list[tuple[int, str]]] = {}
    for (c, r), cost in problem.city_cost.items():
        of_supporter.setdefault(c, []).append((cost, r))
        of_receiver.setdefault(r, []).append((cost, c))
    for c in problem.supporter_cities:
        options = sorted(of_supporter.get(c, []))
        chosen[c].update(r for _, r in options[:k])
    for r in problem.receiving_cities:
        options = sorted(of_receiver.get(r, []))
        for _, c in options[:k]:
            if c in chosen:
                chosen[c].add(r)
    return chosen


def _candidates(
    problem: NestedProblem, city: str, required: set[str], taken: set[str], nearest: dict[str, set[str]] | None
) -> list[str]:
    allowed = {r for r in problem.receiving_cities if (city, r) in problem.city_cost and r not in taken}
    if nearest is not None and problem.candidate_cities is not None:
        allowed &= nearest[city]
    # A pinned city it cannot pair with stays needed but out of reach, so no column admits it.
    return sorted(allowed | {r for r in required if (city, r) in problem.city_cost})


@dataclass
class _Scope:
    """What one supporter city may take: its capacity, pinned cities, cities pinned elsewhere."""

    city: str
    capacity: int
    need: set[str]
    allowed: list[str]  # every receiving city it may take (pins respected)
    candidates: list[str]  # the ones enumerated up front
    problem: NestedProblem
    fixed_of: dict[str, set[str]]

    @cached_property
    def pricer(self) -> _Pricer:
        return _Pricer(self.problem, self.city, self.fixed_of)

    def key(self) -> bytes:
        """Everything this city's columns depend on: a changed input anywhere else leaves them as they were."""
        p, city, pricer = self.problem, self.city, self.pricer
        receivers = {rc: p.receivers_of.get(rc, []) for rc in self.allowed}
        return digest(
            city,
            self.capacity,
            sorted(self.need),
            self.allowed,
            self.candidates,
            p.candidate_cities,
            list(pricer.row),
            pricer.matrix.shape,
            pricer.matrix.tobytes(),
            pricer.slots,
            pricer.ranks,
            [p.city_cost[(city, r)] for r in self.allowed],
            receivers,
            [p.receiving_teachers.get(r, 0) for r in self.allowed],
            p.fair_load.get(city),
            p.fairness_points,
            (p.institute_limit, p.institute_points, city in p.city_institutes, city in p.shared_cities),
            [p.receiving_institutes.get(r) for r in self.allowed],
        )

    def admits(self, subset: tuple[str, ...]) -> bool:
        return self.need.issubset(subset) and len(subset) <= self.capacity

    def column(self, problem: NestedProblem, subset: tuple[str, ...], whole: bool = True) -> Column | None:
        """The column's cost; with `whole` False, without its column terms (a lower bound, for pricing)."""
        if any((self.city, r) not in problem.city_cost for r in subset):  # a pinned city out of its reach
            return None
        priced = self.pricer.cost(subset)
        if priced is None:
            return None
        cost = sum(problem.city_cost[(self.city, r)] for r in subset) + priced
        extras = column_terms(problem, self.city, subset) if whole else {}
        return Column(self.city, subset, cost + sum(extras.values()), extras)


def fixed_city_pairs(problem: NestedProblem) -> set[Edge]:
    """The city pairs the pins fix: pinned city pairs, and those that pinned county pairs sit in."""
    unit_city, receiver_city = problem.city_of_unit(), problem.city_of_receiver()
    return set(problem.fixed_cities) | {
        (unit_city[u], receiver_city[r]) for u, r in problem.fixed_units if u in unit_city and r in receiver_city
    }


def pinned_cities(problem: NestedProblem) -> list[str]:
    """Supporter cities that a pin obliges to take a column (exactly one, not at most one)."""
    return sorted({c for c, _ in fixed_city_pairs(problem)})


def city_scopes(problem: NestedProblem) -> dict[str, _Scope]:
    fixed_of: dict[str, set[str]] = {}
    for u, r in problem.fixed_units:
        fixed_of.setdefault(r, set()).add(u)
    fixed_city = fixed_city_pairs(problem)
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
        scopes[city] = _Scope(city, cap, need, allowed, candidates, problem, fixed_of)
    return scopes


def column_count(problem: NestedProblem) -> int:
    """How many subsets `enumerate_columns` would price, before pricing any."""
    total = 0
    for scope in city_scopes(problem).values():
        top = min(scope.capacity, len(scope.candidates))
        total += sum(math.comb(len(scope.candidates), size) for size in range(max(1, len(scope.need)), top + 1))
    return total


def enumerate_columns(
    problem: NestedProblem, deadline: Deadline, memo: Memo | None = None
) -> tuple[list[Column], dict[str, _Scope], bool]:
    """Every column over each supporter city's candidates (all receiving cities when exact), and
    whether the enumeration finished before the deadline. With a memo, a supporter city whose own
    inputs are those of an earlier plan takes that plan's columns (a warm re-plan)."""
    scopes = city_scopes(problem)
    columns: list[Column] = []
    for scope in scopes.values():
        key = None if memo is None else scope.key()
        found = None if memo is None else memo.get("columns", key)
        if found is None:
            found = _scope_columns(problem, scope, deadline)
            if found is None:
                return columns, scopes, False
            if memo is not None:
                memo.put("columns", key, found, len(found))
        columns.extend(found)
    return columns, scopes, True


def _scope_columns(problem: NestedProblem, scope: _Scope, deadline: Deadline) -> list[Column] | None:
    """The columns of one supporter city; None when the deadline passed first."""
    columns: list[Column] = []
    for size in range(max(1, len(scope.need)), scope.capacity + 1):
        for subset in itertools.combinations(scope.candidates, size):
            if deadline.passed():
                return None
            if scope.admits(subset) and (column := scope.column(problem, subset)) is not None:
                columns.append(column)
    if problem.candidate_cities is not None and not scope.need:
        # Singletons of every allowed city keep the restricted master feasible.
        for r in scope.allowed:
            if r not in scope.candidates and (column := scope.column(problem, (r,))) is not None:
                columns.append(column)
    return columns


def lp_relaxation(problem: NestedProblem, columns: list[Column]) -> Relaxation | None:
    """The master's LP relaxation: cover every receiving city once, each supporter city at most once
    (exactly once when a pin obliges it: a second row −Σ ≤ −1 after the supporter cities' rows)."""
    row = {r: i for i, r in enumerate(problem.receiving_cities)}
    city = {c: i for i, c in enumerate(problem.supporter_cities)}
    pinned = {c: len(city) + k for k, c in enumerate(pinned_cities(problem))}
    cover = [(row[r], j, 1.0) for j, column in enumerate(columns) for r in column.cities]
    once = [(city[column.city], j, 1.0) for j, column in enumerate(columns)]
    once += [(pinned[column.city], j, -1.0) for j, column in enumerate(columns) if column.city in pinned]
    costs = np.array([c.cost for c in columns], dtype=float)
    # No upper bound of 1 on the columns: the cover rows imply it, and without it every
    # reduced cost at the LP optimum is ≥ 0, which Farley's bound relies on.
    no_upper = np.full(len(columns), np.inf)
    rhs = [1.0] * len(city) + [-1.0] * len(pinned)
    return relax(costs, once, rhs, cover, [1.0] * len(row), upper=no_upper)


def own_duals(problem: NestedProblem, relaxation: Relaxation) -> dict[str, float]:
    """Each supporter city's dual in a column's reduced cost (its ≤ 1 row, less its pinned ≥ 1 row)."""
    n = len(problem.supporter_cities)
    own = {c: float(relaxation.le_duals[i]) for i, c in enumerate(problem.supporter_cities)}
    for k, c in enumerate(pinned_cities(problem)):
        own[c] -= float(relaxation.le_duals[n + k])
    return own


def relaxation_bound(problem: NestedProblem) -> int | None:
    """A valid lower bound: city pairs and county pairs each at their best, nesting dropped, every
    city's column terms at their least."""
    total = sum(fairness_floor(problem, c) for c in problem.supporter_cities)

    city_rows = problem.receiving_cities
    county_rows = receiving_counties(problem)
    units = [u for c in problem.supporter_cities for u in problem.units_of.get(c, [])]
    for rows, supply, capacity in (
        (city_rows, problem.supporter_cities, problem.city_capacity),
        (county_rows, units, problem.unit_capacity),
    ):
        slots = [(s, k) for s in supply for k in range(capacity.get(s, 0))]
        if len(rows) > len(slots):
            return None
        if not rows:
            continue
        blocks = []
        for s in supply:
            ranks = list(range(capacity.get(s, 0)))
            if rows is county_rows:
                blocks.append(unit_costs(problem).block(s, ranks))
            else:
                costs = [problem.city_cost.get((s, r), FORBIDDEN) for r in rows]
                blocks.append(np.repeat(np.array(costs, dtype=np.int64)[:, None], len(ranks), axis=1))
        matrix = np.concatenate(blocks, axis=1)
        ri, ci = linear_sum_assignment(matrix)
        chosen = matrix[ri, ci]
        if (chosen >= FORBIDDEN).any():
            return None
        total += int(chosen.sum())
    return total
