"""Pairs that follow from the county pairs: institutes (R05), schools (R05) and the urban schools of
each receiving county with its 乡镇 and 村 schools (R06).

Institute pairs follow their county or city pair. School pairs are chosen inside a fixed pair of
areas by solver.pairing.schools, which weighs the stage match and R26's limit of partners; each
school pair carries its own score terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from solver.domain.ids import city_id_of, institute_id
from solver.domain.pairs import Edge
from solver.pairing.schools import SchoolPair, assign_schools, schools_by_area
from solver.roster.fields import Location
from solver.roster.models import Roster
from solver.rules.params import Weights

RECEIVING_LOCATIONS = frozenset({Location.TOWNSHIP, Location.RURAL})
"""R06's '县域内城乡学校之间': the 乡镇 and 村 schools of a receiving county take its urban schools as partners."""


def institute_pairs(roster: Roster, city_pairs: Iterable[Edge], unit_pairs: Iterable[Edge]) -> list[Edge]:
    """Receiving institutes pair with the institute of their city's or county's partner (R05)."""
    pairs = []
    for supporter_city, receiving_city in city_pairs:
        receiver, supporter = institute_id(receiving_city), institute_id(supporter_city)
        if receiver in roster.institutes and supporter in roster.institutes:
            pairs.append((supporter, receiver))
    for unit, county in unit_pairs:
        receiver = institute_id(county)
        if receiver not in roster.institutes:
            continue
        found = supporter_institute(roster, unit)
        if found is not None:
            pairs.append((found, receiver))
    return sorted(pairs)


def supporter_institute(roster: Roster, unit: str) -> str | None:
    """The unit's own institute, or its city's for a 东莞/中山 镇街 (which have none)."""
    for candidate in (institute_id(unit), institute_id(city_id_of(unit))):
        if candidate in roster.institutes:
            return candidate
    return None


def slot_rooms(limit: int, capacity: int) -> tuple[int, ...]:
    """Each school's room in the k-th county its unit takes: R26's limit shared out over the counties
    the unit may take, largest share first, and none left where the limit runs out. The shares add
    up to the limit, so a school that carries more partners than the limit always pays for it."""
    share, rest = divmod(limit, max(1, capacity))
    return tuple(share + (k < rest) for k in range(capacity))


def school_pairs(
    roster: Roster,
    rooms: Mapping[Edge, int],
    weights: Weights,
    fixed: Mapping[str, str],
    forbidden: set[Edge],
) -> list[SchoolPair]:
    """Every school of a receiving county gets a school of its county partner (R05), each county pair
    within its room of the unit's schools (`rooms`: (unit, county) -> room, by `slot_rooms`)."""
    by_area = schools_by_area(roster.schools.values())
    stage_of = {s.school_id: s.stage for s in roster.schools.values()}
    pairs = []
    for (unit, county), room in sorted(rooms.items()):
        pairs += assign_schools(
            by_area.get(county, []), by_area.get(unit, []), {}, room, weights, fixed, forbidden, stage_of
        )
    return pairs


def intra_school_pairs(
    roster: Roster, weights: Weights, limit: int, fixed: Mapping[str, str], forbidden: set[Edge]
) -> list[SchoolPair]:
    """Inside each receiving county, every 乡镇 and 村 school gets an urban school (R06)."""
    by_area = schools_by_area(roster.schools.values())
    stage_of = {s.school_id: s.stage for s in roster.schools.values()}
    load: dict[str, int] = {}
    pairs = []
    for area in roster.receivers():
        schools = by_area.get(area.area_id, [])
        urban = [s for s in schools if s.location == Location.URBAN]
        others = [s for s in schools if s.location in RECEIVING_LOCATIONS]
        if urban and others:
            pairs += assign_schools(others, urban, load, limit, weights, fixed, forbidden, stage_of)
    return pairs
