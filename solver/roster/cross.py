"""Checks across roster tables: references, roles and the policy's structure.

Each check yields `Problem`s naming the table, the row's id and the ids it refers to, the
spreadsheet row (when known) and the field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from solver.domain.ids import PROVINCE_ID, institute_id
from solver.domain.policy import PRD_RECEIVING_COUNTIES
from solver.domain.problems import Problem
from solver.roster import cross_annex as annex
from solver.roster.fields import (
    COUNTY_TYPES,
    InstituteLevel,
    Role,
    UniversityKind,
    UniversityRole,
    Zone,
)
from solver.roster.models import KIND_TABLES, Roster, Table
from solver.roster.parties import Area, City
from solver.roster.relations import Wish

RowNumbers = Mapping[Table, Mapping[str, int]]


def cross_check(
    roster: Roster, rows: RowNumbers | None = None, invalid: Mapping[Table, set[str]] | None = None
) -> list[Problem]:
    """Every cross-table problem of the roster; `rows` maps ids to spreadsheet rows.

    `invalid` holds the ids of rows that are present but failed their own checks: references
    to them are not reported again as unknown (their own problem is already reported).
    """
    at = _Locator(roster, rows or {}, invalid or {})
    problems: list[Problem] = []
    for check in (_areas, _cities, _universities, _institutes, _schools, _capacities, _ties, _requests):
        problems.extend(check(roster, at))
    problems.extend(annex.degrees(roster, at))
    problems.extend(annex.silver(roster, at))
    problems.extend(annex.budgets(roster, at, _known, SUPPORTER_TABLES))
    return problems


class _Locator:
    def __init__(self, roster: Roster, rows: RowNumbers, invalid: Mapping[Table, set[str]]):
        self.roster, self.rows, self.invalid = roster, rows, invalid

    def __call__(self, table: Table, row_id: str, field: str | None, message: str, *refers_to: str) -> Problem:
        return Problem(
            table.filename, self.rows.get(table, {}).get(row_id), field, message, table.value, (row_id, *refers_to)
        )

    def unknown(self, table: Table, row_id: str) -> bool:
        """Neither a valid row nor an invalid one (whose problem is reported already)."""
        return row_id not in self.roster.table(table) and row_id not in self.invalid.get(table, set())

    def incomplete(self, table: Table, prefix: str) -> bool:
        return any(i.startswith(prefix) for i in self.invalid.get(table, set()))


def _areas(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for area in roster.areas.values():
        city = roster.cities.get(area.city_id)
        if city is None:
            if at.unknown(Table.CITIES, area.city_id):
                yield at(Table.AREAS, area.area_id, "city_id", f"unknown city {area.city_id}", area.city_id)
            continue
        if area.role == Role.SUPPORTER and city.zone != Zone.PRD:
            yield at(
                Table.AREAS,
                area.area_id,
                "role",
                f"{area.name} is in {city.name} ({city.zone}): only PRD units support",
            )
        if area.role == Role.RECEIVER:
            yield from _receiver(roster, area.area_id, at)
    per_prd_city = Counter(
        a.city_id
        for a in roster.receivers()
        if roster.cities.get(a.city_id) and roster.cities[a.city_id].zone == Zone.PRD
    )
    for city_id, count in sorted(per_prd_city.items()):
        allowed = PRD_RECEIVING_COUNTIES.get(city_id, 0)
        if count > allowed:
            receivers = sorted(a.area_id for a in roster.receivers() if a.city_id == city_id)
            yield Problem(
                Table.AREAS.filename,
                None,
                "role",
                f"{roster.cities[city_id].name} has {count} receiving units, but the policy lists "
                f"{allowed} underdeveloped counties there (annex 2, clause 7)",
                Table.AREAS.value,
                tuple(receivers),
            )


def _receiver(roster: Roster, area_id: str, at: _Locator) -> Iterator[Problem]:
    area = roster.areas[area_id]
    city = roster.cities[area.city_id]
    if not city.receives:
        yield at(
            Table.AREAS,
            area_id,
            "role",
            f"{area.name} receives, but its city {city.name} is not a receiving city",
            city.city_id,
        )
    if city.zone == Zone.PRD:
        if city.city_id not in PRD_RECEIVING_COUNTIES:
            yield at(
                Table.AREAS,
                area_id,
                "role",
                f"{area.name} is in {city.name}, a PRD city with no underdeveloped counties in the policy "
                "(only 肇庆, 江门 and 惠州 have them)",
            )
        elif area.type not in COUNTY_TYPES:
            yield at(
                Table.AREAS,
                area_id,
                "role",
                f"{area.name} is a {area.type} of {city.name}: in a PRD city only underdeveloped counties receive",
            )


def _cities(roster: Roster, at: _Locator) -> Iterator[Problem]:
    receiving_cities = {a.city_id for a in roster.receivers()}
    for city in roster.cities.values():
        if at.incomplete(Table.AREAS, city.city_id[:4]):  # the first four digits of an area id name its city
            receiving_cities.add(city.city_id)  # an invalid area row may be its receiver
        if city.supports and city.zone != Zone.PRD:
            yield at(Table.CITIES, city.city_id, "supports", f"{city.name} is not a PRD city: it cannot support")
        if not city.supports and city.capacity:  # None (derived) and 0 are both fine
            yield at(
                Table.CITIES, city.city_id, "capacity", f"{city.name} does not support but has capacity {city.capacity}"
            )
        if city.receives and city.city_id not in receiving_cities:
            yield at(
                Table.CITIES, city.city_id, "receives", f"{city.name} receives but has no receiving county-level unit"
            )


def _universities(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for uni in roster.universities.values():
        if at.unknown(Table.CITIES, uni.city_id):
            yield at(Table.UNIVERSITIES, uni.university_id, "city_id", f"unknown city {uni.city_id}", uni.city_id)
        if uni.role == UniversityRole.NONE and uni.capacity:
            yield at(
                Table.UNIVERSITIES,
                uni.university_id,
                "capacity",
                f"{uni.name} does not take part (role none) but has capacity {uni.capacity}",
            )


def _institutes(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for inst in roster.institutes.values():
        if inst.level == InstituteLevel.PROVINCE:
            continue
        if inst.city_id not in roster.cities:
            if at.unknown(Table.CITIES, inst.city_id):
                yield at(Table.INSTITUTES, inst.institute_id, "city_id", f"unknown city {inst.city_id}", inst.city_id)
        elif inst.level == InstituteLevel.CITY and inst.area_id != inst.city_id:
            yield at(Table.INSTITUTES, inst.institute_id, "area_id", "a city institute's area_id is its city_id")
        elif inst.level == InstituteLevel.COUNTY and at.unknown(Table.AREAS, inst.area_id):
            yield at(
                Table.INSTITUTES,
                inst.institute_id,
                "area_id",
                f"unknown county-level unit {inst.area_id}",
                inst.area_id,
            )
    province = institute_id(PROVINCE_ID)
    if roster.institutes and province not in roster.institutes:
        yield Problem(
            Table.INSTITUTES.filename,
            None,
            "institute_id",
            f"the provincial institute {province} is missing",
            Table.INSTITUTES.value,
            (province,),
        )


def _schools(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for school in roster.schools.values():
        if at.unknown(Table.AREAS, school.area_id):
            yield at(
                Table.SCHOOLS,
                school.school_id,
                "area_id",
                f"unknown county-level unit {school.area_id}",
                school.area_id,
            )


def _capacities(roster: Roster, at: _Locator) -> Iterator[Problem]:
    """No supporter can take more receivers than the roster has: a larger figure is a typo."""
    cities, areas = len(roster.receiving_cities()), len(roster.receivers())
    for city in roster.supporting_cities():
        if city.capacity is not None and city.capacity > cities:
            yield at(
                Table.CITIES,
                city.city_id,
                "capacity",
                f"capacity {city.capacity} is more than the {cities} receiving cities of the roster",
            )
    for area in roster.supporter_areas():
        if area.capacity is not None and area.capacity > areas:
            yield at(
                Table.AREAS,
                area.area_id,
                "capacity",
                f"capacity {area.capacity} is more than the {areas} receiving counties of the roster",
            )
    for uni in roster.universities.values():
        limit = cities if uni.kind == UniversityKind.NORMAL else cities + areas
        if uni.capacity > limit:
            yield at(
                Table.UNIVERSITIES,
                uni.university_id,
                "capacity",
                f"capacity {uni.capacity} is more than the {limit} receiving cities"
                f"{'' if uni.kind == UniversityKind.NORMAL else ' and counties'} of the roster",
            )


def _party(roster: Roster, tables: tuple[Table, ...], party_id: str) -> object | None:
    return next((roster.table(t)[party_id] for t in tables if party_id in roster.table(t)), None)


def _known(roster: Roster, at: _Locator, tables: tuple[Table, ...], party_id: str) -> bool:
    """In one of the tables, or in none but with an invalid row of its own (already reported)."""
    return _party(roster, tables, party_id) is not None or not all(at.unknown(t, party_id) for t in tables)


def _ties(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for tie in roster.ties.values():
        supporter_tables, receiver_tables = KIND_TABLES[tie.kind]
        if not _known(roster, at, supporter_tables, tie.supporter_id):
            names = " or ".join(t.value for t in supporter_tables)
            yield at(
                Table.TIES,
                tie.id,
                "supporter_id",
                f"{tie.supporter_id} is not in the roster's {names} (kind {tie.kind})",
                tie.supporter_id,
            )
        receiver = _party(roster, receiver_tables, tie.receiver_id)
        if receiver is None:
            if not _known(roster, at, receiver_tables, tie.receiver_id):
                names = " or ".join(t.value for t in receiver_tables)
                yield at(
                    Table.TIES,
                    tie.id,
                    "receiver_id",
                    f"{tie.receiver_id} is not in the roster's {names} (kind {tie.kind})",
                    tie.receiver_id,
                )
        elif not _receives(receiver):
            yield at(
                Table.TIES,
                tie.id,
                "receiver_id",
                f"{roster.label(tie.receiver_id)} does not receive, so no {tie.kind} pair can follow this tie",
                tie.receiver_id,
            )


def _receives(party: object) -> bool:
    if isinstance(party, City):
        return party.receives
    if isinstance(party, Area):
        return party.role == Role.RECEIVER
    return True  # institutes and schools receive through their county


SUPPORTER_TABLES = (Table.CITIES, Table.AREAS, Table.UNIVERSITIES, Table.INSTITUTES)


def _requests(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for request in roster.requests.values():
        counties_only = request.what in (Wish.TEACHING_TEAM, Wish.BACKBONE_SHADOW)
        area, city = roster.areas.get(request.receiver_id), roster.cities.get(request.receiver_id)
        if area is not None:
            fits = area.role == Role.RECEIVER
        elif city is not None:
            fits = city.receives and not counties_only
        else:  # unknown, unless its own row is invalid (and reported already)
            fits = not (at.unknown(Table.AREAS, request.receiver_id) and at.unknown(Table.CITIES, request.receiver_id))
        if not fits:
            whom = "a receiving county" if counties_only else "a receiving city or county"
            yield at(
                Table.REQUESTS,
                request.id,
                "receiver_id",
                f"{request.receiver_id} is not {whom} of the roster ({request.what} is asked for by {whom})",
                request.receiver_id,
            )
        for field in ("prefer_supporter_id", "avoid_supporter_id"):
            party_id = getattr(request, field)
            if party_id and not _known(roster, at, SUPPORTER_TABLES, party_id):
                yield at(
                    Table.REQUESTS,
                    request.id,
                    field,
                    f"{party_id} is not a city, county-level unit, university or institute of the roster",
                    party_id,
                )
