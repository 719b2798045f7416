"""The roster: every party to the programme, as typed pydantic models, and its CSV tables.

A roster directory holds cities.csv, areas.csv, universities.csv, institutes.csv and
schools.csv, and optionally ties.csv, requests.csv, degrees.csv, silver.csv and budgets.csv (see data/guangdong/README.md for the
columns). Row-level checks live on the models (solver.roster.parties, solver.roster.relations);
checks across tables live in `solver.roster.cross`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from solver.domain.ids import PROVINCE_ID, city_id_of, label
from solver.domain.kinds import Kind
from solver.roster.annex import Budget, Degrees, Silver
from solver.roster.fields import Role
from solver.roster.parties import Area, City, Institute, School, University
from solver.roster.relations import Request, Tie
from solver.roster.row import RosterRow


class Table(StrEnum):
    CITIES = "cities"
    AREAS = "areas"
    UNIVERSITIES = "universities"
    INSTITUTES = "institutes"
    SCHOOLS = "schools"
    TIES = "ties"
    REQUESTS = "requests"
    DEGREES = "degrees"
    SILVER = "silver"
    BUDGETS = "budgets"

    @property
    def model(self) -> type[RosterRow]:
        return TABLE_MODELS[self]

    @property
    def filename(self) -> str:
        return f"{self.value}.csv"

    @property
    def optional(self) -> bool:
        """A roster directory (or a stored version) without this table has none of its rows."""
        return self in OPTIONAL_TABLES


TABLE_MODELS: dict[Table, type[RosterRow]] = {
    Table.CITIES: City,
    Table.AREAS: Area,
    Table.UNIVERSITIES: University,
    Table.INSTITUTES: Institute,
    Table.SCHOOLS: School,
    Table.TIES: Tie,
    Table.REQUESTS: Request,
    Table.DEGREES: Degrees,
    Table.SILVER: Silver,
    Table.BUDGETS: Budget,
}
OPTIONAL_TABLES = frozenset({Table.TIES, Table.REQUESTS, Table.DEGREES, Table.SILVER, Table.BUDGETS})
PARTY_TABLES = (Table.CITIES, Table.AREAS, Table.UNIVERSITIES, Table.INSTITUTES, Table.SCHOOLS)

KIND_TABLES: dict[Kind, tuple[tuple[Table, ...], tuple[Table, ...]]] = {
    Kind.CITY_CITY: ((Table.CITIES,), (Table.CITIES,)),
    Kind.COUNTY_COUNTY: ((Table.AREAS,), (Table.AREAS,)),
    Kind.NORMAL_UNIVERSITY_CITY: ((Table.UNIVERSITIES,), (Table.CITIES,)),
    Kind.UNIVERSITY_AREA: ((Table.UNIVERSITIES,), (Table.CITIES, Table.AREAS)),
    Kind.INSTITUTE_INSTITUTE: ((Table.INSTITUTES,), (Table.INSTITUTES,)),
    Kind.SCHOOL_SCHOOL: ((Table.SCHOOLS,), (Table.SCHOOLS,)),
    Kind.INTRA_REGION: ((Table.AREAS, Table.SCHOOLS), (Table.AREAS, Table.SCHOOLS)),
}
"""Which tables may hold the supporter and the receiver of a pair of each kind (pins and ties name them)."""


def columns(table: Table) -> list[str]:
    """The table's CSV columns in their canonical order (the model's field order)."""
    return list(table.model.model_fields)


def required_columns(table: Table) -> list[str]:
    return [name for name, info in table.model.model_fields.items() if info.is_required()]


class Roster(BaseModel):
    """A whole roster, each table keyed by id in id order."""

    model_config = ConfigDict(frozen=True)

    cities: dict[str, City]
    areas: dict[str, Area]
    universities: dict[str, University]
    institutes: dict[str, Institute]
    schools: dict[str, School]
    ties: dict[str, Tie] = {}
    requests: dict[str, Request] = {}
    degrees: dict[str, Degrees] = {}
    silver: dict[str, Silver] = {}
    budgets: dict[str, Budget] = {}

    def table(self, table: Table) -> dict[str, RosterRow]:
        rows: dict[str, RosterRow] = getattr(self, table.value)
        return rows

    def receivers(self) -> list[Area]:
        return [a for a in self.areas.values() if a.role == Role.RECEIVER]

    def supporter_areas(self) -> list[Area]:
        return [a for a in self.areas.values() if a.role == Role.SUPPORTER]

    def receiving_cities(self) -> list[City]:
        return [c for c in self.cities.values() if c.receives]

    def supporting_cities(self) -> list[City]:
        return [c for c in self.cities.values() if c.supports]

    def city_of(self, party_id: str) -> str:
        """The city id of any party: a city, an area, an institute, a school or a university."""
        school = self.schools.get(party_id)
        if school is not None:
            return city_id_of(school.area_id)
        university = self.universities.get(party_id)
        if university is not None:
            return university.city_id
        institute = self.institutes.get(party_id)
        if institute is not None:
            return institute.city_id or PROVINCE_ID
        return city_id_of(party_id)

    def name_of(self, party_id: str) -> str:
        """The Chinese name of any party by id (city, area, university, institute, school)."""
        return self._names[party_id]

    @cached_property
    def _names(self) -> dict[str, str]:
        """Every party's name by id, the first table holding an id winning (as PARTY_TABLES orders them)."""
        names: dict[str, str] = {}
        for table in reversed(PARTY_TABLES):
            names.update((party_id, row.name) for party_id, row in self.table(table).items())  # type: ignore[attr-defined]
        return names

    def label(self, party_id: str) -> str:
        """`梅县区（441403）`; the bare id for a party that is not in the roster."""
        try:
            return label(self.name_of(party_id), party_id)
        except KeyError:
            return party_id
