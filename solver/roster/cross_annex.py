"""Checks across tables for degrees.csv, silver.csv and budgets.csv (solver.roster.annex)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from solver.domain.ids import PROVINCE_ID
from solver.domain.problems import Problem
from solver.roster.annex import Purpose
from solver.roster.fields import Role
from solver.roster.models import Roster, Table

if TYPE_CHECKING:
    from solver.roster.cross import _Locator

Known = Callable[[Roster, "_Locator", tuple[Table, ...], str], bool]


def degrees(roster: Roster, at: _Locator) -> Iterator[Problem]:
    schools = Counter(s.area_id for s in roster.schools.values())
    for row in roster.degrees.values():
        area = roster.areas.get(row.area_id)
        if area is None:
            if at.unknown(Table.AREAS, row.area_id):
                yield at(Table.DEGREES, row.id, "area_id", f"unknown area {row.area_id}", row.area_id)
            continue
        if area.role != Role.RECEIVER:
            yield at(
                Table.DEGREES,
                row.id,
                "area_id",
                f"{roster.label(row.area_id)} does not receive: degree targets are counted for receiving counties",
                row.area_id,
            )
        principals = schools.get(row.area_id, 0) or area.schools
        if row.principals_below + row.heads_below > principals:
            yield at(
                Table.DEGREES,
                row.id,
                "principals_below",
                f"{row.principals_below} principals and {row.heads_below} kindergarten heads below target, "
                f"but {roster.label(row.area_id)} has {principals} schools (one head each)",
            )
        if row.teachers_below > area.teachers:
            yield at(
                Table.DEGREES,
                row.id,
                "teachers_below",
                f"{row.teachers_below} teachers below target, but {roster.label(row.area_id)} has {area.teachers}",
            )


def silver(roster: Roster, at: _Locator) -> Iterator[Problem]:
    for row in roster.silver.values():
        if row.area_id not in roster.areas and at.unknown(Table.AREAS, row.area_id):
            yield at(Table.SILVER, row.id, "area_id", f"unknown area {row.area_id}", row.area_id)


def budgets(roster: Roster, at: _Locator, known: Known, supporter_tables: tuple[Table, ...]) -> Iterator[Problem]:
    for row in roster.budgets.values():
        provincial = row.purpose in (Purpose.PROVINCIAL_FUND, Purpose.PROVINCIAL_PROGRAMMES)
        if row.party_id == PROVINCE_ID:
            if not provincial:
                yield at(
                    Table.BUDGETS,
                    row.id,
                    "purpose",
                    f"the province ({PROVINCE_ID}) budgets for provincial_fund or provincial_programmes, not {row.purpose}",
                )
            continue
        if provincial:
            yield at(
                Table.BUDGETS,
                row.id,
                "purpose",
                f"{row.purpose} is the province's ({PROVINCE_ID}); {row.party_id} budgets for support",
                row.party_id,
            )
        if not known(roster, at, supporter_tables, row.party_id):
            yield at(
                Table.BUDGETS,
                row.id,
                "party_id",
                f"{row.party_id} is not the province, a city, county-level unit, university or institute of the roster",
                row.party_id,
            )
