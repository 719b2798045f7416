"""Each supporter's strength, its fair share of the load, and the capacities that follow (R24).

A supporting city's strength is its share of the supporting cities' teachers and of their GDP,
weighed by R24's `teachers_share` (GDP alone when teachers are missing and the other way round).
Its fair load is that share of all receiving teachers. Where the roster leaves a capacity empty,
it follows from the share: a city may take its share of the receiving cities, a unit its part of
its city's share of the receiving counties (by its teachers), each rounded up plus R24's slack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from solver.roster.models import Roster
from solver.rules.params import R24
from solver.rules.ruleset import RuleSet


@dataclass(frozen=True)
class CityStrength:
    city_id: str
    teachers: int  # full-time teachers of its supporting units
    gdp: float | None  # 2020 GDP, 亿元
    share: float  # of all supporting cities' strength, 0..1
    fair_load: float  # receiving teachers it should support
    capacity: int  # receiving cities it may take (the roster's, or its share's)
    capacity_from_roster: bool


def receiving_teachers(roster: Roster) -> dict[str, int]:
    """Teachers of the receiving counties of each receiving city."""
    found: dict[str, int] = {c.city_id: 0 for c in roster.receiving_cities()}
    for area in roster.receivers():
        if area.city_id in found:
            found[area.city_id] += area.teachers
    return found


def city_strengths(roster: Roster, rules: RuleSet) -> dict[str, CityStrength]:
    params = rules.of(R24)
    cities = roster.supporting_cities()
    teachers = {c.city_id: sum(a.teachers for a in roster.supporter_areas() if a.city_id == c.city_id) for c in cities}
    gdp = {c.city_id: c.gdp_yuan_1e8 for c in cities}
    total_teachers = sum(teachers.values())
    known_gdp = all(v is not None for v in gdp.values()) and sum(v or 0.0 for v in gdp.values()) > 0
    weight = params.teachers_share if known_gdp and total_teachers else (1.0 if total_teachers else 0.0)
    total_gdp = sum(v or 0.0 for v in gdp.values())
    load = sum(receiving_teachers(roster).values())
    count = len(roster.receiving_cities())
    found = {}
    for city in cities:
        share = weight * (teachers[city.city_id] / total_teachers if total_teachers else 0.0)
        if weight < 1.0:
            share += (1.0 - weight) * ((gdp[city.city_id] or 0.0) / total_gdp)
        derived = min(count, math.ceil(share * count - 1e-9) + params.city_capacity_slack) if share > 0 else 0
        found[city.city_id] = CityStrength(
            city.city_id,
            teachers[city.city_id],
            gdp[city.city_id],
            share,
            share * load,
            derived if city.capacity is None else city.capacity,
            city.capacity is not None,
        )
    return found


def unit_capacities(roster: Roster, rules: RuleSet, strengths: dict[str, CityStrength]) -> dict[str, int]:
    """Receiving counties each supporter unit may take: the roster's, or its part of its city's share."""
    slack = rules.of(R24).unit_capacity_slack
    counties = len(roster.receivers())
    found = {}
    for area in roster.supporter_areas():
        if area.capacity is not None:
            found[area.area_id] = area.capacity
            continue
        city = strengths.get(area.city_id)
        if city is None or not city.teachers or not area.teachers:
            found[area.area_id] = 0
            continue
        expected = city.share * counties * area.teachers / city.teachers
        found[area.area_id] = min(counties, math.ceil(expected - 1e-9) + slack)
    return found
