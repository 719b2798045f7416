"""Pairs that follow from the county pairs: institutes (R05), schools (R05) and urban–rural
schools inside each receiving county (R06).

These are chosen inside a fixed pair of areas, so each is a small balanced assignment:
receiving schools in order (priority receivers first, then by stage and id) take the
least-loaded supporting school of the same stage family, the strongest first on ties, and a
school of another family only when the supporter has none of theirs (allowed by the pins).
That order is exact for the objective's term `stage_mismatch`: a receiving school is
mismatched exactly when its county partner has no allowed school of its family, which
`SchoolCosts` counts before the county pairs are chosen, so the nested model (solver.pairing.
nested) weighs what each county pair will cost in school pairs. Within that optimum the load
per supporting school is as even as the order makes it, and every choice is deterministic.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from solver.domain.ids import city_id_of, institute_id
from solver.domain.pairs import Edge
from solver.roster.fields import STAGE_FAMILY, Location, Stage
from solver.roster.models import Roster, School


@dataclass(frozen=True)
class SchoolPair:
    supporter_id: str
    receiver_id: str
    mismatch: bool  # the two schools are of different stage families


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


def schools_by_area(roster: Roster) -> dict[str, list[School]]:
    found: dict[str, list[School]] = {}
    for school in roster.schools.values():
        found.setdefault(school.area_id, []).append(school)
    return found


class SchoolCosts:
    """How many school pairs of a county pair will cross stage families, before any is chosen.

    A receiving school is mismatched exactly when no allowed school of its family stands in the
    supporter unit (the assignment below takes one whenever there is one); a fixed school pin
    counts as what it fixes. None: the county pair cannot serve every school of the county.
    """

    def __init__(self, roster: Roster, fixed: dict[str, str], forbidden: set[Edge]):
        self.by_area = schools_by_area(roster)
        self.roster, self.fixed, self.forbidden = roster, fixed, forbidden
        self.families = {a: {STAGE_FAMILY[s.stage] for s in schools} for a, schools in self.by_area.items()}
        self.needs: dict[str, Counter[str]] = {}
        pinned = set(fixed) | {r for _, r in forbidden}
        self.pinned: dict[str, list[School]] = {}
        for area, schools in self.by_area.items():
            self.needs[area] = Counter(STAGE_FAMILY[s.stage] for s in schools if s.school_id not in pinned)
            self.pinned[area] = [s for s in schools if s.school_id in pinned]

    def mismatches(self, unit: str, county: str) -> int | None:
        receiving = self.by_area.get(county, [])
        if not receiving:
            return 0
        offered = self.families.get(unit, set())
        if not offered:
            return None
        count = sum(n for family, n in self.needs[county].items() if family not in offered)
        for school in self.pinned[county]:
            found = self._pinned(unit, school)
            if found is None:
                return None
            count += found
        return count

    def _pinned(self, unit: str, school: School) -> int | None:
        family = STAGE_FAMILY[school.stage]
        supporter = self.fixed.get(school.school_id)
        if supporter is not None:
            row = self.roster.schools.get(supporter)
            if row is None or row.area_id != unit:
                return None
            return int(STAGE_FAMILY[row.stage] != family)
        allowed = [s for s in self.by_area.get(unit, []) if (s.school_id, school.school_id) not in self.forbidden]
        if not allowed:
            return None
        return int(all(STAGE_FAMILY[s.stage] != family for s in allowed))


def _receiving_order(school: School) -> tuple[bool, int, str]:
    return (not school.priority, list(Stage).index(school.stage), school.school_id)


class _LeastLoaded:
    """Supporting schools by (load, strongest first, id), with lazy updates of stale loads."""

    def __init__(self, schools: Sequence[School], load: dict[str, int]):
        self.load = load
        self.heap = [(load.get(s.school_id, 0), -s.teachers, s.school_id) for s in schools]
        heapq.heapify(self.heap)

    def pick(self, receiver: str, forbidden: set[Edge]) -> str | None:
        skipped = []
        chosen = None
        while self.heap:
            load, strength, school_id = heapq.heappop(self.heap)
            current = self.load.get(school_id, 0)
            if load != current:
                heapq.heappush(self.heap, (current, strength, school_id))
            elif (school_id, receiver) in forbidden:
                skipped.append((load, strength, school_id))
            else:
                chosen = school_id
                self.load[school_id] = current + 1
                heapq.heappush(self.heap, (current + 1, strength, school_id))
                break
        for entry in skipped:
            heapq.heappush(self.heap, entry)
        return chosen


def balanced_assignment(
    receiving: Sequence[School],
    supporting: Sequence[School],
    load: dict[str, int] | None = None,
    fixed: dict[str, str] | None = None,
    forbidden: set[Edge] | None = None,
) -> list[SchoolPair]:
    """A supporter for every receiving school that can be served, same stage family first."""
    load = {} if load is None else load
    fixed = fixed or {}
    forbidden = forbidden or set()
    family_of = {s.school_id: STAGE_FAMILY[s.stage] for s in supporting}
    by_family: dict[str, list[School]] = {}
    for school in supporting:
        by_family.setdefault(STAGE_FAMILY[school.stage], []).append(school)
    queues = {family: _LeastLoaded(schools, load) for family, schools in by_family.items()}
    anyone = _LeastLoaded(supporting, load)
    result = []
    for school in sorted(receiving, key=_receiving_order):
        family = STAGE_FAMILY[school.stage]
        chosen = fixed.get(school.school_id)
        if chosen is not None:
            load[chosen] = load.get(chosen, 0) + 1
        else:
            queue = queues.get(family)
            chosen = queue.pick(school.school_id, forbidden) if queue else None
            if chosen is None:
                chosen = anyone.pick(school.school_id, forbidden)
            if chosen is None:
                continue
        result.append(SchoolPair(chosen, school.school_id, family_of.get(chosen, family) != family))
    return result


def school_pairs(
    roster: Roster, unit_pairs: Iterable[Edge], fixed: dict[str, str], forbidden: set[Edge]
) -> list[SchoolPair]:
    """Every school of a receiving county gets a school of its county partner (R05)."""
    by_area = schools_by_area(roster)
    load: dict[str, int] = {}
    pairs = []
    for unit, county in sorted(unit_pairs):
        pairs.extend(balanced_assignment(by_area.get(county, []), by_area.get(unit, []), load, fixed, forbidden))
    return pairs


def intra_school_pairs(roster: Roster, fixed: dict[str, str], forbidden: set[Edge]) -> list[SchoolPair]:
    """Inside each receiving county, every rural school gets an urban school (R06)."""
    by_area = schools_by_area(roster)
    pairs = []
    for area in roster.receivers():
        schools = by_area.get(area.area_id, [])
        urban = [s for s in schools if s.location == Location.URBAN]
        rural = [s for s in schools if s.location == Location.RURAL]
        if urban and rural:
            pairs.extend(balanced_assignment(rural, urban, None, fixed, forbidden))
    return pairs
