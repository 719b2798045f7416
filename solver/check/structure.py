"""R01–R04: county pairs, normal-university pairs, university pairs, city pairs and their nesting."""

from __future__ import annotations

from collections.abc import Sequence

from solver.check.common import (
    Violation,
    count_per_receiver,
    distinct,
    duplicates,
    label,
    labels,
    of_kind,
    party_problems,
    receivers_by_supporter,
    supporters_by_receiver,
    valid_receiver,
    violation,
    well_typed,
    within_capacity,
)
from solver.check.parties import (
    city_partners,
    receiver_area,
    receiving_city,
    receiving_city_or_area,
    supporter_area,
    supporting_city,
    university,
)
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.fields import UniversityKind, UniversityRole
from solver.roster.models import Roster

# --- R01 ------------------------------------------------------------------------------------

R01_CLAUSE = "annex 2, clause 7"


def check_r01_county_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R01, county_county pairs.

    '7.县与县结对。珠三角地区各县（含东莞市、中山市的镇街）与粤东粤西粤北84县（含肇庆4个县、江门3个县、
    惠州3个县）结对，建立84对县级结对帮扶关系。'

    The supporter is a supporting county-level unit (or 镇街), the receiver one of the receiving
    counties; every receiving county has exactly one; each supporter at most its `capacity`.
    """
    rule, kind = "R01", Kind.COUNTY_COUNTY
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R01_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, supporter_area, receiver_area, R01_CLAUSE)
    good = well_typed(roster, distinct(mine), supporter_area, receiver_area)
    found += count_per_receiver(
        rule,
        roster,
        (a.area_id for a in roster.receivers()),
        supporters_by_receiver(valid_receiver(roster, distinct(mine), receiver_area)),
        kind,
        R01_CLAUSE,
    )
    capacity = {a.area_id: a.capacity for a in roster.supporter_areas()}
    found += within_capacity(rule, roster, receivers_by_supporter(good), capacity, kind, R01_CLAUSE)
    return found


# --- R02 ------------------------------------------------------------------------------------

R02_CLAUSE = "annex 2, clause 8"


def check_r02_normal_university_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R02, normal_university_city pairs.

    '8.师范类院校与市结对。根据师范类院校与粤东粤西粤北15市现有合作基础，建立15对师范类院校与
    粤东粤西粤北地市的结对帮扶关系。'

    The supporter is a taking-part normal university, the receiver a receiving city; every
    receiving city has exactly one; each university at most its `capacity` cities.
    """
    rule, kind = "R02", Kind.NORMAL_UNIVERSITY_CITY
    supporter = university(UniversityKind.NORMAL)
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R02_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, supporter, receiving_city, R02_CLAUSE)
    good = well_typed(roster, distinct(mine), supporter, receiving_city)
    found += count_per_receiver(
        rule,
        roster,
        (c.city_id for c in roster.receiving_cities()),
        supporters_by_receiver(valid_receiver(roster, distinct(mine), receiving_city)),
        kind,
        R02_CLAUSE,
    )
    capacity = {u.university_id: u.capacity for u in roster.universities.values()}
    found += within_capacity(rule, roster, receivers_by_supporter(good), capacity, kind, R02_CLAUSE)
    return found


# --- R03 ------------------------------------------------------------------------------------

R03_CLAUSE = "annex 2, clause 9"


def check_r03_university_area_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R03, university_area pairs.

    '9.非师范类院校与市县结对。全省140所非师范类院校与粤东粤西粤北15市84县结对，建立140对
    非师范类院校与粤东粤西粤北市县的结对帮扶关系。'

    The supporter is a taking-part non-normal university, the receiver a receiving city or a
    receiving county; every such university has exactly one pair; every receiving city and
    every receiving county has at least one.
    """
    rule, kind = "R03", Kind.UNIVERSITY_AREA
    supporter = university(UniversityKind.NON_NORMAL)
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R03_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, supporter, receiving_city_or_area, R03_CLAUSE)
    receivers_of = receivers_by_supporter(p for p in distinct(mine) if supporter(roster, p.supporter_id) is None)
    universities = sorted(
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER
    )
    for uni in universities:
        receivers = receivers_of.get(uni, [])
        if len(receivers) != 1:
            got = f"{len(receivers)} ({labels(roster, receivers)})" if receivers else "none"
            found.append(
                violation(
                    rule,
                    f"{label(roster, uni)} needs exactly one {kind.label()}, but has {got} ({R03_CLAUSE}).",
                    uni,
                    *receivers,
                )
            )
    required = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    covered = supporters_by_receiver(valid_receiver(roster, distinct(mine), receiving_city_or_area))
    found += count_per_receiver(rule, roster, required, covered, kind, R03_CLAUSE, exactly=False)
    return found


# --- R04 ------------------------------------------------------------------------------------

R04_CLAUSE = "annex 2, clause 3; main plan 12"


def check_r04_city_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R04, city_city pairs and the nesting of county pairs in them.

    '3.全口径结对帮扶。珠三角地区与粤东粤西粤北地区的市、县、教研机构（教师发展机构）、中小学校之间
    以及高等学校与粤东粤西粤北地区市、县之间全面对接，实现全省基础教育系统全口径结对。'

    The supporter is a supporting city (never the receiver itself), the receiver a receiving
    city; every receiving city has exactly one; each supporting city at most its `capacity`.
    Nesting: for every county pair (s, r), the city supporter of r's city is s's city.
    """
    rule, kind = "R04", Kind.CITY_CITY
    mine = of_kind(pairs, kind)
    found = duplicates(rule, roster, mine, R04_CLAUSE)
    for pair in distinct(mine):
        found += party_problems(rule, roster, pair, supporting_city, receiving_city, R04_CLAUSE)
        if pair.supporter_id == pair.receiver_id:
            found.append(
                violation(
                    rule,
                    f"{label(roster, pair.receiver_id)} is paired with itself in a {kind.label()}; "
                    f"a city never supports itself ({R04_CLAUSE}).",
                    pair.receiver_id,
                )
            )
    good = [
        p
        for p in well_typed(roster, distinct(mine), supporting_city, receiving_city)
        if p.supporter_id != p.receiver_id
    ]
    found += count_per_receiver(
        rule,
        roster,
        (c.city_id for c in roster.receiving_cities()),
        supporters_by_receiver(valid_receiver(roster, distinct(mine), receiving_city)),
        kind,
        R04_CLAUSE,
    )
    capacity = {c.city_id: c.capacity for c in roster.supporting_cities()}
    found += within_capacity(rule, roster, receivers_by_supporter(good), capacity, kind, R04_CLAUSE)
    found += _nesting(roster, pairs)
    return found


def _nesting(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    city_partner = city_partners(roster, pairs)
    county = well_typed(roster, distinct(of_kind(pairs, Kind.COUNTY_COUNTY)), supporter_area, receiver_area)
    found = []
    for pair in county:
        receiving_city = roster.areas[pair.receiver_id].city_id
        supporting_city = roster.areas[pair.supporter_id].city_id
        partner = city_partner.get(receiving_city)
        if partner is not None and partner != supporting_city:
            found.append(
                violation(
                    "R04",
                    f"The county pair {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} is not nested "
                    f"in the city pair of {label(roster, receiving_city)}: its city supporter is {label(roster, partner)}, "
                    f"but {label(roster, pair.supporter_id)} is in {label(roster, supporting_city)} ({R04_CLAUSE}).",
                    pair.supporter_id,
                    pair.receiver_id,
                    partner,
                    receiving_city,
                )
            )
    return found
