"""The structural plan of one round: all seven kinds of pairing, nested, optimal, explained.

`plan_pairs` builds plain indexed sub-problems from the roster and solves them:
  - city_city + county_county together (solver.pairing.nested: exact column decomposition, R01/R04);
  - normal_university_city (R02), university_area (R03) and the county level of intra_region
    (R06) as CP-SAT assignment models (solver.pairing.assign);
  - institute_institute, school_school (R05) and the school level of intra_region (R06), which
    follow from the county pairs (solver.pairing.derived).
Objective terms come from solver.pairing.scoring; every pair carries its own terms.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.pairing.assign import AssignmentProblem, solve_assignment
from solver.pairing.derived import institute_pairs, intra_school_pairs, school_pairs
from solver.pairing.explain import explain_nested
from solver.pairing.nested import NestedProblem, solve_nested
from solver.domain.pins import Pin, PinAction
from solver.domain.pairs import Kind, Pair, sort_pairs
from solver.domain.policy import round_years
from solver.domain.problems import Problem, RosterError
from solver.domain.results import PartResult, ProgressCallback, SolveOptions, SolveStatus, relative_gap
from solver.roster.models import AreaType, Roster, Table, UniversityKind, UniversityRole, Zone
from solver.rules.catalogue import DEFAULT_RULES, RuleSet
from solver.pairing.scoring import Scorer

Edge = tuple[str, str]


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

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    def summary(self) -> dict[str, object]:
        return {
            "round": self.round,
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "runtime_s": round(self.runtime_s, 3),
            "parts": [p.as_dict() for p in self.parts],
            "pairs_by_kind": {k.value: sum(p.kind == k for p in self.pairs) for k in Kind},
            "explanation": self.explanation,
        }


# Which roster tables may hold the supporter and receiver of each kind (for checking pins).
_PIN_TABLES: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Kind.CITY_CITY: (("cities",), ("cities",)),
    Kind.COUNTY_COUNTY: (("areas",), ("areas",)),
    Kind.NORMAL_UNIVERSITY_CITY: (("universities",), ("cities",)),
    Kind.UNIVERSITY_AREA: (("universities",), ("cities", "areas")),
    Kind.INSTITUTE_INSTITUTE: (("institutes",), ("institutes",)),
    Kind.SCHOOL_SCHOOL: (("schools",), ("schools",)),
    Kind.INTRA_REGION: (("areas", "schools"), ("areas", "schools")),
}


def check_pins(roster: Roster, pins: Sequence[Pin], filename: str = "pins.csv") -> None:
    """Every pin must name parties that exist in the roster tables of its kind."""
    problems = []
    for index, pin in enumerate(pins):
        supporter_tables, receiver_tables = _PIN_TABLES[pin.kind]
        for column, party_id, tables in (("supporter_id", pin.supporter_id, supporter_tables),
                                         ("receiver_id", pin.receiver_id, receiver_tables)):
            if not any(party_id in getattr(roster, t) for t in tables):
                problems.append(Problem(filename, index + 2, column,
                                        f"{party_id} is not in the roster's {' or '.join(tables)} (kind {pin.kind})"))
    if problems:
        raise RosterError(problems)


class PinSet:
    """A coordinator's pins as fixed and forbidden (supporter, receiver) edges per kind."""

    def __init__(self, pins: Sequence[Pin]):
        self.fixed: dict[Kind, set[Edge]] = {k: set() for k in Kind}
        self.forbidden: dict[Kind, set[Edge]] = {k: set() for k in Kind}
        for pin in pins:
            target = self.fixed if pin.action == PinAction.FIX else self.forbidden
            target[pin.kind].add((pin.supporter_id, pin.receiver_id))

    def is_fixed(self, kind: Kind, supporter: str, receiver: str) -> bool:
        return (supporter, receiver) in self.fixed[kind]


def nested_problem(roster: Roster, scorer: Scorer, pins: PinSet, candidate_cities: int | None) -> NestedProblem:
    supporting = [c.city_id for c in roster.supporting_cities()]
    receiving = [c.city_id for c in roster.receiving_cities()]
    units_of: dict[str, list[str]] = {c: [] for c in supporting}
    for area in roster.supporter_areas():
        if area.city_id in units_of:
            units_of[area.city_id].append(area.area_id)
    receivers_of: dict[str, list[str]] = {c: [] for c in receiving}
    for area in roster.receivers():
        receivers_of.setdefault(area.city_id, []).append(area.area_id)
    city_cost = {(c, r): scorer.cost(Kind.CITY_CITY, c, r) for c in supporting for r in receiving
                 if c != r and (c, r) not in pins.forbidden[Kind.CITY_CITY]}
    forbidden_units = pins.forbidden[Kind.COUNTY_COUNTY] | _pins_from_institutes(roster, pins.forbidden)[0]
    unit_cost = {(u, r): scorer.cost(Kind.COUNTY_COUNTY, u, r)
                 for units in units_of.values() for u in units
                 for rs in receivers_of.values() for r in rs
                 if (u, r) not in forbidden_units}
    return NestedProblem(
        supporter_cities=supporting,
        city_capacity={c: roster.cities[c].capacity for c in supporting},
        receiving_cities=receiving,
        units_of=units_of,
        unit_capacity={a.area_id: a.capacity for a in roster.supporter_areas()},
        receivers_of=receivers_of,
        city_cost=city_cost,
        unit_cost=unit_cost,
        fixed_units=set(pins.fixed[Kind.COUNTY_COUNTY]) | _county_pins_from_schools(roster, pins)
        | _pins_from_institutes(roster, pins.fixed)[0],
        fixed_cities=set(pins.fixed[Kind.CITY_CITY]) | _pins_from_institutes(roster, pins.fixed)[1],
        candidate_cities=candidate_cities,
    )


def _pins_from_institutes(roster: Roster, pinned: dict[Kind, set[Edge]]) -> tuple[set[Edge], set[Edge]]:
    """Institute pairs follow the county and city pairs (R05): pin those instead.

    Returns (county pairs, city pairs). A county institute served by a city institute (the
    东莞/中山 case) pins the city pair, since any 镇街 of that city would do.
    """
    units, cities = set(), set()
    for supporter, receiver in pinned[Kind.INSTITUTE_INSTITUTE]:
        s_area, r_area = supporter.removeprefix("jy"), receiver.removeprefix("jy")
        if s_area in roster.areas and r_area in roster.areas:
            units.add((s_area, r_area))
        else:
            cities.add((s_area[:4] + "00", r_area[:4] + "00"))
    return units, cities


def _county_pins_from_schools(roster: Roster, pins: PinSet) -> set[Edge]:
    """A fixed school pair fixes the county pair it must sit in."""
    return {(roster.schools[s].area_id, roster.schools[r].area_id) for s, r in pins.fixed[Kind.SCHOOL_SCHOOL]}


def normal_university_problem(roster: Roster, scorer: Scorer, pins: PinSet) -> AssignmentProblem:
    kind = Kind.NORMAL_UNIVERSITY_CITY
    supporters = [u.university_id for u in roster.universities.values()
                  if u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER]
    receivers = [c.city_id for c in roster.receiving_cities()]
    return AssignmentProblem(
        name=kind.value, rule="R02", supporters=supporters, receivers=receivers,
        capacity={u: roster.universities[u].capacity for u in supporters},
        cost={(u, c): scorer.cost(kind, u, c) for u in supporters for c in receivers},
        fixed=pins.fixed[kind], forbidden=pins.forbidden[kind], names=_names(roster),
        receiver_rule_text="needs exactly one normal-university supporter",
    )


def university_area_problem(roster: Roster, scorer: Scorer, pins: PinSet, rules: RuleSet) -> AssignmentProblem:
    kind = Kind.UNIVERSITY_AREA
    supporters = [u.university_id for u in roster.universities.values()
                  if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER]
    receivers = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    return AssignmentProblem(
        name=kind.value, rule="R03", supporters=supporters, receivers=receivers,
        capacity={u: 1 for u in supporters},
        cost={(u, r): scorer.cost(kind, u, r) for u in supporters for r in receivers},
        receiver_max=int(rules.param("R03", "max_universities_per_receiver")),
        supporter_exact=True, fixed=pins.fixed[kind], forbidden=pins.forbidden[kind], names=_names(roster),
        receiver_rule_text=("needs at least one non-normal university and takes at most "
                            f"{int(rules.param('R03', 'max_universities_per_receiver'))}"),
    )


def intra_county_problem(roster: Roster, scorer: Scorer, pins: PinSet) -> AssignmentProblem:
    """In each EWN receiving city with receiving districts, every other receiving county gets a district."""
    districts: dict[str, list[str]] = {}
    counties: dict[str, list[str]] = {}
    for area in roster.receivers():
        if roster.cities[area.city_id].zone == Zone.PRD:
            continue
        target = districts if area.type == AreaType.DISTRICT else counties
        target.setdefault(area.city_id, []).append(area.area_id)
    supporters = sorted(d for city in districts for d in districts[city])
    receivers = sorted(c for city in counties if city in districts for c in counties[city])
    cost = {(d, c): scorer.cost(Kind.INTRA_REGION, d, c)
            for city in districts for d in districts[city] for c in counties.get(city, [])}
    return AssignmentProblem(
        name="intra_region(counties)", rule="R06", supporters=supporters, receivers=receivers,
        capacity={d: len(receivers) for d in supporters}, cost=cost,
        fixed={e for e in pins.fixed[Kind.INTRA_REGION] if e[0] in roster.areas},
        forbidden={e for e in pins.forbidden[Kind.INTRA_REGION] if e[0] in roster.areas},
        names=_names(roster), receiver_rule_text="needs an urban district of its city as partner",
    )


def _names(roster: Roster) -> dict[str, str]:
    names = {c.city_id: c.name for c in roster.cities.values()}
    names.update({a.area_id: a.name for a in roster.areas.values()})
    names.update({u.university_id: u.name for u in roster.universities.values()})
    return names


def plan_pairs(request: PairingRequest) -> PairingResult:
    started = time.perf_counter()
    roster, rules = request.roster, request.rules
    round_years(request.round)  # a round that does not exist is a programming error here
    check_pins(roster, request.pins)
    pins = PinSet(request.pins)
    replan = any(p.round == request.round for p in request.base)
    scorer = Scorer.build(roster, rules.weights, request.base, replan=replan)
    builder = _PairBuilder(roster, request.round, scorer, pins)
    parts: list[PartResult] = []
    explanation: list[str] = []

    nested = nested_problem(roster, scorer, pins, request.candidate_cities)
    nested_result = solve_nested(nested, request.options, request.on_progress)
    parts.append(nested_result.part)
    if nested_result.part.status == SolveStatus.INFEASIBLE:
        explanation += explain_nested(nested, builder.label, request.options)
    builder.add_scored(Kind.CITY_CITY, nested_result.city_pairs)
    builder.add_scored(Kind.COUNTY_COUNTY, nested_result.unit_pairs)

    for kind, problem in (
        (Kind.NORMAL_UNIVERSITY_CITY, normal_university_problem(roster, scorer, pins)),
        (Kind.UNIVERSITY_AREA, university_area_problem(roster, scorer, pins, rules)),
        (Kind.INTRA_REGION, intra_county_problem(roster, scorer, pins)),
    ):
        result = solve_assignment(problem, request.options, request.on_progress)
        parts.append(result.part)
        explanation += result.explanation
        builder.add_scored(kind, result.edges)

    if nested_result.part.status.has_plan:
        builder.add_derived(Kind.INSTITUTE_INSTITUTE,
                            [(s, r, 0) for s, r in institute_pairs(roster, nested_result.city_pairs,
                                                                   nested_result.unit_pairs)])
        fixed_schools = {r: s for s, r in pins.fixed[Kind.SCHOOL_SCHOOL]}
        builder.add_derived(Kind.SCHOOL_SCHOOL,
                            school_pairs(roster, nested_result.unit_pairs, fixed_schools,
                                         pins.forbidden[Kind.SCHOOL_SCHOOL]))
    fixed_intra = {r: s for s, r in pins.fixed[Kind.INTRA_REGION] if s in roster.schools}
    builder.add_derived(Kind.INTRA_REGION, intra_school_pairs(roster, fixed_intra, pins.forbidden[Kind.INTRA_REGION]))

    return _assemble(request.round, parts, builder.pairs, explanation, time.perf_counter() - started)


def _assemble(round_id: str, parts: list[PartResult], pairs: list[Pair], explanation: list[str],
              runtime: float) -> PairingResult:
    statuses = {p.status for p in parts}
    if SolveStatus.INFEASIBLE in statuses:
        status = SolveStatus.INFEASIBLE
    elif SolveStatus.UNKNOWN in statuses:
        status = SolveStatus.UNKNOWN
    elif SolveStatus.FEASIBLE in statuses:
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.OPTIMAL
    if status.has_plan:
        objective = sum(p.objective or 0 for p in parts)
        bounds = [p.bound for p in parts]
        bound = None if any(b is None for b in bounds) else sum(b for b in bounds if b is not None)
    else:
        objective = bound = None
        pairs = []
    return PairingResult(round_id, status, objective, bound, runtime, parts, sort_pairs(pairs), explanation)


class _PairBuilder:
    """Turns chosen edges into Pair rows with names, cities, distances and score terms."""

    def __init__(self, roster: Roster, round_id: str, scorer: Scorer, pins: PinSet):
        self.roster, self.round, self.scorer, self.pins = roster, round_id, scorer, pins
        self.pairs: list[Pair] = []
        self.names = {row.id: row.name for table in Table for row in roster.table(table).values()}  # type: ignore[attr-defined]

    def label(self, party_id: str) -> str:
        return f"{self.names[party_id]} ({party_id})"

    def _city_of(self, party_id: str) -> str:
        if party_id in self.roster.schools:
            return self.roster.schools[party_id].area_id[:4] + "00"
        if party_id in self.roster.institutes:
            inst = self.roster.institutes[party_id]
            return inst.city_id
        return party_id[:4] + "00"

    def _seat(self, party_id: str) -> str:
        """The party whose seat stands for this one in distances (a school's area, an institute's area)."""
        if party_id in self.roster.schools:
            return self.roster.schools[party_id].area_id
        if party_id in self.roster.institutes:
            area = self.roster.institutes[party_id].area_id
            return area if area in self.roster.areas or area in self.roster.cities else area[:4] + "00"
        return party_id

    def _pair(self, kind: Kind, supporter: str, receiver: str, terms: dict[str, int]) -> Pair:
        distance = self.scorer.distance(self._seat(supporter), self._seat(receiver))
        return Pair(
            round=self.round, kind=kind, supporter_id=supporter, supporter_name=self.names[supporter],
            receiver_id=receiver, receiver_name=self.names[receiver],
            receiver_city_id=self._city_of(receiver), score_distance_km=round(distance, 1),
            score_terms=terms, pinned=self.pins.is_fixed(kind, supporter, receiver),
        )

    def add_scored(self, kind: Kind, edges: Sequence[Edge]) -> None:
        for supporter, receiver in edges:
            self.pairs.append(self._pair(kind, supporter, receiver, self.scorer.terms(kind, supporter, receiver)))

    def add_derived(self, kind: Kind, edges: Sequence[tuple[str, str, int]]) -> None:
        for supporter, receiver, mismatch in edges:
            terms = {"stage_mismatch": mismatch} if mismatch else {}
            self.pairs.append(self._pair(kind, supporter, receiver, terms))

