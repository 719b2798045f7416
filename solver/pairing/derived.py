"""Pairs that follow from the county pairs: institutes (R05), schools (R05) and urban–rural
schools inside each receiving county (R06).

These are chosen inside a fixed pair of areas, so each is a small balanced assignment:
receiving schools in order (priority receivers first, then by stage and id) take the
least-loaded supporting school of the same stage family, the strongest first on ties. That
greedy order is exact for its goal (the most even load per supporting school within each
family) and keeps every choice explainable and deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

from solver.roster.models import Location, Roster, School, Stage

Edge = tuple[str, str]

STAGE_FAMILY: dict[Stage, str] = {
    Stage.KINDERGARTEN: "kindergarten",
    Stage.PRIMARY: "primary",
    Stage.NINE_YEAR: "primary",
    Stage.JUNIOR: "secondary",
    Stage.SENIOR: "secondary",
    Stage.COMPLETE_SECONDARY: "secondary",
    Stage.SPECIAL: "special",
}
STAGE_MISMATCH = 50  # points when a receiving school gets a supporter of another stage family


def institute_pairs(roster: Roster, city_pairs: Iterable[Edge], unit_pairs: Iterable[Edge]) -> list[Edge]:
    """Receiving institutes pair with the institute of their city's or county's partner (R05)."""
    pairs = []
    for supporter_city, receiving_city in city_pairs:
        receiver, supporter = f"jy{receiving_city}", f"jy{supporter_city}"
        if receiver in roster.institutes and supporter in roster.institutes:
            pairs.append((supporter, receiver))
    for unit, county in unit_pairs:
        receiver = f"jy{county}"
        if receiver not in roster.institutes:
            continue
        supporter = supporter_institute(roster, unit)
        if supporter is not None:
            pairs.append((supporter, receiver))
    return sorted(pairs)


def supporter_institute(roster: Roster, unit: str) -> str | None:
    """The unit's own institute, or its city's for a 东莞/中山 镇街 (which have none)."""
    for candidate in (f"jy{unit}", f"jy{unit[:4]}00"):
        if candidate in roster.institutes:
            return candidate
    return None


def _receiving_order(school: School) -> tuple:
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


def balanced_assignment(receiving: Sequence[School], supporting: Sequence[School],
                        load: dict[str, int] | None = None,
                        fixed: dict[str, str] | None = None,
                        forbidden: set[Edge] | None = None) -> list[tuple[str, str, int]]:
    """(supporter, receiver, stage-mismatch points) for every receiving school that can be served."""
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
        if school.school_id in fixed:
            supporter_id = fixed[school.school_id]
            load[supporter_id] = load.get(supporter_id, 0) + 1
            result.append((supporter_id, school.school_id, 0))
            continue
        family = STAGE_FAMILY[school.stage]
        queue = queues.get(family)
        chosen = queue.pick(school.school_id, forbidden) if queue else None
        if chosen is None:
            chosen = anyone.pick(school.school_id, forbidden)
        if chosen is None:
            continue
        result.append((chosen, school.school_id, 0 if family_of[chosen] == family else STAGE_MISMATCH))
    return result


def schools_by_area(roster: Roster) -> dict[str, list[School]]:
    found: dict[str, list[School]] = {}
    for school in roster.schools.values():
        found.setdefault(school.area_id, []).append(school)
    return found


def school_pairs(roster: Roster, unit_pairs: Iterable[Edge], fixed: dict[str, str],
                 forbidden: set[Edge]) -> list[tuple[str, str, int]]:
    """Every school of a receiving county gets a school of its county partner (R05)."""
    by_area = schools_by_area(roster)
    load: dict[str, int] = {}
    pairs = []
    for unit, county in sorted(unit_pairs):
        pairs.extend(balanced_assignment(by_area.get(county, []), by_area.get(unit, []), load, fixed, forbidden))
    return pairs


def intra_school_pairs(roster: Roster, fixed: dict[str, str], forbidden: set[Edge]) -> list[tuple[str, str, int]]:
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

