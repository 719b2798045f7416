"""R21 (soft): measures of how strong the support of priority receivers is."""

from __future__ import annotations

from collections.abc import Sequence

from solver.check.common import distinct, of_kind, well_typed
from solver.check.parties import (
    any_school,
    receiver_area,
    receiving_school,
    supporter_area,
    university,
)
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.fields import UniversityKind
from solver.roster.models import Roster

# --- R21 (soft) -----------------------------------------------------------------------------

PRIORITY_MEASURES: dict[str, str] = {
    "county_pairs_priority": "county pairs whose receiving county is 原中央苏区, 革命老区 or 民族地区",
    "county_pairs_other": "county pairs whose receiving county is none of these",
    "supporter_teachers_priority_mean": "mean full-time teachers of the supporting unit, over county pairs of priority counties",
    "supporter_teachers_other_mean": "the same over county pairs of the other counties",
    "university_pairs_priority": "university_area pairs whose receiver is a priority county (city receivers left out)",
    "university_pairs_other": "university_area pairs whose receiver is another county",
    "university_tier_priority_mean": "mean tier (1 strongest … 3) of the universities of priority counties",
    "university_tier_other_mean": "the same for the other counties",
    "priority_schools": "priority schools (乡镇/村 schools and 县域普通高中) of receiving counties",
    "priority_schools_paired_share": "share of those schools with a school_school pair (0 … 1)",
    "school_supporter_teachers_priority_mean": "mean full-time teachers of the supporting school of priority schools",
    "school_supporter_teachers_other_mean": "the same for the other receiving schools",
}
"""R21 measures of `priority_measures`, by key; a mean over no pairs is 0.0 (see its count)."""


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def priority_measures(roster: Roster, pairs: Sequence[Pair]) -> dict[str, float]:
    """R21 (soft): how strong the support of priority receivers is, against the others.

    '以粤东粤西粤北地区特别是原中央苏区、革命老区、民族地区的乡镇中小学校、县域普通高中为重点帮扶对象'
    (annex 2, clause 1; main plan 1 and 12). Keys and meanings: `PRIORITY_MEASURES`. Only
    well-formed, distinct pairs count.
    """
    county = well_typed(roster, distinct(of_kind(pairs, Kind.COUNTY_COUNTY)), supporter_area, receiver_area)
    teachers: dict[bool, list[float]] = {True: [], False: []}
    for pair in county:
        teachers[roster.areas[pair.receiver_id].is_priority].append(roster.areas[pair.supporter_id].teachers)

    universities = well_typed(
        roster, distinct(of_kind(pairs, Kind.UNIVERSITY_AREA)), university(UniversityKind.NON_NORMAL), receiver_area
    )
    tiers: dict[bool, list[float]] = {True: [], False: []}
    for pair in universities:
        tiers[roster.areas[pair.receiver_id].is_priority].append(roster.universities[pair.supporter_id].tier)

    schools = well_typed(roster, distinct(of_kind(pairs, Kind.SCHOOL_SCHOOL)), any_school, receiving_school)
    school_teachers: dict[bool, list[float]] = {True: [], False: []}
    for pair in schools:
        school_teachers[roster.schools[pair.receiver_id].priority].append(roster.schools[pair.supporter_id].teachers)
    priority_schools = {
        s.school_id for s in roster.schools.values() if s.priority and receiving_school(roster, s.school_id) is None
    }
    paired = priority_schools & {p.receiver_id for p in schools}

    return {
        "county_pairs_priority": float(len(teachers[True])),
        "county_pairs_other": float(len(teachers[False])),
        "supporter_teachers_priority_mean": _mean(teachers[True]),
        "supporter_teachers_other_mean": _mean(teachers[False]),
        "university_pairs_priority": float(len(tiers[True])),
        "university_pairs_other": float(len(tiers[False])),
        "university_tier_priority_mean": _mean(tiers[True]),
        "university_tier_other_mean": _mean(tiers[False]),
        "priority_schools": float(len(priority_schools)),
        "priority_schools_paired_share": len(paired) / len(priority_schools) if priority_schools else 0.0,
        "school_supporter_teachers_priority_mean": _mean(school_teachers[True]),
        "school_supporter_teachers_other_mean": _mean(school_teachers[False]),
    }
