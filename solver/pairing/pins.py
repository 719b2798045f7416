"""A coordinator's pins as the models use them: fixed and forbidden edges per kind, checked
against the roster, and translated to the pairs they imply (a school or institute pair fixes
the county or city pair it must sit in, R05)."""

from __future__ import annotations

from collections.abc import Sequence

from solver.domain.ids import area_of_institute, city_id_of
from solver.domain.kinds import Kind
from solver.domain.pairs import Edge
from solver.domain.pins import Pin, PinAction
from solver.domain.problems import InputError, Problem
from solver.roster.models import Roster, Table

# Which roster tables may hold the supporter and receiver of each kind.
PIN_TABLES: dict[Kind, tuple[tuple[Table, ...], tuple[Table, ...]]] = {
    Kind.CITY_CITY: ((Table.CITIES,), (Table.CITIES,)),
    Kind.COUNTY_COUNTY: ((Table.AREAS,), (Table.AREAS,)),
    Kind.NORMAL_UNIVERSITY_CITY: ((Table.UNIVERSITIES,), (Table.CITIES,)),
    Kind.UNIVERSITY_AREA: ((Table.UNIVERSITIES,), (Table.CITIES, Table.AREAS)),
    Kind.INSTITUTE_INSTITUTE: ((Table.INSTITUTES,), (Table.INSTITUTES,)),
    Kind.SCHOOL_SCHOOL: ((Table.SCHOOLS,), (Table.SCHOOLS,)),
    Kind.INTRA_REGION: ((Table.AREAS, Table.SCHOOLS), (Table.AREAS, Table.SCHOOLS)),
}


def check_pins(roster: Roster, pins: Sequence[Pin], filename: str = "pins.csv") -> None:
    """Every pin must name parties that exist in the roster tables of its kind."""
    problems = []
    for index, pin in enumerate(pins):
        supporter_tables, receiver_tables = PIN_TABLES[pin.kind]
        for column, party_id, tables in (
            ("supporter_id", pin.supporter_id, supporter_tables),
            ("receiver_id", pin.receiver_id, receiver_tables),
        ):
            if not any(party_id in roster.table(t) for t in tables):
                names = " or ".join(t.value for t in tables)
                problems.append(
                    Problem(
                        filename,
                        index + 2,
                        column,
                        f"{party_id} is not in the roster's {names} (kind {pin.kind})",
                        ids=(party_id,),
                    )
                )
    if problems:
        raise InputError(problems)


class PinSet:
    """Fixed and forbidden (supporter, receiver) edges per kind."""

    def __init__(self, pins: Sequence[Pin]):
        self.fixed: dict[Kind, set[Edge]] = {k: set() for k in Kind}
        self.forbidden: dict[Kind, set[Edge]] = {k: set() for k in Kind}
        for pin in pins:
            target = self.fixed if pin.action == PinAction.FIX else self.forbidden
            target[pin.kind].add((pin.supporter_id, pin.receiver_id))

    def is_fixed(self, kind: Kind, supporter: str, receiver: str) -> bool:
        return (supporter, receiver) in self.fixed[kind]

    def fixed_receivers(self, kind: Kind, roster: Roster | None = None) -> dict[str, str]:
        """receiver -> supporter of the fixed pins of a kind (only school receivers when `roster` is given)."""
        return {r: s for s, r in self.fixed[kind] if roster is None or s in roster.schools}


def institute_edges(roster: Roster, pinned: set[Edge]) -> tuple[set[Edge], set[Edge]]:
    """Institute pairs follow the county and city pairs (R05): the (county pairs, city pairs) to pin instead.

    A county institute served by a city institute (the 东莞/中山 case) pins the city pair, since
    any 镇街 of that city would do.
    """
    units, cities = set(), set()
    for supporter, receiver in pinned:
        s_area, r_area = area_of_institute(supporter), area_of_institute(receiver)
        if s_area in roster.areas and r_area in roster.areas:
            units.add((s_area, r_area))
        else:
            cities.add((city_id_of(s_area), city_id_of(r_area)))
    return units, cities


def county_edges_of_schools(roster: Roster, pinned: set[Edge]) -> set[Edge]:
    """A fixed school pair fixes the county pair it must sit in."""
    return {(roster.schools[s].area_id, roster.schools[r].area_id) for s, r in pinned}
