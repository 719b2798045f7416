"""The parties of the programme as roster rows: cities, county-level units, universities, research
institutes and schools, each field typed with its range (solver.roster.fields)."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from solver.domain.ids import PROVINCE_ID, city_id_of, institute_id
from solver.roster.fields import (
    AREA_ID,
    CITY_ID,
    GUANGDONG,
    INSTITUTE_ID,
    LAT_RANGE,
    LON_RANGE,
    SCHOOL_ID,
    STAGE_CATEGORY,
    TOWNSHIP_TYPES,
    UNIVERSITY_ID,
    AreaType,
    Capacity,
    InstituteLevel,
    Latitude,
    Location,
    Longitude,
    Note,
    OptionalCapacity,
    OptionalYuan1e8,
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
from solver.roster.row import RosterRow


def _check_city_id(value: str) -> str:
    if not CITY_ID.match(value):
        raise ValueError(f"malformed city id {value!r}: expected 6 digits ppxx00 (pp a province, 44 Guangdong)")
    return value


def _in_guangdong(value: float, info: ValidationInfo) -> float:
    """A Guangdong party (its id names province 44) lies in Guangdong's box, not just in China's."""
    party_id = str(info.data.get("city_id") or info.data.get("area_id") or info.data.get("university_id") or "")
    province = party_id[2:4] if party_id.startswith("41") and len(party_id) == 10 else party_id[:2]
    low, high = LAT_RANGE if info.field_name == "lat" else LON_RANGE
    if province == GUANGDONG and not low <= value <= high:
        raise ValueError(f"{value} is outside Guangdong ({low}–{high}); a swapped lat/lon or a typo?")
    return value


class City(RosterRow):
    id_field: ClassVar[str] = "city_id"
    id_pattern: ClassVar[re.Pattern[str]] = CITY_ID
    id_format: ClassVar[str] = "6 digits ppxx00 (GB/T 2260; pp the province, 44 Guangdong)"

    city_id: Text
    name: Text
    zone: Zone
    receives: bool
    supports: bool
    capacity: OptionalCapacity = None  # receiving cities it can partner; empty = follows from strength (R24)
    lat: Latitude
    lon: Longitude
    source: Text
    capacity_source: Note = ""
    coord_source: Note = ""
    gdp_yuan_1e8: OptionalYuan1e8 = None  # 2020 GDP, 亿元: fiscal strength (R24)
    budget_revenue_yuan_1e8: OptionalYuan1e8 = None  # 2020 general public budget revenue, 亿元
    strength_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    _in_province = field_validator("lat", "lon")(_in_guangdong)


class Area(RosterRow):
    id_field: ClassVar[str] = "area_id"
    id_pattern: ClassVar[re.Pattern[str]] = AREA_ID
    id_format: ClassVar[str] = "6-digit GB/T 2260 code or 9-digit township code (44… in Guangdong)"

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
    capacity: OptionalCapacity = None  # receiving counties it can partner; empty = follows from strength (R24)
    source: Text
    coord_source: Note = ""
    estimate_source: Note = ""
    flag_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    _city_ok = field_validator("city_id")(_check_city_id)
    _in_province = field_validator("lat", "lon")(_in_guangdong)

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
    id_format: ClassVar[str] = "10 digits 41 + province (44 Guangdong) + 0 + 5-digit national school code"

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
    source: Text
    coord_source: Note = ""
    send_capacity: PeopleAYear = None  # people a year on teaching duty (R07); empty = planning default
    host_capacity: PeopleAYear = None  # people a year it can host on shadowing duty (R09/R10); empty = default

    _city_ok = field_validator("city_id")(_check_city_id)
    _in_province = field_validator("lat", "lon")(_in_guangdong)


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
    id_format: ClassVar[str] = "10 digits: category (11/21/31/34/51) + province (44 Guangdong) + 6-digit sequence"

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
