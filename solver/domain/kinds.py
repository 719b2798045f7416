"""The seven kinds of pairing (七种全口径结对关系), with their names in Chinese and English.

'完善市与市、县与县、师范类院校与市、非师范类院校与市县、教研机构与教研机构、中小学校与中小学校、
粤东粤西粤北地区城乡之间相互结对的7种全口径结对关系' (main plan); the Chinese names are the policy's own.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CITY_CITY = "city_city"
    COUNTY_COUNTY = "county_county"
    NORMAL_UNIVERSITY_CITY = "normal_university_city"
    UNIVERSITY_AREA = "university_area"
    INSTITUTE_INSTITUTE = "institute_institute"
    SCHOOL_SCHOOL = "school_school"
    INTRA_REGION = "intra_region"

    @property
    def chinese(self) -> str:
        return KIND_NAMES[self][1]

    @property
    def english(self) -> str:
        return KIND_NAMES[self][0]

    def label(self, count: int = 1) -> str:
        """'county pair (县与县)', or 'county pairs (县与县)' for a count other than one."""
        return f"{self.english}{'' if count == 1 else 's'} ({self.chinese})"


KIND_NAMES: dict[Kind, tuple[str, str]] = {
    Kind.CITY_CITY: ("city pair", "市与市"),
    Kind.COUNTY_COUNTY: ("county pair", "县与县"),
    Kind.NORMAL_UNIVERSITY_CITY: ("normal-university pair", "师范类院校与市"),
    Kind.UNIVERSITY_AREA: ("university pair", "非师范类院校与市县"),
    Kind.INSTITUTE_INSTITUTE: ("institute pair", "教研机构与教研机构"),
    Kind.SCHOOL_SCHOOL: ("school pair", "中小学校与中小学校"),
    Kind.INTRA_REGION: ("intra-region pair", "粤东粤西粤北地区城乡之间"),
}
