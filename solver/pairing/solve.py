"""The structural plan of one round: all seven kinds of pairing, nested, optimal, explained.

`plan_pairs` builds plain indexed sub-problems from the roster (solver.pairing.problems) and
solves them:
  - city_city + county_county together, with each supporter city's load against its strength,
    its institute's partners and what the school pairs of each county pair will cost
    (solver.pairing.nested: exact column decomposition, R01/R04/R05/R24/R26);
  - normal_university_city (R02), university_area (R03) and the county level of intra_region
    (R06) as CP-SAT assignment models (solver.pairing.assign);
  - institute_institute, school_school (R05) and the school level of intra_region (R06), which
    follow from the county pairs (solver.pairing.derived).
Every pair carries its score terms, and the plan's objective is the sum of them. The nested part's
objective is what its pairs really cost once the school pairs are made; its bound is the model's.
When a unit's schools are shared by several counties the realised cost can exceed the model's,
and the gap then says by how much.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.domain.kinds import Kind
from solver.domain.memo import Memo
from solver.domain.pairs import Pair, sort_pairs
from solver.domain.pins import Pin
from solver.domain.policy import round_years
from solver.domain.results import PartResult, ProgressCallback, SolveOptions, SolveStatus, relative_gap
from solver.pairing.assign import solve_assignment
from solver.pairing.builder import PairBuilder
from solver.pairing.derived import institute_pairs, intra_school_pairs, school_pairs, slot_rooms
from solver.pairing.explain import explain_nested
from solver.pairing.nested import solve_nested
from solver.pairing.pins import PinSet, check_pins
from solver.pairing.problems import (
    intra_county_problem,
    nested_problem,
    normal_university_problem,
    soft_ties,
    university_area_problem,
)
from solver.pairing.scoring import Scorer
from solver.roster.models import Roster
from solver.rules.params import R26
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

INTRA_SCHOOLS = "intra_region(schools)"
_TIES_WEIGHED = (
    "R23: the {kinds} ties cannot all hold together with the pins and capacities, "
    "so this plan weighs them (weight `tie`) instead of imposing them."
)


@dataclass
class PairingRequest:
    roster: Roster
    round: str
    rules: RuleSet = DEFAULT_RULES
    base: Sequence[Pair] = ()
    pins: Sequence[Pin] = ()
    options: SolveOptions = field(default_factory=SolveOptions)
    candidate_cities: int | None = None  # limit per supporter city for very large rosters
    on_progress: ProgressCallback | None = None
    memo: Memo | None = None  # a warm re-plan: what earlier plans in this process found (solver.domain.memo)


@dataclass
class PairingResult:
    round: str
    status: SolveStatus
    objective: int | None
    bound: int | None
    runtime_s: float
    parts: list[PartResult]
    pairs: list[Pair]
    explanation: list[str]
    objective_by_kind: dict[Kind, int] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def plan_pairs(request: PairingRequest) -> PairingResult:
    started = time.perf_counter()
    roster, rules = request.roster, request.rules
    round_years(request.round)  # a round that does not exist is a programming error here
    check_pins(roster, request.pins)
    pins = PinSet(request.pins)
    replan = any(p.round == request.round for p in request.base)
    scorer = Scorer.build(roster, rules.weights, request.base, replan=replan)
    builder = PairBuilder(roster, request.round, scorer, pins)
    limits = rules.of(R26)
    parts: list[PartResult] = []
    explanation: list[str] = []

    nested = nested_problem(roster, scorer, pins, request.candidate_cities, rules, request.memo)
    result = solve_nested(nested, request.options, request.on_progress, request.memo)
    soft = soft_ties(rules, (Kind.CITY_CITY, Kind.COUNTY_COUNTY))
    if result.part.status == SolveStatus.INFEASIBLE and soft is not None:
        nested = nested_problem(roster, scorer, pins, request.candidate_cities, soft, request.memo)
        result = solve_nested(nested, request.options, request.on_progress, request.memo)
        if result.part.status.has_plan:
            explanation.append(_TIES_WEIGHED.format(kinds="city_city/county_county"))
    if result.part.status == SolveStatus.INFEASIBLE:
        explanation += explain_nested(nested, roster.label, request.options)
    realised = builder.add_city_pairs(result.chosen, nested.receiving_teachers)
    realised += builder.add_scored(Kind.COUNTY_COUNTY, result.unit_pairs)
    if result.part.status.has_plan:
        realised += builder.add_institutes(
            institute_pairs(roster, result.city_pairs, result.unit_pairs), limits.institute_partners_max
        )
        realised += builder.add_schools(
            Kind.SCHOOL_SCHOOL,
            school_pairs(
                roster,
                {
                    (unit, county): slot_rooms(limits.school_partners_max, nested.unit_capacity[unit])[slot]
                    for (unit, county), slot in result.unit_slots.items()
                },
                rules.weights,
                pins.fixed_receivers(Kind.SCHOOL_SCHOOL),
                pins.forbidden[Kind.SCHOOL_SCHOOL],
            ),
            request.memo,
        )
    parts.append(_realised(result.part, realised))

    for kind, build in (
        (Kind.NORMAL_UNIVERSITY_CITY, normal_university_problem),
        (Kind.UNIVERSITY_AREA, university_area_problem),
        (Kind.INTRA_REGION, intra_county_problem),
    ):
        assigned = solve_assignment(
            build(roster, scorer, pins, rules), request.options, request.on_progress, request.memo
        )
        soft = soft_ties(rules, (kind,))
        if assigned.part.status == SolveStatus.INFEASIBLE and soft is not None:
            assigned = solve_assignment(
                build(roster, scorer, pins, soft), request.options, request.on_progress, request.memo
            )
            if assigned.part.status.has_plan:
                explanation.append(_TIES_WEIGHED.format(kinds=kind.value))
        parts.append(assigned.part)
        explanation += assigned.explanation
        builder.add_scored(kind, assigned.edges)

    intra = intra_school_pairs(
        roster,
        rules.weights,
        limits.intra_partners_max,
        pins.fixed_receivers(Kind.INTRA_REGION, roster),
        pins.forbidden[Kind.INTRA_REGION],
    )
    # Nothing chosen here can change these points (each county's own schools), so they are exact.
    points = builder.add_schools(Kind.INTRA_REGION, intra, request.memo)
    parts.append(PartResult(INTRA_SCHOOLS, SolveStatus.OPTIMAL, points, points, 0.0))
    return _assemble(request.round, parts, builder.pairs, explanation, time.perf_counter() - started)


def _realised(part: PartResult, realised: int) -> PartResult:
    """The nested part with what its pairs really cost; optimal only while that meets the bound."""
    if not part.status.has_plan:
        return part
    status = part.status
    if part.bound is not None and realised > part.bound and status == SolveStatus.OPTIMAL:
        status = SolveStatus.FEASIBLE
    return PartResult(part.name, status, realised, part.bound, part.runtime_s)


def _assemble(
    round_id: str, parts: list[PartResult], pairs: list[Pair], explanation: list[str], runtime: float
) -> PairingResult:
    statuses = {p.status for p in parts}
    if SolveStatus.INFEASIBLE in statuses:
        status = SolveStatus.INFEASIBLE
    elif SolveStatus.UNKNOWN in statuses:
        status = SolveStatus.UNKNOWN
    elif SolveStatus.FEASIBLE in statuses:
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.OPTIMAL
    if not status.has_plan:
        return PairingResult(round_id, status, None, None, runtime, parts, [], explanation)
    objective = sum(p.objective or 0 for p in parts)
    bounds = [p.bound for p in parts]
    bound = None if any(b is None for b in bounds) else sum(b for b in bounds if b is not None)
    by_kind = Counter[Kind]()
    for pair in pairs:
        by_kind[pair.kind] += pair.score_total
    return PairingResult(
        round_id,
        status,
        objective,
        bound,
        runtime,
        parts,
        sort_pairs(pairs),
        explanation,
        {k: by_kind[k] for k in Kind},
    )
