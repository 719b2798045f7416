"""The sub-problems of a round's structural plan, built from the roster as plain indexed data:
the nested city/county pairing (R01, R04, with the school pairs it brings, R05) and the
assignments of normal universities (R02), non-normal universities (R03) and the county level of
intra-region pairing (R06)."""

from __future__ import annotations

from solver.domain.kinds import Kind
from solver.domain.pairs import Edge
from solver.pairing.assign import AssignmentProblem
from solver.pairing.columns import NestedProblem
from solver.pairing.derived import SchoolCosts
from solver.pairing.pins import PinSet, county_edges_of_schools, institute_edges
from solver.pairing.scoring import Scorer
from solver.roster.fields import AreaType, UniversityKind, UniversityRole, Zone
from solver.roster.models import Roster
from solver.rules.params import R03


def school_costs(roster: Roster, pins: PinSet) -> SchoolCosts:
    return SchoolCosts(roster, pins.fixed_receivers(Kind.SCHOOL_SCHOOL), pins.forbidden[Kind.SCHOOL_SCHOOL])


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
    city_cost = {
        (c, r): scorer.cost(Kind.CITY_CITY, c, r)
        for c in supporting
        for r in receiving
        if c != r and (c, r) not in pins.forbidden[Kind.CITY_CITY]
    }
    forbidden_units = (
        pins.forbidden[Kind.COUNTY_COUNTY] | institute_edges(roster, pins.forbidden[Kind.INSTITUTE_INSTITUTE])[0]
    )
    schools = school_costs(roster, pins)
    mismatch_points = scorer.weights.stage_mismatch
    unit_cost: dict[Edge, int] = {}
    school_cost: dict[Edge, int] = {}
    for units in units_of.values():
        for u in units:
            for rs in receivers_of.values():
                for r in rs:
                    mismatches = schools.mismatches(u, r)
                    if (u, r) in forbidden_units or mismatches is None:
                        continue
                    unit_cost[(u, r)] = scorer.cost(Kind.COUNTY_COUNTY, u, r)
                    if mismatches:
                        school_cost[(u, r)] = mismatches * mismatch_points
    fixed_institutes = institute_edges(roster, pins.fixed[Kind.INSTITUTE_INSTITUTE])
    return NestedProblem(
        supporter_cities=supporting,
        city_capacity={c: roster.cities[c].capacity for c in supporting},
        receiving_cities=receiving,
        units_of=units_of,
        unit_capacity={a.area_id: a.capacity for a in roster.supporter_areas()},
        receivers_of=receivers_of,
        city_cost=city_cost,
        unit_cost=unit_cost,
        school_cost=school_cost,
        fixed_units=set(pins.fixed[Kind.COUNTY_COUNTY])
        | county_edges_of_schools(roster, pins.fixed[Kind.SCHOOL_SCHOOL])
        | fixed_institutes[0],
        fixed_cities=set(pins.fixed[Kind.CITY_CITY]) | fixed_institutes[1],
        candidate_cities=candidate_cities,
    )


def normal_university_problem(roster: Roster, scorer: Scorer, pins: PinSet) -> AssignmentProblem:
    kind = Kind.NORMAL_UNIVERSITY_CITY
    supporters = [
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    receivers = [c.city_id for c in roster.receiving_cities()]
    return AssignmentProblem(
        name=kind.value,
        rule="R02",
        supporters=supporters,
        receivers=receivers,
        capacity={u: roster.universities[u].capacity for u in supporters},
        cost={(u, c): scorer.cost(kind, u, c) for u in supporters for c in receivers},
        fixed=pins.fixed[kind],
        forbidden=pins.forbidden[kind],
        names=names(roster),
        receiver_rule_text="needs exactly one normal-university supporter",
    )


def university_area_problem(roster: Roster, scorer: Scorer, pins: PinSet, limit: R03) -> AssignmentProblem:
    kind = Kind.UNIVERSITY_AREA
    supporters = [
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    receivers = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    most = limit.max_universities_per_receiver
    return AssignmentProblem(
        name=kind.value,
        rule="R03",
        supporters=supporters,
        receivers=receivers,
        capacity=dict.fromkeys(supporters, 1),
        cost={(u, r): scorer.cost(kind, u, r) for u in supporters for r in receivers},
        receiver_max=most,
        supporter_exact=True,
        fixed=pins.fixed[kind],
        forbidden=pins.forbidden[kind],
        names=names(roster),
        receiver_rule_text=f"needs at least one non-normal university and takes at most {most}",
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
        forbidden={e for e in pins.forbidden[Kind.INTRA_REGION] if e[0] in roster.areas},
        names=names(roster),
        receiver_rule_text="needs an urban district of its city as partner",
    )


def names(roster: Roster) -> dict[str, str]:
    found = {c.city_id: c.name for c in roster.cities.values()}
    found.update({a.area_id: a.name for a in roster.areas.values()})
    found.update({u.university_id: u.name for u in roster.universities.values()})
    return found
