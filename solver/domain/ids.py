"""Ids and labels of the parties, one definition each (DESIGN: area ids are GB/T 2260 codes).

The first four digits of a city's or an area's id name its city (`441403` 梅县区 → `441400`
梅州市; the 镇街 of 东莞 and 中山 have 9-digit ids that start the same way). Institutes are
`jy` + the code of their area. Every message that names a party names it the same way:
Chinese name, then the id in full-width brackets, `梅县区（441403）`.
"""

from __future__ import annotations

PROVINCE_ID = "440000"
PROVINCE_NAME = "广东省"
INSTITUTE_PREFIX = "jy"


def city_id_of(area_id: str) -> str:
    """The city of a city, area or institute id (`441403` → `441400`, `jy441403` → `441400`)."""
    code = area_id.removeprefix(INSTITUTE_PREFIX)
    return code[:4] + "00"


def institute_id(area_id: str) -> str:
    """The research institute of an area or city (`441403` → `jy441403`)."""
    return INSTITUTE_PREFIX + area_id


def area_of_institute(institute: str) -> str:
    return institute.removeprefix(INSTITUTE_PREFIX)


def label(name: str | None, party_id: str) -> str:
    """`梅县区（441403）`, or the bare id when the name is unknown."""
    return f"{name}（{party_id}）" if name else party_id
