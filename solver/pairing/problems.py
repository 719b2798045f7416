"""The sub-problems of a round's structural plan, built from the roster as plain indexed data:
the nested city/county pairing (R01, R04, with the school pairs it brings, R05, its load against
its strength, R24, and its institute's partners, R26) and the assignments of normal universities
(R02), non-normal universities (R03) and the county level of intra-region pairing (R06)."""

from __future__ import annotations

from collections.abc import Iterable

from solver.domain.ids import institute_id
from solver.domain.kinds import Kind
from solver.domain.memo import Memo
from solver.domain.pairs import Edge
from solver.pairing.assign import AssignmentProblem
from solver.pairing.columns import NestedProblem
from solver.pairing.derived import slot_rooms
from solver.pairing.pins import PinSet, county_edges_of_schools, institute_edges
from solver.pairing.schools import SchoolCosts
from solver.pairing.scoring import Scorer
from solver.pairing.strength import city_strengths, receiving_teachers, unit_capacities
from solver.roster.fields import AreaType, UniversityKind, UniversityRole, Zone
from solver.roster.models import Roster
from solver.rules.params import R03, R23, R26
from solver.rules.ruleset import RuleSet, apply_overrides


def untied(roster: Roster, kind: Kind, edges: Iterable[Edge], rules: RuleSet, pins: PinSet) -> set[Edge]:
    """With R23's ties hard for `kind`: the edges of tied receivers (or, for universities, tied
    supporters) that follow none of their ties. A party a pin places is left to its pin, and a
    forbidden tie holds no one."""
    if kind not in rules.of(R23).hard_kinds:
        return set()
    # A tie the coordinator forbids is set aside: the receiver keeps to its other ties, if any.
    ties = {(t.supporter_id, t.receiver_id) for t in roster.ties.values() if t.kind == kind} - pins.forbidden[kind]
    pinned = pins.fixed[kind]
    if kind == Kind.UNIVERSITY_AREA:  # a university takes one receiver: one of its tied ones
        tied_supporters = {s for s, _ in ties} - {s for s, _ in pinned}
        return {(s, r) for s, r in edges if s in tied_supporters and (s, r) not in ties}
    tied_receivers = {r for _, r in ties} - {r for _, r in pinned}
    return {(s, r) for s, r in edges if r in tied_receivers and (s, r) not in ties}


def soft_ties(rules: RuleSet, kinds: Iterable[Kind]) -> RuleSet | None:
    """The rule set with the ties of `kinds` weighed instead of imposed, or None if none were hard."""
    hard = rules.of(R23).hard_kinds
    kept = [k for k in hard if k not in set(kinds)]
    if len(kept) == len(hard):
        return None
    return apply_overrides({"R23": {"hard_kinds": kept}}, base=rules)


def nested_problem(
    roster: Roster,
    scorer: Scorer,
    pins: PinSet,
    candidate_cities: int | None,
    rules: RuleSet,
    memo: Memo | None = None,
) -> NestedProblem:
    strengths = city_strengths(roster, rules)
    supporting = list(strengths)
    receiving = [c.city_id for c in roster.receiving_cities()]
    units_of: dict[str, list[str]] = {c: [] for c in supporting}
    for area in roster.supporter_areas():
        if area.city_id in units_of:
            units_of[area.city_id].append(area.area_id)
    receivers_of: dict[str, list[str]] = {c: [] for c in receiving}
    for area in roster.receivers():
        receivers_of.setdefault(area.city_id, []).append(area.area_id)
    city_edges = [(c, r) for c in supporting for r in receiving if c != r]
    forbidden_cities = pins.forbidden[Kind.CITY_CITY] | untied(roster, Kind.CITY_CITY, city_edges, rules, pins)
    city_cost = {e: c for e, c in _costs(scorer, Kind.CITY_CITY, city_edges).items() if e not in forbidden_cities}
    units = [u for us in units_of.values() for u in us]
    counties = [r for rs in receivers_of.values() for r in rs]
    unit_edges = [(u, r) for u in units for r in counties]
    forbidden_units = (
        pins.forbidden[Kind.COUNTY_COUNTY]
        | institute_edges(roster, pins.forbidden[Kind.INSTITUTE_INSTITUTE])[0]
        | untied(roster, Kind.COUNTY_COUNTY, unit_edges, rules, pins)
    )
    unit_capacity = unit_capacities(roster, rules, strengths)
    limit = rules.of(R26).school_partners_max
    rooms = {u: slot_rooms(limit, cap) for u, cap in unit_capacity.items()}
    w = scorer.weights
    plans = None if memo is None else memo.space(f"stage_plans:{w.stage_mismatch},{w.family_mismatch},{w.school_load}")
    schools = SchoolCosts(roster.schools.values(), w, pins.fixed_receivers(Kind.SCHOOL_SCHOOL), plans)
    # Price by each room any unit has (a unit without slots is priced at the whole limit).
    tables = {
        room: schools.points_table(units, counties, room)
        for room in sorted({room for u in units for room in rooms.get(u, ())} | {limit})
    }
    county_costs = scorer.costs(Kind.COUNTY_COUNTY, units, counties).tolist()
    unit_cost: dict[Edge, int] = {}
    school_cost: dict[Edge, tuple[int, ...]] = {}
    for i, u in enumerate(units):
        own_rooms = rooms.get(u, ())
        rows = [tables[room][i] for room in (own_rooms or (limit,))]
        costs_of_unit = county_costs[i]
        for j, r in enumerate(counties):
            by_room = [row[j] for row in rows]
            if None in by_room:
                continue
            edge = (u, r)
            if edge in forbidden_units:
                continue
            unit_cost[edge] = costs_of_unit[j]
            if own_rooms and any(by_room):
                school_cost[edge] = tuple(p or 0 for p in by_room)
    fixed_institutes = institute_edges(roster, pins.fixed[Kind.INSTITUTE_INSTITUTE])
    return NestedProblem(
        supporter_cities=supporting,
        city_capacity={c: strengths[c].capacity for c in supporting},
        receiving_cities=receiving,
        units_of=units_of,
        unit_capacity=unit_capacity,
        receivers_of=receivers_of,
        city_cost=city_cost,
        unit_cost=unit_cost,
        school_cost=school_cost,
        fixed_units=set(pins.fixed[Kind.COUNTY_COUNTY])
        | county_edges_of_schools(roster, pins.fixed[Kind.SCHOOL_SCHOOL])
        | fixed_institutes[0],
        fixed_cities=set(pins.fixed[Kind.CITY_CITY]) | fixed_institutes[1],
        candidate_cities=candidate_cities,
        receiving_teachers=receiving_teachers(roster),
        fair_load={c: strengths[c].fair_load for c in supporting},
        fairness_points=scorer.weights.fairness,
        institute_limit=rules.of(R26).institute_partners_max,
        institute_points=scorer.weights.institute_load,
        city_institutes={c for c in supporting if institute_id(c) in roster.institutes},
        shared_cities=_shared_cities(roster, units_of),
        unit_institutes={u for units in units_of.values() for u in units if institute_id(u) in roster.institutes},
        receiving_institutes=_receiving_institutes(roster, receivers_of),
    )


def _shared_cities(roster: Roster, units_of: dict[str, list[str]]) -> set[str]:
    """Supporter cities whose units have no institute of their own (东莞, 中山): the city's institute
    partners every institute their pairs bring (R05)."""
    return {
        city
        for city, units in units_of.items()
        if units
        and institute_id(city) in roster.institutes
        and not any(institute_id(u) in roster.institutes for u in units)
    }


def _receiving_institutes(roster: Roster, receivers_of: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """The receiving institutes each receiving city brings: (its own, its counties')."""
    return {
        city: (
            int(institute_id(city) in roster.institutes),
            sum(institute_id(county) in roster.institutes for county in counties),
        )
        for city, counties in receivers_of.items()
    }


def normal_university_problem(roster: Roster, scorer: Scorer, pins: PinSet, rules: RuleSet) -> AssignmentProblem:
    kind = Kind.NORMAL_UNIVERSITY_CITY
    supporters = [
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    receivers = [c.city_id for c in roster.receiving_cities()]
    edges = [(u, c) for u in supporters for c in receivers]
    return AssignmentProblem(
        name=kind.value,
        rule="R02",
        supporters=supporters,
        receivers=receivers,
        capacity={u: roster.universities[u].capacity for u in supporters},
        cost=_costs(scorer, kind, edges),
        fixed=pins.fixed[kind],
        forbidden=pins.forbidden[kind] | untied(roster, kind, edges, rules, pins),
        names=names(roster),
        receiver_rule_text="needs exactly one normal-university supporter",
    )


def university_area_problem(roster: Roster, scorer: Scorer, pins: PinSet, rules: RuleSet) -> AssignmentProblem:
    kind = Kind.UNIVERSITY_AREA
    supporters = [
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    receivers = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    most = rules.of(R03).max_universities_per_receiver
    edges = [(u, r) for u in supporters for r in receivers]
    return AssignmentProblem(
        name=kind.value,
        rule="R03",
        supporters=supporters,
        receivers=receivers,
        capacity=dict.fromkeys(supporters, 1),
        cost=_costs(scorer, kind, edges),
        receiver_max=most,
        supporter_exact=True,
        fixed=pins.fixed[kind],
        forbidden=pins.forbidden[kind] | untied(roster, kind, edges, rules, pins),
        names=names(roster),
        receiver_rule_text=f"needs at least one non-normal university and takes at most {most}",
    )


def intra_county_problem(roster: Roster, scorer: Scorer, pins: PinSet, rules: RuleSet) -> AssignmentProblem:
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
    cost = {
        (d, c): scorer.cost(Kind.INTRA_REGION, d, c)
        for city in districts
        for d in districts[city]
        for c in counties.get(city, [])
    }
    return AssignmentProblem(
        name="intra_region(counties)",
        rule="R06",
        supporters=supporters,
        receivers=receivers,
        capacity={d: len(receivers) for d in supporters},
        cost=cost,
        fixed={e for e in pins.fixed[Kind.INTRA_REGION] if e[0] in roster.areas},
        forbidden={e for e in pins.forbidden[Kind.INTRA_REGION] if e[0] in roster.areas}
        | untied(roster, Kind.INTRA_REGION, cost, rules, pins),
        names=names(roster),
        receiver_rule_text="needs an urban district of its city as partner",
    )


def _costs(scorer: Scorer, kind: Kind, edges: list[Edge]) -> dict[Edge, int]:
    """`scorer.cost` of each edge, computed as one matrix over their supporters and receivers."""
    supporters = list(dict.fromkeys(s for s, _ in edges))
    receivers = list(dict.fromkeys(r for _, r in edges))
    row = {s: i for i, s in enumerate(supporters)}
    col = {r: j for j, r in enumerate(receivers)}
    matrix = scorer.costs(kind, supporters, receivers).tolist()
    return {(s, r): matrix[row[s]][col[r]] for s, r in edges}


def names(roster: Roster) -> dict[str, str]:
    found = {c.city_id: c.name for c in roster.cities.values()}
    found.update({a.area_id: a.name for a in roster.areas.values()})
    found.update({u.university_id: u.name for u in roster.universities.values()})
    return found
