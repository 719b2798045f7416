"""The roster: every party to the programme, as typed pydantic models, and its CSV tables.

A roster directory holds cities.csv, areas.csv, universities.csv, institutes.csv and
schools.csv (see data/guangdong/README.md for the columns). Row-level checks live on the
models; checks across tables live in `solver.roster.cross`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from solver.domain.ids import PROVINCE_ID, city_id_of, label
from solver.domain.text import control_character_problem

# Guangdong's bounding box with a small margin (its extreme points are about
# 20.2-25.5 N and 109.7-117.3 E); anything outside is a typo or a swapped lat/lon.
LAT_RANGE = (20.0, 25.7)
LON_RANGE = (109.5, 117.5)

CITY_ID = re.compile(r"^44\d{2}00$")
AREA_ID = re.compile(r"^44\d{4}(\d{3})?$")
UNIVERSITY_ID = re.compile(r"^4144\d{6}$")
SCHOOL_ID = re.compile(r"^(11|21|31|34|51)44\d{6}$")
INSTITUTE_ID = re.compile(r"^jy44\d{4}$")


class Zone(StrEnum):
    PRD = "prd"
    EAST = "east"
    WEST = "west"
    NORTH = "north"


class AreaType(StrEnum):
    DISTRICT = "district"
    COUNTY_CITY = "county_city"
    COUNTY = "county"
    AUTONOMOUS_COUNTY = "autonomous_county"
    SUBDISTRICT = "subdistrict"
    TOWN = "town"


COUNTY_TYPES = frozenset({AreaType.COUNTY_CITY, AreaType.COUNTY, AreaType.AUTONOMOUS_COUNTY})
TOWNSHIP_TYPES = frozenset({AreaType.SUBDISTRICT, AreaType.TOWN})


class Role(StrEnum):
    SUPPORTER = "supporter"
    RECEIVER = "receiver"
    NONE = "none"


class UniversityKind(StrEnum):
    NORMAL = "normal"
    NON_NORMAL = "non_normal"


class UniversityLevel(StrEnum):
    UNDERGRADUATE = "undergraduate"
    JUNIOR_COLLEGE = "junior_college"


class UniversityRole(StrEnum):
    SUPPORTER = "supporter"
    NONE = "none"


class InstituteLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Stage(StrEnum):
    KINDERGARTEN = "kindergarten"
    PRIMARY = "primary"
    JUNIOR = "junior"
    NINE_YEAR = "nine_year"
    SENIOR = "senior"
    COMPLETE_SECONDARY = "complete_secondary"
    SPECIAL = "special"


# MOE 学校（机构）标识码 category of each stage: a school spanning stages takes its highest.
STAGE_CATEGORY: dict[Stage, str] = {
    Stage.KINDERGARTEN: "11",
    Stage.PRIMARY: "21",
    Stage.JUNIOR: "31",
    Stage.NINE_YEAR: "31",
    Stage.SENIOR: "34",
    Stage.COMPLETE_SECONDARY: "34",
    Stage.SPECIAL: "51",
}
SENIOR_STAGES = frozenset({Stage.SENIOR, Stage.COMPLETE_SECONDARY})
STAGE_FAMILY: dict[Stage, str] = {
    Stage.KINDERGARTEN: "kindergarten",
    Stage.PRIMARY: "primary",
    Stage.NINE_YEAR: "primary",
    Stage.JUNIOR: "secondary",
    Stage.SENIOR: "secondary",
    Stage.COMPLETE_SECONDARY: "secondary",
    Stage.SPECIAL: "special",
}
"""Schools of one family can stand in for each other in a school pair (R05: the same stage preferred)."""


class Location(StrEnum):
    URBAN = "urban"
    TOWNSHIP = "township"
    RURAL = "rural"


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _not_a_boolean(value: object) -> object:
    """`true` is not a number: pydantic would read it as 1."""
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {value!r}")
    return value


def _plain_text(value: str) -> str:
    problem = control_character_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _empty_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# Every number has a range: large enough for any real Guangdong figure, small enough that a
# typo (or an attack) cannot make the solver enumerate forever.
MAX_CAPACITY = 1000
MAX_PEOPLE = 10_000_000

IdList = Annotated[list[str], BeforeValidator(_split_list)]
Latitude = Annotated[float, Field(ge=LAT_RANGE[0], le=LAT_RANGE[1])]
Longitude = Annotated[float, Field(ge=LON_RANGE[0], le=LON_RANGE[1])]
Capacity = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=MAX_CAPACITY)]
Population = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=200_000_000)]
Teachers = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=MAX_PEOPLE)]
Schools = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=1_000_000)]
PeopleAYear = Annotated[Teachers | None, BeforeValidator(_empty_is_none)]
"""People a year, or empty for "estimate it" (see the deployment capacities of R07 and R09)."""
Tier = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=3)]
Text = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_plain_text)]
Note = Annotated[str, Field(max_length=2000), AfterValidator(_plain_text)]


class RosterRow(BaseModel):
    """Common behaviour of a row of one roster table."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)
    id_field: ClassVar[str]
    id_pattern: ClassVar[re.Pattern[str]]
    id_format: ClassVar[str]

    @property
    def id(self) -> str:
        return getattr(self, self.id_field)

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
        if self.institute_id != f"jy{self.area_id}":
            raise ValueError(f"institute id must be jy + area_id (jy{self.area_id})")
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
        return getattr(self, table.value)

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
