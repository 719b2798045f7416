"""What a roster cell may hold: the enumerations, the id formats and typed fields with their ranges.

Every number has a range: large enough for any real Guangdong figure, small enough that a typo
(or an attack) cannot make the solver enumerate forever. Booleans are not numbers, and text
holds no control characters.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from solver.domain.text import control_character_problem

# Guangdong's bounding box with a small margin (its extreme points are about
# 20.2-25.5 N and 109.7-117.3 E): a Guangdong party (an id of province 44) outside it is a typo
# or a swapped lat/lon. Parties of other provinces (the synthetic national roster of
# scripts/generate_national.py) must lie in China's box (about 18.2-53.6 N, 73.5-135.1 E).
LAT_RANGE = (20.0, 25.7)
LON_RANGE = (109.5, 117.5)
CHINA_LAT_RANGE = (18.0, 53.7)
CHINA_LON_RANGE = (73.4, 135.2)
GUANGDONG = "44"
"""The two-digit GB/T 2260 province code of Guangdong, the programme's own province."""

# GB/T 2260 province codes run from 11 (北京) to 65 (新疆); ids of every province are
# accepted so that a national-scale roster can be planned, and 44 is Guangdong's.
_PROVINCE = r"(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])"
CITY_ID = re.compile(rf"^{_PROVINCE}\d{{2}}00$")
AREA_ID = re.compile(rf"^{_PROVINCE}\d{{4}}(\d{{3}})?$")
UNIVERSITY_ID = re.compile(rf"^41{_PROVINCE}\d{{6}}$")
SCHOOL_ID = re.compile(rf"^(11|21|31|34|51){_PROVINCE}\d{{6}}$")
INSTITUTE_ID = re.compile(rf"^jy{_PROVINCE}\d{{4}}$")


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


MAX_CAPACITY = 1000
MAX_PEOPLE = 10_000_000

IdList = Annotated[list[str], BeforeValidator(_split_list)]
Latitude = Annotated[float, Field(ge=CHINA_LAT_RANGE[0], le=CHINA_LAT_RANGE[1])]
Longitude = Annotated[float, Field(ge=CHINA_LON_RANGE[0], le=CHINA_LON_RANGE[1])]
"""In China; a Guangdong party is held to Guangdong's box too (solver.roster.parties)."""
Capacity = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=MAX_CAPACITY)]
Population = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=200_000_000)]
Teachers = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=MAX_PEOPLE)]
Schools = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=1_000_000)]
PeopleAYear = Annotated[Teachers | None, BeforeValidator(_empty_is_none)]
"""People a year, or empty for "estimate it" (see the deployment capacities of R07 and R09)."""
OptionalCapacity = Annotated[Capacity | None, BeforeValidator(_empty_is_none)]
"""A capacity, or empty for "follow from strength" (solver.pairing.strength, rule R24)."""
Tier = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=3)]
TieStrength = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=3)]
Year = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1949, le=2035)]
RoundYear = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=2021, le=2035)]
OptionalRoundYear = Annotated[RoundYear | None, BeforeValidator(_empty_is_none)]
Amount = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=10_000)]
Yuan1e8 = Annotated[float, BeforeValidator(_not_a_boolean), Field(ge=0, le=1_000_000)]
OptionalYuan1e8 = Annotated[Yuan1e8 | None, BeforeValidator(_empty_is_none)]
"""Hundred-million yuan (亿元), as statistics bulletins give them, or empty when not known."""
OptionalId = Annotated[str, Field(max_length=32)]
Text = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_plain_text)]
Note = Annotated[str, Field(max_length=2000), AfterValidator(_plain_text)]
YuanAmount = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=100_000_000_000)]
"""Whole yuan (元), up to 1,000 亿元: far above any budget of the programme."""
Participants = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=10_000)]
