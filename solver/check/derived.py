"""R05 and R06: institute and school pairs inside the county pairs, and intra-region pairs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from solver.check.common import (
    Reason,
    Violation,
    count_per_receiver,
    distinct,
    duplicates,
    label,
    of_kind,
    party_problems,
    supporters_by_receiver,
    valid_receiver,
    violation,
    well_typed,
)
from solver.check.parties import (
    any_institute,
    any_school,
    city_partners,
    county_partners,
    receiver_area,
    receiving_institute,
    receiving_institutes,
    receiving_school,
)
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.fields import COUNTY_TYPES, AreaType, Location, Zone
from solver.roster.models import Roster

# --- R05 ------------------------------------------------------------------------------------

R05_CLAUSE = "annex 2, clauses 1 and 3; main plan 12"


def expected_institute_supporter(
    roster: Roster, institute_id: str, city_partner: Mapping[str, str], county_partner: Mapping[str, str]
) -> str | None:
    """The institute that must support a receiving institute, or None while its partner is unknown.

    A county's follows its county pair (a 东莞/中山 镇街 has no institute: its city's stands in);
    a city's follows its city pair.
    """
    unit = institute_id.removeprefix("jy")
    if unit in roster.cities:
        partner = city_partner.get(unit)
        return None if partner is None else f"jy{partner}"
    partner = county_partner.get(unit)
    if partner is None:
        return None
    own = f"jy{partner}"
    return own if own in roster.institutes else f"jy{partner[:4]}00"


def check_r05_institute_and_school_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R05, institute_institute and school_school pairs, inside the city and county pairs.

    '1.……以粤东粤西粤北地区（含惠州市、江门市、肇庆市的欠发达县，下同）的乡镇中小学校（含幼儿园，下同）
    为重点帮扶对象，统筹兼顾县城中小学校；具体结对学校由市、县教育行政部门确定。' and clause 3 (see R04).

    Every receiving institute has exactly one institute pair, with the institute of its county's
    (or city's) partner; no other institute pairs. Every school of a receiving county has exactly
    one school pair, with a school of that county's partner; no other school pairs.
    """
    return _institute_pairs(roster, pairs) + _school_pairs(roster, pairs)


def _institute_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    rule, kind = "R05", Kind.INSTITUTE_INSTITUTE
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R05_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, any_institute, receiving_institute, R05_CLAUSE)
    supporters_of = supporters_by_receiver(valid_receiver(roster, distinct(mine), receiving_institute))
    found += count_per_receiver(rule, roster, receiving_institutes(roster), supporters_of, kind, R05_CLAUSE)
    city_partner, county_partner = city_partners(roster, pairs), county_partners(roster, pairs)
    for receiver, supporters in sorted(supporters_of.items()):
        expected = expected_institute_supporter(roster, receiver, city_partner, county_partner)
        # skipped: partner unknown (R01/R04 say why), or several or unknown supporters (reported above)
        if expected is None or len(supporters) != 1 or supporters[0] not in roster.institutes:
            continue
        if supporters[0] == expected:
            continue
        unit = receiver.removeprefix("jy")
        partner = city_partner[unit] if unit in roster.cities else county_partner[unit]
        found.append(
            violation(
                rule,
                f"{label(roster, receiver)} is supported by {label(roster, supporters[0])}, but its unit is paired with "
                f"{label(roster, partner)}, so its supporter must be {label(roster, expected)} ({R05_CLAUSE}).",
                receiver,
                supporters[0],
                expected,
            )
        )
    return found


def _school_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    rule, kind = "R05", Kind.SCHOOL_SCHOOL
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R05_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, any_school, receiving_school, R05_CLAUSE)
    supporters_of = supporters_by_receiver(valid_receiver(roster, distinct(mine), receiving_school))
    receiving = [s.school_id for s in roster.schools.values() if receiving_school(roster, s.school_id) is None]
    found += count_per_receiver(rule, roster, receiving, supporters_of, kind, R05_CLAUSE)
    county_partner = county_partners(roster, pairs)
    for pair in well_typed(roster, distinct(mine), any_school, receiving_school):
        area = roster.schools[pair.receiver_id].area_id
        partner = county_partner.get(area)
        supporter_area = roster.schools[pair.supporter_id].area_id
        if partner is not None and supporter_area != partner:
            found.append(
                violation(
                    rule,
                    f"The school pair {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} is not inside "
                    f"the county pair: the receiving school's county {label(roster, area)} is paired with "
                    f"{label(roster, partner)}, but the supporting school is in {label(roster, supporter_area)} "
                    f"({R05_CLAUSE}).",
                    pair.supporter_id,
                    pair.receiver_id,
                    partner,
                )
            )
    return found


# --- R06 ------------------------------------------------------------------------------------

R06_CLAUSE = "annex 2, clause 12"


def intra_county_receivers(roster: Roster) -> set[str]:
    """Receiving counties that need an urban district partner in their own city.

    Those of a non-PRD receiving city that has at least one receiving district.
    """
    receivers = roster.receivers()
    with_district = {a.city_id for a in receivers if a.type == AreaType.DISTRICT}
    return {
        a.area_id
        for a in receivers
        if a.type in COUNTY_TYPES
        and a.city_id in with_district
        and roster.cities[a.city_id].receives
        and roster.cities[a.city_id].zone != Zone.PRD
    }


def intra_school_receivers(roster: Roster) -> set[str]:
    """乡镇 and 村 schools of receiving counties that have at least one urban school ('县域内城乡学校')."""
    urban_areas = {s.area_id for s in roster.schools.values() if s.location == Location.URBAN}
    return {
        s.school_id
        for s in roster.schools.values()
        if s.location != Location.URBAN and s.area_id in urban_areas and receiving_school(roster, s.school_id) is None
    }


def _district(roster: Roster, party_id: str) -> str | None:
    why = receiver_area(roster, party_id)
    if why is not None:
        return why
    if roster.areas[party_id].type != AreaType.DISTRICT:
        return "is not a district (区), the urban side of a city's intra-region pairs"
    return None


def _intra_county(roster: Roster, party_id: str) -> str | None:
    why = receiver_area(roster, party_id)
    if why is not None:
        return why
    area = roster.areas[party_id]
    if area.type not in COUNTY_TYPES:
        return f"is a {area.type.value}, not a county (县、县级市、自治县)"
    if roster.cities[area.city_id].zone == Zone.PRD:
        return "is in a PRD city, outside 粤东粤西粤北"
    return None


def _urban_school(roster: Roster, party_id: str) -> str | None:
    school = roster.schools.get(party_id)
    if school is None:
        return "is not a school of the roster"
    if school.location != Location.URBAN:
        return f"is a {school.location.value} school, not an urban (城区/县城) one"
    return None


def _rural_school(roster: Roster, party_id: str) -> str | None:
    why = receiving_school(roster, party_id)
    if why is not None:
        return why
    school = roster.schools[party_id]
    if school.location == Location.URBAN:
        return "is an urban school, not a 乡镇 or 村 one"
    return None


def check_r06_intra_region_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R06, intra_region pairs, at county level and at school level.

    '12.市、县区域内结对。粤东粤西粤北地区各市、县自行建立市域内县之间、县域内城乡学校之间的结对帮扶关系。'

    County level: in a non-PRD receiving city with a receiving district, every receiving county
    has exactly one pair with a receiving district of the same city. School level: in a receiving
    county with an urban school, every 乡镇 and 村 school has exactly one pair with an urban school
    of the same county. Pairs never cross cities (counties for schools).
    """
    rule, kind = "R06", Kind.INTRA_REGION
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R06_CLAUSE)
    county_pairs = [p for p in distinct(mine) if p.receiver_id in roster.areas]
    school_pairs = [p for p in distinct(mine) if p.receiver_id in roster.schools]
    for pair in distinct(mine):
        if pair.receiver_id not in roster.areas and pair.receiver_id not in roster.schools:
            found.append(
                violation(
                    rule,
                    f"In the {kind.label()} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)}, "
                    f"the receiver is neither a county-level unit nor a school of the roster ({R06_CLAUSE}).",
                    pair.supporter_id,
                    pair.receiver_id,
                )
            )
    found += _intra_level(
        roster,
        county_pairs,
        _district,
        _intra_county,
        intra_county_receivers(roster),
        lambda pid: roster.areas[pid].city_id,
        "city",
    )
    found += _intra_level(
        roster,
        school_pairs,
        _urban_school,
        _rural_school,
        intra_school_receivers(roster),
        lambda pid: roster.schools[pid].area_id,
        "county",
    )
    return found


def _intra_level(
    roster: Roster,
    pairs: Sequence[Pair],
    supporter: Reason,
    receiver: Reason,
    required: set[str],
    home: Callable[[str], str],
    home_word: str,
) -> list[Violation]:
    rule, kind = "R06", Kind.INTRA_REGION
    found = []
    for pair in pairs:
        found += party_problems(rule, roster, pair, supporter, receiver, R06_CLAUSE)
    good = well_typed(roster, pairs, supporter, receiver)
    for pair in good:
        here, there = home(pair.receiver_id), home(pair.supporter_id)
        if here != there:
            found.append(
                violation(
                    rule,
                    f"The {kind.label()} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} crosses "
                    f"{home_word} lines ({label(roster, there)} → {label(roster, here)}); it must stay within one "
                    f"{home_word} ({R06_CLAUSE}).",
                    pair.supporter_id,
                    pair.receiver_id,
                )
            )
    counted = valid_receiver(roster, pairs, receiver)
    found += count_per_receiver(rule, roster, required, supporters_by_receiver(counted), kind, R06_CLAUSE)
    extra = supporters_by_receiver(p for p in counted if p.receiver_id not in required)
    found += count_per_receiver(rule, roster, (r for r, s in extra.items() if len(s) > 1), extra, kind, R06_CLAUSE)
    return found
