"""The roster: every party to the programme, as typed pydantic models, and its CSV tables.

A roster directory holds cities.csv, areas.csv, universities.csv, institutes.csv and
schools.csv (see data/guangdong/README.md for the columns). Row-level checks live on the
models; checks across tables live in `solver.roster.cross`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from solver.domain.ids import PROVINCE_ID, city_id_of, institute_id, label
from solver.roster.fields import (
    AREA_ID,
    CITY_ID,
    INSTITUTE_ID,
    SCHOOL_ID,
    STAGE_CATEGORY,
    TOWNSHIP_TYPES,
    UNIVERSITY_ID,
    AreaType,
    Capacity,
    IdList,
    InstituteLevel,
    Latitude,
    Location,
    Longitude,
    Note,
    PeopleAYear,
    Population,
    Role,
    Schools,
    Stage,
    Teachers,
    Text,
    Tier,
    UniversityKind,
    UniversityLevel,
    UniversityRole,
    Zone,
)


class RosterRow(BaseModel):
    """Common behaviour of a row of one roster table."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)
    id_field: ClassVar[str]
    id_pattern: ClassVar[re.Pattern[str]]
    id_format: ClassVar[str]

    @property
    def id(self) -> str:
        value: str = getattr(self, self.id_field)
        return value

    @model_validator(mode="after")
    def _id_well_formed(self) -> RosterRow:
        if not self.id_pattern.match(self.id):
            raise ValueError(f"malformed id {self.id!r}: expected {self.id_format}")
        return self


def _check_city_id(value: str) -> str:
    if not CITY_ID.match(value):
        raise ValueError(f"malformed city id {value!r}: expected 6 digits 44xx00")
    return value


class City(RosterRow):
    id_field: ClassVar[str] = "city_id"
    id_pattern: ClassVar[re.Pattern[str]] = CITY_ID
    id_format: ClassVar[str] = "6 digits 44xx00 (GB/T 2260)"

    city_id: Text
    name: Text
    zone: Zone
    receives: bool
    supports: bool
    capacity: Capacity
    lat: Latitude
    lon: Longitude
    source: Text
    capacity_source: Note = ""
    coord_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default


class Area(RosterRow):
    id_field: ClassVar[str] = "area_id"
    id_pattern: ClassVar[re.Pattern[str]] = AREA_ID
    id_format: ClassVar[str] = "6-digit GB/T 2260 code or 9-digit township code starting 44"

    area_id: Text
    name: Text
    city_id: Text
    type: AreaType
    role: Role
    lat: Latitude
    lon: Longitude
    population: Population
    teachers: Teachers
    schools: Schools
    central_soviet: bool = False
    old_revolutionary: bool = False
    ethnic: bool = False
    capacity: Capacity
    source: Text
    coord_source: Note = ""
    estimate_source: Note = ""
    flag_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    _city_ok = field_validator("city_id")(_check_city_id)

    @model_validator(mode="after")
    def _consistent(self) -> Area:
        if city_id_of(self.area_id) != self.city_id:
            raise ValueError(
                f"area {self.area_id} does not belong to city {self.city_id}: "
                "the first four digits of an area id name its city"
            )
        township = self.type in TOWNSHIP_TYPES
        if township != (len(self.area_id) == 9):
            raise ValueError(f"a {self.type} must have a {'9' if township else '6'}-digit id")
        return self

    @property
    def is_priority(self) -> bool:
        """原中央苏区, 革命老区 or 民族地区 (R21)."""
        return self.central_soviet or self.old_revolutionary or self.ethnic


class University(RosterRow):
    id_field: ClassVar[str] = "university_id"
    id_pattern: ClassVar[re.Pattern[str]] = UNIVERSITY_ID
    id_format: ClassVar[str] = "10 digits 4144 + 0 + 5-digit national school code"

    university_id: Text
    name: Text
    city_id: Text
    kind: UniversityKind
    level: UniversityLevel
    tier: Tier
    role: UniversityRole
    capacity: Capacity
    lat: Latitude
    lon: Longitude
    cooperation: IdList = Field(default_factory=list)
    source: Text
    coord_source: Note = ""
    cooperation_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    _city_ok = field_validator("city_id")(_check_city_id)

    @field_validator("cooperation")
    @classmethod
    def _cooperation_ids(cls, value: list[str]) -> list[str]:
        for city_id in value:
            _check_city_id(city_id)
        return value


class Institute(RosterRow):
    id_field: ClassVar[str] = "institute_id"
    id_pattern: ClassVar[re.Pattern[str]] = INSTITUTE_ID
    id_format: ClassVar[str] = "jy + 6-digit area code"

    institute_id: Text
    name: Text
    level: InstituteLevel
    area_id: Text
    city_id: Annotated[str, Field(max_length=6)] = ""
    source: Text
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    @model_validator(mode="after")
    def _consistent(self) -> Institute:
        if self.institute_id != institute_id(self.area_id):
            raise ValueError(f"institute id must be jy + area_id ({institute_id(self.area_id)})")
        if self.level == InstituteLevel.PROVINCE:
            if self.area_id != PROVINCE_ID:
                raise ValueError(f"the provincial institute's area_id is {PROVINCE_ID}")
        else:
            _check_city_id(self.city_id)
            if city_id_of(self.area_id) != self.city_id:
                raise ValueError(f"area {self.area_id} is not in city {self.city_id}")
        return self


class School(RosterRow):
    id_field: ClassVar[str] = "school_id"
    id_pattern: ClassVar[re.Pattern[str]] = SCHOOL_ID
    id_format: ClassVar[str] = "10 digits: category (11/21/31/34/51) + 44 + 6-digit sequence"

    school_id: Text
    name: Text
    area_id: Text
    stage: Stage
    location: Location
    teachers: Teachers
    priority: bool
    synthetic: bool
    source: Text

    @model_validator(mode="after")
    def _category_matches_stage(self) -> School:
        expected = STAGE_CATEGORY[self.stage]
        if self.school_id[:2] != expected:
            raise ValueError(
                f"school id {self.school_id} starts with {self.school_id[:2]}, "
                f"but a {self.stage} school's category is {expected}"
            )
        return self


class Table(StrEnum):
    CITIES = "cities"
    AREAS = "areas"
    UNIVERSITIES = "universities"
    INSTITUTES = "institutes"
    SCHOOLS = "schools"

    @property
    def model(self) -> type[RosterRow]:
        return TABLE_MODELS[self]

    @property
    def filename(self) -> str:
        return f"{self.value}.csv"


TABLE_MODELS: dict[Table, type[RosterRow]] = {
    Table.CITIES: City,
    Table.AREAS: Area,
    Table.UNIVERSITIES: University,
    Table.INSTITUTES: Institute,
    Table.SCHOOLS: School,
}


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
        for table in Table:
            row = self.table(table).get(party_id)
            if row is not None:
                return row.name  # type: ignore[attr-defined, no-any-return]
        raise KeyError(party_id)

    def label(self, party_id: str) -> str:
        """`梅县区（441403）`; the bare id for a party that is not in the roster."""
        try:
            return label(self.name_of(party_id), party_id)
        except KeyError:
            return party_id
