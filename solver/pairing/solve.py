"""The structural plan of one round: all seven kinds of pairing, nested, optimal, explained.

`plan_pairs` builds plain indexed sub-problems from the roster (solver.pairing.problems) and
solves them:
  - city_city + county_county together, with what the school pairs of each county pair will
    cost (solver.pairing.nested: exact column decomposition, R01/R04/R05);
  - normal_university_city (R02), university_area (R03) and the county level of intra_region
    (R06) as CP-SAT assignment models (solver.pairing.assign);
  - institute_institute, school_school (R05) and the school level of intra_region (R06), which
    follow from the county pairs (solver.pairing.derived).
Objective terms come from solver.pairing.scoring; every pair carries its own terms, and
`objective_by_kind` says, from the models' own costs, what each kind adds to the objective.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair, sort_pairs
from solver.domain.pins import Pin
from solver.domain.policy import round_years
from solver.domain.results import (
    PartResult,
    ProgressCallback,
    SolveOptions,
    SolveStatus,
    relative_gap,
)
from solver.pairing.assign import solve_assignment
from solver.pairing.builder import PairBuilder
from solver.pairing.derived import institute_pairs, intra_school_pairs, school_pairs
from solver.pairing.explain import explain_nested
from solver.pairing.nested import solve_nested
from solver.pairing.pins import PinSet, check_pins
from solver.pairing.problems import (
    intra_county_problem,
    nested_problem,
    normal_university_problem,
    university_area_problem,
)
from solver.pairing.scoring import Scorer
from solver.roster.models import Roster
from solver.rules.params import R03
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

INTRA_SCHOOLS = "intra_region(schools)"


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
    parts: list[PartResult] = []
    explanation: list[str] = []
    by_kind = dict.fromkeys(Kind, 0)

    nested = nested_problem(roster, scorer, pins, request.candidate_cities)
    nested_result = solve_nested(nested, request.options, request.on_progress)
    parts.append(nested_result.part)
    if nested_result.part.status == SolveStatus.INFEASIBLE:
        explanation += explain_nested(nested, roster.label, request.options)
    builder.add_scored(Kind.CITY_CITY, nested_result.city_pairs)
    builder.add_scored(Kind.COUNTY_COUNTY, nested_result.unit_pairs)
    by_kind[Kind.CITY_CITY] = sum(nested.city_cost[e] for e in nested_result.city_pairs)
    by_kind[Kind.COUNTY_COUNTY] = sum(nested.unit_cost[e] for e in nested_result.unit_pairs)
    by_kind[Kind.SCHOOL_SCHOOL] = sum(nested.school_cost.get(e, 0) for e in nested_result.unit_pairs)

    for kind, problem in (
        (Kind.NORMAL_UNIVERSITY_CITY, normal_university_problem(roster, scorer, pins)),
        (Kind.UNIVERSITY_AREA, university_area_problem(roster, scorer, pins, rules.of(R03))),
        (Kind.INTRA_REGION, intra_county_problem(roster, scorer, pins)),
    ):
        result = solve_assignment(problem, request.options, request.on_progress)
        parts.append(result.part)
        explanation += result.explanation
        builder.add_scored(kind, result.edges)
        by_kind[kind] += result.part.objective or 0

    if nested_result.part.status.has_plan:
        builder.add_plain(
            Kind.INSTITUTE_INSTITUTE, institute_pairs(roster, nested_result.city_pairs, nested_result.unit_pairs)
        )
        builder.add_schools(
            Kind.SCHOOL_SCHOOL,
            school_pairs(
                roster,
                nested_result.unit_pairs,
                pins.fixed_receivers(Kind.SCHOOL_SCHOOL),
                pins.forbidden[Kind.SCHOOL_SCHOOL],
            ),
        )
    intra = intra_school_pairs(
        roster, pins.fixed_receivers(Kind.INTRA_REGION, roster), pins.forbidden[Kind.INTRA_REGION]
    )
    # Nothing chosen here can change these points (each county's own schools), so they are exact.
    intra_points = builder.add_schools(Kind.INTRA_REGION, intra)
    parts.append(PartResult(INTRA_SCHOOLS, SolveStatus.OPTIMAL, intra_points, intra_points, 0.0))
    by_kind[Kind.INTRA_REGION] += intra_points
    return _assemble(request.round, parts, builder.pairs, explanation, by_kind, time.perf_counter() - started)


def _assemble(
    round_id: str,
    parts: list[PartResult],
    pairs: list[Pair],
    explanation: list[str],
    by_kind: dict[Kind, int],
    runtime: float,
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
    return PairingResult(round_id, status, objective, bound, runtime, parts, sort_pairs(pairs), explanation, by_kind)
