"""School pairs inside a pair of areas: which receiving school gets which supporting school.

Costs per pair (solver.rules.params.Weights): 0 for the same stage, `stage_mismatch` for another
stage of the same family (primary and nine-year; junior, senior and complete secondary),
`family_mismatch` for another family, and `school_load` for a supporting school taken beyond R26's
limit of partners. The choice is made in two steps that give the same points:

1. `stage_plan` decides how many receiving schools of each stage go to supporting schools of each
   stage: with enough room, level by level (same stage, then same family, then any), which is exact
   for these nested costs; without it, by a small min-cost flow (exact).
2. `assign_schools` turns that plan into pairs, priority receivers first, each taking the
   least-loaded supporting school of its planned stage (the strongest on ties).

`SchoolCosts` prices a candidate county pair by step 1 before the county pairs are chosen, so the
nested model weighs what its school pairs will cost. Each county has its own share of a unit's
schools' room (solver.pairing.derived.slot_rooms), so that price is exactly what the pairs cost
once made.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.domain.pairs import Edge
from solver.roster.fields import STAGE_FAMILY, Stage
from solver.roster.parties import School
from solver.rules.params import Weights

STAGES = tuple(Stage)
UNLIMITED = 10**6


def stage_points(receiving: Stage, supporting: Stage, weights: Weights) -> int:
    if receiving == supporting:
        return 0
    if STAGE_FAMILY[receiving] == STAGE_FAMILY[supporting]:
        return weights.stage_mismatch
    return weights.family_mismatch


@dataclass
class StagePlan:
    """How many receiving schools of each stage go to schools of each stage, and at what cost."""

    moves: dict[tuple[Stage, Stage], int] = field(default_factory=dict)
    over: dict[Stage, int] = field(default_factory=dict)  # partners beyond the limit, per supporting stage
    points: int = 0


def stage_plan(
    demand: Mapping[Stage, int], present: Mapping[Stage, int], room: Mapping[Stage, int], weights: Weights
) -> StagePlan | None:
    """The cheapest plan for `demand` receiving schools over supporting stages with `present` schools
    and `room` places within the limit; None when no supporting school exists."""
    if sum(demand.values()) == 0:
        return StagePlan()
    if sum(present.values()) == 0:
        return None
    if sum(demand.values()) <= sum(room.values()):
        return _by_levels(demand, room, weights)
    return _by_flow(demand, present, room, weights)


def _by_levels(demand: Mapping[Stage, int], room: Mapping[Stage, int], weights: Weights) -> StagePlan:
    plan = StagePlan()
    left = {s: demand.get(s, 0) for s in STAGES}
    spare = {s: room.get(s, 0) for s in STAGES}
    for r, s in _LEVELS:
        take = min(left[r], spare[s])
        if take:
            plan.moves[(r, s)] = plan.moves.get((r, s), 0) + take
            plan.points += take * stage_points(r, s, weights)
            left[r] -= take
            spare[s] -= take
    return plan


# Same stage, then same family, then any: the (receiving, supporting) stages each level tries, in order.
_LEVELS = [
    (r, s)
    for same in (
        lambda r, s: r == s,
        lambda r, s: STAGE_FAMILY[r] == STAGE_FAMILY[s],
        lambda r, s: True,
    )
    for r in STAGES
    for s in STAGES
    if same(r, s)
]
# The same by index, with the cost as 0 (same stage), 1 (same family) or 2 (another family).
_LEVEL_INDICES = [
    (STAGES.index(r), STAGES.index(s), 0 if r == s else 1 if STAGE_FAMILY[r] == STAGE_FAMILY[s] else 2)
    for r, s in _LEVELS
]


def _by_flow(
    demand: Mapping[Stage, int], present: Mapping[Stage, int], room: Mapping[Stage, int], weights: Weights
) -> StagePlan:
    """Not enough room: the fewest partners beyond the limit, then the fewest mismatches (min-cost flow)."""
    n = len(STAGES)
    sink = 2 * n
    tails, heads, caps, costs, moves = [], [], [], [], []
    for i, r in enumerate(STAGES):
        for j, s in enumerate(STAGES):
            if demand.get(r, 0) and present.get(s, 0):
                tails.append(i)
                heads.append(n + j)
                caps.append(UNLIMITED)
                costs.append(stage_points(r, s, weights))
                moves.append((r, s))
    for j, s in enumerate(STAGES):
        if present.get(s, 0):
            tails += [n + j, n + j]
            heads += [sink, sink]
            caps += [room.get(s, 0), UNLIMITED]
            costs += [0, weights.school_load]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(np.array(tails), np.array(heads), np.array(caps), np.array(costs))
    for i, r in enumerate(STAGES):
        flow.set_node_supply(i, demand.get(r, 0))
    flow.set_node_supply(sink, -sum(demand.values()))
    flow.solve()
    plan = StagePlan(points=flow.optimal_cost())
    for arc, move in enumerate(moves):
        if amount := flow.flow(arc):
            plan.moves[move] = amount
    for k, s in enumerate(s for s in STAGES if present.get(s, 0)):
        if amount := flow.flow(len(moves) + 2 * k + 1):
            plan.over[s] = amount
    return plan


def receiving_order(school: School) -> tuple[bool, int, str]:
    """Priority receivers (乡镇 schools, 县域普通高中) first, then by stage and id."""
    return (not school.priority, STAGES.index(school.stage), school.school_id)


@dataclass(frozen=True)
class SchoolPair:
    supporter_id: str
    receiver_id: str
    terms: dict[str, int]


class Supply:
    """The supporting schools of one area by stage, least loaded first (the strongest on ties)."""

    def __init__(self, schools: Sequence[School], load: dict[str, int], limit: int):
        self.load, self.limit = load, limit
        self.by_stage: dict[Stage, list[tuple[int, int, str]]] = {}
        for school in schools:
            self.by_stage.setdefault(school.stage, []).append(
                (load.get(school.school_id, 0), -school.teachers, school.school_id)
            )
        for heap in self.by_stage.values():
            heapq.heapify(heap)

    def present(self) -> Counter[Stage]:
        return Counter({s: len(h) for s, h in self.by_stage.items()})

    def room(self) -> Counter[Stage]:
        return Counter(
            {s: sum(max(0, self.limit - self.load.get(i, 0)) for _, _, i in h) for s, h in self.by_stage.items()}
        )

    def pick(self, stage: Stage, receiver: str, forbidden: set[Edge]) -> str | None:
        heap = self.by_stage.get(stage, [])
        skipped, chosen = [], None
        while heap:
            load, strength, school_id = heapq.heappop(heap)
            current = self.load.get(school_id, 0)
            if load != current:
                heapq.heappush(heap, (current, strength, school_id))
            elif (school_id, receiver) in forbidden:
                skipped.append((load, strength, school_id))
            else:
                chosen = school_id
                self.load[school_id] = current + 1
                heapq.heappush(heap, (current + 1, strength, school_id))
                break
        for entry in skipped:
            heapq.heappush(heap, entry)
        return chosen


def assign_schools(
    receiving: Sequence[School],
    supporting: Sequence[School],
    load: dict[str, int],
    limit: int,
    weights: Weights,
    fixed: Mapping[str, str],
    forbidden: set[Edge],
    stage_of: Mapping[str, Stage],
) -> list[SchoolPair]:
    """A supporting school for every receiving school, by the stage plan of the room left now."""
    supply = Supply(supporting, load, limit)
    pairs, free = [], []
    for school in sorted(receiving, key=receiving_order):
        supporter = fixed.get(school.school_id)
        if supporter is None:
            free.append(school)
        else:
            load[supporter] = load.get(supporter, 0) + 1
            pairs.append(_pair(school, supporter, stage_of[supporter], load[supporter], limit, weights))
    plan = stage_plan(Counter(s.stage for s in free), supply.present(), supply.room(), weights)
    if plan is None:
        return pairs
    wanted: dict[Stage, list[Stage]] = {}
    for (r, s), amount in sorted(
        plan.moves.items(), key=lambda m: (STAGES.index(m[0][0]), stage_points(m[0][0], m[0][1], weights))
    ):
        wanted.setdefault(r, []).extend([s] * amount)
    for school in free:
        planned = wanted.get(school.stage) or [school.stage]
        stage = planned.pop(0)
        chosen = supply.pick(stage, school.school_id, forbidden)
        if chosen is None:  # every school of that stage is forbidden for it: any other that is not
            chosen = next((c for s in STAGES if (c := supply.pick(s, school.school_id, forbidden))), None)
        if chosen is not None:
            pairs.append(_pair(school, chosen, stage_of[chosen], load[chosen], limit, weights))
    return pairs


def _pair(
    school: School, supporter: str, supporter_stage: Stage, partners: int, limit: int, weights: Weights
) -> SchoolPair:
    """The pair with its terms; `partners` counts the supporter's partners with this one."""
    terms: dict[str, int] = {}
    points = stage_points(school.stage, supporter_stage, weights)
    if points:
        same_family = STAGE_FAMILY[school.stage] == STAGE_FAMILY[supporter_stage]
        terms["stage_mismatch" if same_family else "family_mismatch"] = points
    if partners > limit and weights.school_load:
        terms["school_load"] = weights.school_load
    return SchoolPair(supporter, school.school_id, terms)


class SchoolCosts:
    """What the school pairs of a candidate pair of areas will cost, before any pair is chosen
    (step 1, with a given room of each of the unit's schools). None: the pair cannot serve the
    county's schools (no supporting school, or a fixed school pin it cannot honour)."""

    def __init__(
        self,
        schools: Iterable[School],
        weights: Weights,
        fixed: Mapping[str, str],
        plans: dict[Hashable, int | None] | None = None,
    ):
        self.by_area = schools_by_area(schools)
        self.weights, self.fixed = weights, fixed
        self.stage_of = {s.school_id: s.stage for schools in self.by_area.values() for s in schools}
        self.present = {area: Counter(s.stage for s in schools) for area, schools in self.by_area.items()}
        self.area_of = {s.school_id: area for area, schools in self.by_area.items() for s in schools}
        # A county without pinned schools demands the same stages of every unit, and many pairs of
        # (demand, present) repeat: a national roster prices ~740,000 county pairs with these.
        pinned_areas = {self.area_of.get(school) for school in fixed}
        self.free_demand = {
            area: _key(Counter(s.stage for s in schools))
            for area, schools in self.by_area.items()
            if area not in pinned_areas
        }
        self.present_key = {area: _key(counts) for area, counts in self.present.items()}
        # (demand, present, room) -> points; `plans` may be a warm memo's table for these weights.
        self.plans: dict[Hashable, int | None] = {} if plans is None else plans

    def points(self, unit: str, county: str, room_each: int) -> int | None:
        receiving = self.by_area.get(county, [])
        if not receiving:
            return 0
        demand_key = self.free_demand.get(county)
        if demand_key is not None:
            key = (demand_key, self.present_key.get(unit, _EMPTY), room_each)
            if key not in self.plans:
                self.plans[key] = self._free_points(*key)
            return self.plans[key]
        present = self.present.get(unit, Counter())
        room = Counter({stage: n * room_each for stage, n in present.items()})
        demand: Counter[Stage] = Counter()
        pinned: Counter[str] = Counter()
        points = 0
        for school in receiving:
            supporter = self.fixed.get(school.school_id)
            if supporter is None:
                demand[school.stage] += 1
            elif self.area_of.get(supporter) != unit:
                return None
            else:
                pinned[supporter] += 1
                points += stage_points(school.stage, self.stage_of[supporter], self.weights)
        for supporter, count in pinned.items():  # pinned pairs take their school's room first
            used = min(count, room_each)
            room[self.stage_of[supporter]] -= used
            points += (count - used) * self.weights.school_load
        plan = stage_plan(demand, present, +room, self.weights)
        return None if plan is None else plan.points + points

    def points_table(self, units: Sequence[str], counties: Sequence[str], room_each: int) -> list[list[int | None]]:
        """`points` of every unit × county at once: counties and units with the same stages share a price."""
        by_present: dict[tuple[int, ...], list[int]] = {}
        for i, unit in enumerate(units):
            by_present.setdefault(self.present_key.get(unit, _EMPTY), []).append(i)
        table: list[list[int | None]] = [[0] * len(counties) for _ in units]
        for j, county in enumerate(counties):
            demand_key = self.free_demand.get(county)
            if not self.by_area.get(county):
                continue
            if demand_key is None:  # a county with pinned schools: each unit on its own
                for i, unit in enumerate(units):
                    table[i][j] = self.points(unit, county, room_each)
                continue
            for present_key, rows in by_present.items():
                key = (demand_key, present_key, room_each)
                if key not in self.plans:
                    self.plans[key] = self._free_points(*key)
                value = self.plans[key]
                for i in rows:
                    table[i][j] = value
        return table

    def _free_points(self, demand: tuple[int, ...], present: tuple[int, ...], room_each: int) -> int | None:
        """`stage_plan(...).points` without the plan (its cost is unique, however the moves fall)."""
        if not any(demand):
            return 0
        if not any(present):
            return None
        room = [n * room_each for n in present]
        if sum(demand) <= sum(room):
            return _level_points(demand, room, self.weights)
        return _flow_points(demand, present, room, self.weights)


def _level_points(demand: Sequence[int], room: Sequence[int], weights: Weights) -> int:
    """`_by_levels(...).points`, by stage index."""
    left, spare = list(demand), list(room)
    points = 0
    for r, s, cost in _LEVEL_INDICES:
        take = min(left[r], spare[s])
        if take:
            points += take * (0 if cost == 0 else weights.stage_mismatch if cost == 1 else weights.family_mismatch)
            left[r] -= take
            spare[s] -= take
    return points


_ARCS: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]] = {}


def _flow_points(demand: Sequence[int], present: Sequence[int], room: Sequence[int], weights: Weights) -> int:
    """`_by_flow(...).points` (the same network, built once per pattern of stages), by stage index."""
    key = (
        tuple(d > 0 for d in demand),
        tuple(p > 0 for p in present),
        weights.stage_mismatch,
        weights.family_mismatch,
        weights.school_load,
    )
    if key not in _ARCS:
        n = len(STAGES)
        tails: list[int] = []
        heads: list[int] = []
        caps: list[int] = []
        costs: list[int] = []
        room_at: list[tuple[int, int]] = []
        for i, r in enumerate(STAGES):
            for j, s in enumerate(STAGES):
                if demand[i] and present[j]:
                    tails.append(i)
                    heads.append(n + j)
                    caps.append(UNLIMITED)
                    costs.append(stage_points(r, s, weights))
        for j in range(n):
            if present[j]:
                room_at.append((len(tails), j))
                tails += [n + j, n + j]
                heads += [2 * n, 2 * n]
                caps += [0, UNLIMITED]
                costs += [0, weights.school_load]
        _ARCS[key] = (np.array(tails), np.array(heads), np.array(caps), np.array(costs), room_at)
    tail_array, head_array, base, cost_array, arcs_of_room = _ARCS[key]
    capacity = base.copy()
    for arc, j in arcs_of_room:
        capacity[arc] = room[j]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tail_array, head_array, capacity, cost_array)
    for i, d in enumerate(demand):
        flow.set_node_supply(i, d)
    flow.set_node_supply(2 * len(STAGES), -sum(demand))
    flow.solve()
    return int(flow.optimal_cost())


_EMPTY = (0,) * len(STAGES)


def _key(counts: Mapping[Stage, int]) -> tuple[int, ...]:
    return tuple(counts.get(stage, 0) for stage in STAGES)


def schools_by_area(schools: Iterable[School]) -> dict[str, list[School]]:
    found: dict[str, list[School]] = {}
    for school in schools:
        found.setdefault(school.area_id, []).append(school)
    return found
