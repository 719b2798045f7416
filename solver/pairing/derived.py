"""Pairs that follow from the county pairs: institutes (R05), schools (R05) and the urban schools of
each receiving county with its 乡镇 and 村 schools (R06).

Institute pairs follow their county or city pair. School pairs are chosen inside a fixed pair of
areas by solver.pairing.schools, which weighs the stage match and R26's limit of partners; each
school pair carries its own score terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from operator import attrgetter

from solver.domain.ids import city_id_of, institute_id
from solver.domain.pairs import Edge
from solver.pairing.schools import SchoolPair, assign_schools, schools_by_area
from solver.roster.fields import Location
from solver.roster.models import Roster
from solver.roster.parties import School
from solver.rules.params import Weights

SCHOOL_FIELDS = attrgetter(*School.model_fields)  # a school's every field: what its pairs can depend on
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


SchoolGroup = tuple[Hashable, Callable[[], list[SchoolPair]]]
"""The school pairs of one county pair (or one county's own, R06) with a key holding all they depend
on: the two areas' seats and schools, the room, the weights and the pins on those schools. The
builder makes their rows once per key (solver.pairing.builder), so a warm re-plan remakes only the
groups a change reaches."""


def school_pairs(
    roster: Roster,
    rooms: Mapping[Edge, int],
    weights: Weights,
    fixed: Mapping[str, str],
    forbidden: set[Edge],
) -> list[SchoolGroup]:
    """Every school of a receiving county gets a school of its county partner (R05), each county pair
    within its room of the unit's schools (`rooms`: (unit, county) -> room, by `slot_rooms`)."""
    areas = _Areas(roster, weights, fixed, forbidden)
    groups: list[SchoolGroup] = []
    for (unit, county), room in sorted(rooms.items()):

        def make(unit: str = unit, county: str = county, room: int = room) -> list[SchoolPair]:
            return assign_schools(areas.schools(county), areas.schools(unit), {}, room, *areas.context)

        groups.append(((unit, county, room, areas.key(unit), areas.key(county, receiving=True)), make))
    return groups


def intra_school_pairs(
    roster: Roster, weights: Weights, limit: int, fixed: Mapping[str, str], forbidden: set[Edge]
) -> list[SchoolGroup]:
    """Inside each receiving county, every 乡镇 and 村 school gets an urban school (R06)."""
    areas = _Areas(roster, weights, fixed, forbidden)
    groups: list[SchoolGroup] = []
    earlier: Counter[str] = Counter()  # partners that pins of counties before this one gave its schools
    for area in roster.receivers():
        schools = areas.schools(area.area_id)
        urban = [s for s in schools if s.location == Location.URBAN]
        others = [s for s in schools if s.location in RECEIVING_LOCATIONS]
        if urban and others:
            load = {s.school_id: earlier[s.school_id] for s in urban if earlier[s.school_id]}

            def make(
                urban: list[School] = urban, others: list[School] = others, load: dict[str, int] = load
            ) -> list[SchoolPair]:
                return assign_schools(others, urban, dict(load), limit, *areas.context)

            key = (area.area_id, limit, tuple(sorted(load.items())), areas.key(area.area_id, receiving=True))
            groups.append((key, make))
            earlier.update(fixed[s.school_id] for s in others if s.school_id in fixed)
    return groups


class _Areas:
    """The schools of each area, and a key for everything the school pairs of an area depend on."""

    def __init__(self, roster: Roster, weights: Weights, fixed: Mapping[str, str], forbidden: set[Edge]):
        self.roster = roster
        self.by_area = schools_by_area(roster.schools.values())
        stage_of = {s.school_id: s.stage for s in roster.schools.values()}
        self.context = (weights, fixed, forbidden, stage_of)
        self.weights = (weights.stage_mismatch, weights.family_mismatch, weights.school_load)
        self.keys: dict[tuple[str, bool], Hashable] = {}
        self.forbidden_of: dict[str, list[Edge]] = {}
        for s, r in sorted(forbidden):
            self.forbidden_of.setdefault(r, []).append((s, r))

    def schools(self, area_id: str) -> list[School]:
        return self.by_area.get(area_id, [])

    def key(self, area_id: str, receiving: bool = False) -> Hashable:
        found = self.keys.get((area_id, receiving))
        if found is None:
            area = self.roster.areas.get(area_id)
            schools = self.schools(area_id)
            fixed = self.context[1]
            pins: tuple[object, ...] = ()
            if receiving and (fixed or self.forbidden_of):
                # A pinned partner may be a school of another area: its own fields and seat count too.
                pins = tuple(
                    (s.school_id, self._partner(fixed.get(s.school_id)), tuple(self.forbidden_of.get(s.school_id, ())))
                    for s in schools
                )
            seat = None if area is None else (area.lat, area.lon)
            found = (seat, self.weights, tuple(map(SCHOOL_FIELDS, schools)), pins)
            self.keys[(area_id, receiving)] = found
        return found

    def _partner(self, school_id: str | None) -> Hashable:
        school = None if school_id is None else self.roster.schools.get(school_id)
        if school is None:
            return school_id
        area = self.roster.areas.get(school.area_id)
        return (SCHOOL_FIELDS(school), None if area is None else (area.lat, area.lon))
