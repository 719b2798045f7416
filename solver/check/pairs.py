"""An independent checker: any pair plan + roster (+ pins) -> every hard rule it breaks.

The checker re-derives each structural rule (R01–R06, DESIGN.md section 2) from the roster and
the plan alone; it never imports the solver's model code, so a test can catch the solver
breaking a rule. Clauses are quoted from annex 2 of 粤府〔2021〕55号 unless they say otherwise.

Rule ids of a `Violation`: "R01" … "R06" (the pair rules), "PIN" (a coordinator's fix/forbid
pin) and "ROUND" (a plan is for one round of the three; '结对帮扶工作期限为2021—2035年，分三轮实施',
clause 2). A pair whose kind belongs to a rule is judged by that rule alone: an unknown id, a
party of the wrong type, a duplicated row or a wrong `receiver_city_id` are violations of the
kind's rule. Pairs that are malformed are left out when other rules derive partners from them,
so that one mistake is reported once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from solver.domain.pins import Pin, PinAction
from solver.domain.pairs import Kind, Pair
from solver.domain.policy import ROUNDS
from solver.roster.models import (
    COUNTY_TYPES,
    AreaType,
    Location,
    Role,
    Roster,
    UniversityKind,
    UniversityRole,
    Zone,
)

HARD_PAIR_RULES: tuple[str, ...] = ("R01", "R02", "R03", "R04", "R05", "R06")
PIN_RULE = "PIN"
ROUND_RULE = "ROUND"

KIND_RULE: dict[Kind, str] = {
    Kind.COUNTY_COUNTY: "R01",
    Kind.NORMAL_UNIVERSITY_CITY: "R02",
    Kind.UNIVERSITY_AREA: "R03",
    Kind.CITY_CITY: "R04",
    Kind.INSTITUTE_INSTITUTE: "R05",
    Kind.SCHOOL_SCHOOL: "R05",
    Kind.INTRA_REGION: "R06",
}

KIND_NAMES: dict[Kind, tuple[str, str]] = {
    Kind.CITY_CITY: ("city pair", "市与市"),
    Kind.COUNTY_COUNTY: ("county pair", "县与县"),
    Kind.NORMAL_UNIVERSITY_CITY: ("normal-university pair", "师范类院校与市"),
    Kind.UNIVERSITY_AREA: ("university pair", "非师范类院校与市县"),
    Kind.INSTITUTE_INSTITUTE: ("institute pair", "教研机构与教研机构"),
    Kind.SCHOOL_SCHOOL: ("school pair", "中小学校与中小学校"),
    Kind.INTRA_REGION: ("intra-region pair", "粤东粤西粤北地区城乡之间"),
}


def kind_label(kind: Kind, count: int = 1) -> str:
    """'county pair (县与县)', or 'county pairs (县与县)' for a count other than one."""
    english, chinese = KIND_NAMES[kind]
    return f"{english}{'' if count == 1 else 's'} ({chinese})"


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, a sentence for a coordinator, and the ids involved (sorted)."""

    rule: str
    message: str
    ids: tuple[str, ...]

    @property
    def sort_key(self) -> tuple[str, tuple[str, ...], str]:
        return (self.rule, self.ids, self.message)


def _violation(rule: str, message: str, *ids: str) -> Violation:
    return Violation(rule, message, tuple(sorted(set(ids))))


# --- reading the roster and the plan ---------------------------------------------------------

def label(roster: Roster, party_id: str) -> str:
    """A party as a coordinator reads it: Chinese name and id."""
    try:
        return f"{roster.name_of(party_id)}（{party_id}）"
    except KeyError:
        return f"{party_id} (not in the roster)"


def receiver_city(roster: Roster, party_id: str) -> str | None:
    """The city a receiving party belongs to, as `receiver_city_id` must say; None if unknown."""
    if party_id in roster.cities:
        return party_id
    if party_id in roster.areas:
        return roster.areas[party_id].city_id
    if party_id in roster.institutes:
        return roster.institutes[party_id].city_id or None
    if party_id in roster.schools:
        return roster.schools[party_id].area_id[:4] + "00"
    return None


def _of_kind(pairs: Iterable[Pair], kind: Kind) -> list[Pair]:
    return [p for p in pairs if p.kind == kind]


def _distinct(pairs: Iterable[Pair]) -> list[Pair]:
    seen: dict[tuple[str, str, str], Pair] = {}
    for pair in pairs:
        seen.setdefault(pair.key, pair)
    return list(seen.values())


def _supporters_by_receiver(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        found[pair.receiver_id].add(pair.supporter_id)
    return {receiver: sorted(supporters) for receiver, supporters in found.items()}


def _receivers_by_supporter(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        found[pair.supporter_id].add(pair.receiver_id)
    return {supporter: sorted(receivers) for supporter, receivers in found.items()}


def _labels(roster: Roster, ids: Iterable[str]) -> str:
    return "、".join(label(roster, i) for i in ids)


# --- checks shared by every kind ------------------------------------------------------------

Reason = Callable[[Roster, str], str | None]
"""Why an id cannot stand on one side of a pair of some kind, or None when it can."""


def _duplicates(rule: str, roster: Roster, pairs: Sequence[Pair], clause: str) -> list[Violation]:
    counts = Counter(p.key for p in pairs)
    found = []
    for (kind, receiver, supporter), count in sorted(counts.items()):
        if count > 1:
            found.append(_violation(
                rule,
                f"The {kind_label(Kind(kind))} {label(roster, supporter)} → {label(roster, receiver)} "
                f"is listed {count} times; a pair is listed once ({clause}).",
                supporter, receiver,
            ))
    return found


def _party_problems(rule: str, roster: Roster, pair: Pair, supporter: Reason, receiver: Reason,
                    clause: str) -> list[Violation]:
    """The pair's supporter and receiver have the right type, and `receiver_city_id` is right."""
    found = []
    head = f"In the {kind_label(pair.kind)} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)}"
    for side, party_id, reason in (("supporter", pair.supporter_id, supporter), ("receiver", pair.receiver_id, receiver)):
        why = reason(roster, party_id)
        if why is not None:
            found.append(_violation(rule, f"{head}, the {side} {why} ({clause}).", pair.supporter_id, pair.receiver_id))
    city = receiver_city(roster, pair.receiver_id)
    if city is not None and pair.receiver_city_id != city:
        found.append(_violation(
            rule,
            f"{head}, receiver_city_id is {pair.receiver_city_id!r}, but the receiver is in {label(roster, city)}.",
            pair.supporter_id, pair.receiver_id,
        ))
    return found


def _well_typed(roster: Roster, pairs: Iterable[Pair], supporter: Reason, receiver: Reason) -> list[Pair]:
    return [p for p in pairs if supporter(roster, p.supporter_id) is None and receiver(roster, p.receiver_id) is None]


def _valid_receiver(roster: Roster, pairs: Iterable[Pair], receiver: Reason) -> list[Pair]:
    """Pairs whose receiver may stand there; a wrong supporter is reported once, as such."""
    return [p for p in pairs if receiver(roster, p.receiver_id) is None]


def _count_per_receiver(rule: str, roster: Roster, required: Iterable[str], supporters_of: Mapping[str, list[str]],
                        kind: Kind, clause: str, exactly: bool = True) -> list[Violation]:
    """Each required receiver has one pair of the kind (or at least one when `exactly` is False)."""
    found = []
    need = "exactly one" if exactly else "at least one"
    for receiver in sorted(required):
        supporters = supporters_of.get(receiver, [])
        if not supporters:
            found.append(_violation(
                rule, f"{label(roster, receiver)} has no {kind_label(kind)}; it needs {need} ({clause}).", receiver))
        elif exactly and len(supporters) > 1:
            found.append(_violation(
                rule,
                f"{label(roster, receiver)} has {len(supporters)} {kind_label(kind, len(supporters))}, with "
                f"{_labels(roster, supporters)}; it needs exactly one ({clause}).",
                receiver, *supporters,
            ))
    return found


def _within_capacity(rule: str, roster: Roster, receivers_of: Mapping[str, list[str]], capacity: Mapping[str, int],
                     kind: Kind, clause: str) -> list[Violation]:
    found = []
    for supporter, receivers in sorted(receivers_of.items()):
        allowed = capacity.get(supporter)
        if allowed is not None and len(receivers) > allowed:
            found.append(_violation(
                rule,
                f"{label(roster, supporter)} supports {len(receivers)} receivers in {kind_label(kind, 2)} "
                f"({_labels(roster, receivers)}), but its capacity is {allowed} ({clause}).",
                supporter, *receivers,
            ))
    return found


def _unique_partner(pairs: Iterable[Pair]) -> dict[str, str]:
    """receiver -> supporter, for receivers with exactly one (distinct) pair."""
    return {r: s[0] for r, s in _supporters_by_receiver(pairs).items() if len(s) == 1}


# --- who may stand where --------------------------------------------------------------------

def _supporter_area(roster: Roster, party_id: str) -> str | None:
    area = roster.areas.get(party_id)
    if area is None:
        return "is not a county-level unit of the roster"
    if area.role != Role.SUPPORTER:
        return f"is not a supporting county-level unit (its role is {area.role.value})"
    return None


def _receiver_area(roster: Roster, party_id: str) -> str | None:
    area = roster.areas.get(party_id)
    if area is None:
        return "is not a county-level unit of the roster"
    if area.role != Role.RECEIVER:
        return f"is not one of the receiving counties (its role is {area.role.value})"
    return None


def _receiving_city(roster: Roster, party_id: str) -> str | None:
    city = roster.cities.get(party_id)
    if city is None:
        return "is not a city of the roster"
    if not city.receives:
        return "is not a receiving city"
    return None


def _supporting_city(roster: Roster, party_id: str) -> str | None:
    city = roster.cities.get(party_id)
    if city is None:
        return "is not a city of the roster"
    if not city.supports:
        return "is not a supporting city"
    return None


def _university(kind: UniversityKind) -> Reason:
    def reason(roster: Roster, party_id: str) -> str | None:
        uni = roster.universities.get(party_id)
        if uni is None:
            return "is not a university of the roster"
        if uni.kind != kind:
            return f"is a {uni.kind.value} university, not a {kind.value} one"
        if uni.role != UniversityRole.SUPPORTER:
            return "does not take part (its role is none)"
        return None
    return reason


def _receiving_city_or_area(roster: Roster, party_id: str) -> str | None:
    if party_id in roster.cities:
        return _receiving_city(roster, party_id)
    if party_id in roster.areas:
        return _receiver_area(roster, party_id)
    return "is neither a receiving city nor a receiving county of the roster"


def _any_institute(roster: Roster, party_id: str) -> str | None:
    return None if party_id in roster.institutes else "is not a research institute of the roster"


def _receiving_institute(roster: Roster, party_id: str) -> str | None:
    if party_id not in roster.institutes:
        return "is not a research institute of the roster"
    if party_id not in receiving_institutes(roster):
        return "is not a receiving institute (only those of receiving cities and receiving counties receive)"
    return None


def _any_school(roster: Roster, party_id: str) -> str | None:
    return None if party_id in roster.schools else "is not a school of the roster"


def _receiving_school(roster: Roster, party_id: str) -> str | None:
    school = roster.schools.get(party_id)
    if school is None:
        return "is not a school of the roster"
    area = roster.areas.get(school.area_id)
    if area is None or area.role != Role.RECEIVER:
        return f"is a school of {label(roster, school.area_id)}, which is not a receiving county"
    return None


def _county_partners(roster: Roster, pairs: Sequence[Pair]) -> dict[str, str]:
    """Receiving county -> its county supporter, from well-formed county pairs, where it is unique."""
    county = _well_typed(roster, _of_kind(pairs, Kind.COUNTY_COUNTY), _supporter_area, _receiver_area)
    return _unique_partner(county)


def _city_partners(roster: Roster, pairs: Sequence[Pair]) -> dict[str, str]:
    """Receiving city -> its city supporter, from well-formed city pairs, where it is unique."""
    cities = _well_typed(roster, _of_kind(pairs, Kind.CITY_CITY), _supporting_city, _receiving_city)
    return _unique_partner(p for p in cities if p.supporter_id != p.receiver_id)


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
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R01_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, _supporter_area, _receiver_area, R01_CLAUSE)
    good = _well_typed(roster, _distinct(mine), _supporter_area, _receiver_area)
    found += _count_per_receiver(rule, roster, (a.area_id for a in roster.receivers()),
                                 _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiver_area)),
                                 kind, R01_CLAUSE)
    capacity = {a.area_id: a.capacity for a in roster.supporter_areas()}
    found += _within_capacity(rule, roster, _receivers_by_supporter(good), capacity, kind, R01_CLAUSE)
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
    supporter = _university(UniversityKind.NORMAL)
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R02_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, supporter, _receiving_city, R02_CLAUSE)
    good = _well_typed(roster, _distinct(mine), supporter, _receiving_city)
    found += _count_per_receiver(rule, roster, (c.city_id for c in roster.receiving_cities()),
                                 _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiving_city)),
                                 kind, R02_CLAUSE)
    capacity = {u.university_id: u.capacity for u in roster.universities.values()}
    found += _within_capacity(rule, roster, _receivers_by_supporter(good), capacity, kind, R02_CLAUSE)
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
    supporter = _university(UniversityKind.NON_NORMAL)
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R03_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, supporter, _receiving_city_or_area, R03_CLAUSE)
    receivers_of = _receivers_by_supporter(p for p in _distinct(mine) if supporter(roster, p.supporter_id) is None)
    universities = sorted(u.university_id for u in roster.universities.values()
                          if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER)
    for uni in universities:
        receivers = receivers_of.get(uni, [])
        if len(receivers) != 1:
            got = f"{len(receivers)} ({_labels(roster, receivers)})" if receivers else "none"
            found.append(_violation(
                rule, f"{label(roster, uni)} needs exactly one {kind_label(kind)}, but has {got} ({R03_CLAUSE}).",
                uni, *receivers,
            ))
    required = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    covered = _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiving_city_or_area))
    found += _count_per_receiver(rule, roster, required, covered, kind, R03_CLAUSE, exactly=False)
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
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R04_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, _supporting_city, _receiving_city, R04_CLAUSE)
        if pair.supporter_id == pair.receiver_id:
            found.append(_violation(
                rule, f"{label(roster, pair.receiver_id)} is paired with itself in a {kind_label(kind)}; "
                      f"a city never supports itself ({R04_CLAUSE}).", pair.receiver_id))
    good = [p for p in _well_typed(roster, _distinct(mine), _supporting_city, _receiving_city)
            if p.supporter_id != p.receiver_id]
    found += _count_per_receiver(rule, roster, (c.city_id for c in roster.receiving_cities()),
                                 _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiving_city)),
                                 kind, R04_CLAUSE)
    capacity = {c.city_id: c.capacity for c in roster.supporting_cities()}
    found += _within_capacity(rule, roster, _receivers_by_supporter(good), capacity, kind, R04_CLAUSE)
    found += _nesting(roster, pairs)
    return found


def _nesting(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    city_partner = _city_partners(roster, pairs)
    county = _well_typed(roster, _distinct(_of_kind(pairs, Kind.COUNTY_COUNTY)), _supporter_area, _receiver_area)
    found = []
    for pair in county:
        receiving_city = roster.areas[pair.receiver_id].city_id
        supporting_city = roster.areas[pair.supporter_id].city_id
        partner = city_partner.get(receiving_city)
        if partner is not None and partner != supporting_city:
            found.append(_violation(
                "R04",
                f"The county pair {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} is not nested "
                f"in the city pair of {label(roster, receiving_city)}: its city supporter is {label(roster, partner)}, "
                f"but {label(roster, pair.supporter_id)} is in {label(roster, supporting_city)} ({R04_CLAUSE}).",
                pair.supporter_id, pair.receiver_id, partner, receiving_city,
            ))
    return found


# --- R05 ------------------------------------------------------------------------------------

R05_CLAUSE = "annex 2, clauses 1 and 3; main plan 12"


def receiving_institutes(roster: Roster) -> set[str]:
    """The institutes of receiving cities and of receiving counties that the roster holds."""
    units = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    return {f"jy{unit}" for unit in units if f"jy{unit}" in roster.institutes}


def expected_institute_supporter(roster: Roster, institute_id: str, city_partner: Mapping[str, str],
                                 county_partner: Mapping[str, str]) -> str | None:
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
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R05_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, _any_institute, _receiving_institute, R05_CLAUSE)
    supporters_of = _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiving_institute))
    found += _count_per_receiver(rule, roster, receiving_institutes(roster), supporters_of, kind, R05_CLAUSE)
    city_partner, county_partner = _city_partners(roster, pairs), _county_partners(roster, pairs)
    for receiver, supporters in sorted(supporters_of.items()):
        expected = expected_institute_supporter(roster, receiver, city_partner, county_partner)
        # skipped: partner unknown (R01/R04 say why), or several or unknown supporters (reported above)
        if expected is None or len(supporters) != 1 or supporters[0] not in roster.institutes:
            continue
        if supporters[0] == expected:
            continue
        unit = receiver.removeprefix("jy")
        partner = city_partner[unit] if unit in roster.cities else county_partner[unit]
        found.append(_violation(
            rule,
            f"{label(roster, receiver)} is supported by {label(roster, supporters[0])}, but its unit is paired with "
            f"{label(roster, partner)}, so its supporter must be {label(roster, expected)} ({R05_CLAUSE}).",
            receiver, supporters[0], expected,
        ))
    return found


def _school_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    rule, kind = "R05", Kind.SCHOOL_SCHOOL
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R05_CLAUSE)
    for pair in _distinct(mine):
        found += _party_problems(rule, roster, pair, _any_school, _receiving_school, R05_CLAUSE)
    supporters_of = _supporters_by_receiver(_valid_receiver(roster, _distinct(mine), _receiving_school))
    receiving = [s.school_id for s in roster.schools.values() if _receiving_school(roster, s.school_id) is None]
    found += _count_per_receiver(rule, roster, receiving, supporters_of, kind, R05_CLAUSE)
    county_partner = _county_partners(roster, pairs)
    for pair in _well_typed(roster, _distinct(mine), _any_school, _receiving_school):
        area = roster.schools[pair.receiver_id].area_id
        partner = county_partner.get(area)
        supporter_area = roster.schools[pair.supporter_id].area_id
        if partner is not None and supporter_area != partner:
            found.append(_violation(
                rule,
                f"The school pair {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} is not inside "
                f"the county pair: the receiving school's county {label(roster, area)} is paired with "
                f"{label(roster, partner)}, but the supporting school is in {label(roster, supporter_area)} "
                f"({R05_CLAUSE}).",
                pair.supporter_id, pair.receiver_id, partner,
            ))
    return found


# --- R06 ------------------------------------------------------------------------------------

R06_CLAUSE = "annex 2, clause 12"


def intra_county_receivers(roster: Roster) -> set[str]:
    """Receiving counties that need an urban district partner in their own city.

    Those of a non-PRD receiving city that has at least one receiving district.
    """
    receivers = roster.receivers()
    with_district = {a.city_id for a in receivers if a.type == AreaType.DISTRICT}
    return {a.area_id for a in receivers
            if a.type in COUNTY_TYPES and a.city_id in with_district
            and roster.cities[a.city_id].receives and roster.cities[a.city_id].zone != Zone.PRD}


def intra_school_receivers(roster: Roster) -> set[str]:
    """Rural schools of receiving counties that have at least one urban school."""
    urban_areas = {s.area_id for s in roster.schools.values() if s.location == Location.URBAN}
    return {s.school_id for s in roster.schools.values()
            if s.location == Location.RURAL and s.area_id in urban_areas
            and _receiving_school(roster, s.school_id) is None}


def _district(roster: Roster, party_id: str) -> str | None:
    why = _receiver_area(roster, party_id)
    if why is not None:
        return why
    if roster.areas[party_id].type != AreaType.DISTRICT:
        return "is not a district (区), the urban side of a city's intra-region pairs"
    return None


def _intra_county(roster: Roster, party_id: str) -> str | None:
    why = _receiver_area(roster, party_id)
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
    why = _receiving_school(roster, party_id)
    if why is not None:
        return why
    school = roster.schools[party_id]
    if school.location != Location.RURAL:
        return f"is a {school.location.value} school, not a rural (村) one"
    return None


def check_r06_intra_region_pairs(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """R06, intra_region pairs, at county level and at school level.

    '12.市、县区域内结对。粤东粤西粤北地区各市、县自行建立市域内县之间、县域内城乡学校之间的结对帮扶关系。'

    County level: in a non-PRD receiving city with a receiving district, every receiving county
    has exactly one pair with a receiving district of the same city. School level: in a receiving
    county with an urban school, every rural school has exactly one pair with an urban school of
    the same county. Pairs never cross cities (counties for schools).
    """
    rule, kind = "R06", Kind.INTRA_REGION
    mine = _of_kind(pairs, kind)
    found = _duplicates(rule, roster, mine, R06_CLAUSE)
    county_pairs = [p for p in _distinct(mine) if p.receiver_id in roster.areas]
    school_pairs = [p for p in _distinct(mine) if p.receiver_id in roster.schools]
    for pair in _distinct(mine):
        if pair.receiver_id not in roster.areas and pair.receiver_id not in roster.schools:
            found.append(_violation(
                rule, f"In the {kind_label(kind)} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)}, "
                      f"the receiver is neither a county-level unit nor a school of the roster ({R06_CLAUSE}).",
                pair.supporter_id, pair.receiver_id))
    found += _intra_level(roster, county_pairs, _district, _intra_county, intra_county_receivers(roster),
                          lambda pid: roster.areas[pid].city_id, "city")
    found += _intra_level(roster, school_pairs, _urban_school, _rural_school, intra_school_receivers(roster),
                          lambda pid: roster.schools[pid].area_id, "county")
    return found


def _intra_level(roster: Roster, pairs: Sequence[Pair], supporter: Reason, receiver: Reason, required: set[str],
                 home: Callable[[str], str], home_word: str) -> list[Violation]:
    rule, kind = "R06", Kind.INTRA_REGION
    found = []
    for pair in pairs:
        found += _party_problems(rule, roster, pair, supporter, receiver, R06_CLAUSE)
    good = _well_typed(roster, pairs, supporter, receiver)
    for pair in good:
        here, there = home(pair.receiver_id), home(pair.supporter_id)
        if here != there:
            found.append(_violation(
                rule,
                f"The {kind_label(kind)} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} crosses "
                f"{home_word} lines ({label(roster, there)} → {label(roster, here)}); it must stay within one "
                f"{home_word} ({R06_CLAUSE}).",
                pair.supporter_id, pair.receiver_id,
            ))
    counted = _valid_receiver(roster, pairs, receiver)
    found += _count_per_receiver(rule, roster, required, _supporters_by_receiver(counted), kind, R06_CLAUSE)
    extra = _supporters_by_receiver(p for p in counted if p.receiver_id not in required)
    found += _count_per_receiver(rule, roster, (r for r, s in extra.items() if len(s) > 1), extra, kind, R06_CLAUSE)
    return found


# --- rounds and pins ------------------------------------------------------------------------

def check_round(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """Every pair is of the same round, one of '2021-2025', '2026-2030', '2031-2035'.

    '结对帮扶工作期限为2021—2035年，分三轮实施' (annex 2, clause 2). The plan's round is its
    most common one (the earliest on a tie); each pair of another round is a violation.
    """
    counts = Counter(p.round for p in pairs)
    found = [
        _violation(ROUND_RULE, f"Round {value!r} is not one of {', '.join(ROUNDS)} (annex 2, clause 2).")
        for value in sorted(counts) if value not in ROUNDS
    ]
    if len(counts) > 1:
        plan_round = min(counts, key=lambda value: (-counts[value], value))
        for pair in sorted(pairs, key=lambda p: p.key):
            if pair.round != plan_round:
                found.append(_violation(
                    ROUND_RULE,
                    f"The {kind_label(pair.kind)} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} "
                    f"is of round {pair.round}, but the plan is for round {plan_round}; a plan holds one round.",
                    pair.supporter_id, pair.receiver_id,
                ))
    return found


def check_pins(roster: Roster, pairs: Sequence[Pair], pins: Sequence[Pin]) -> list[Violation]:
    """Every fixed pin is a pair of the plan; no forbidden pin is."""
    present = {(p.kind, p.supporter_id, p.receiver_id) for p in pairs}
    found = []
    for pin in pins:
        there = (pin.kind, pin.supporter_id, pin.receiver_id) in present
        what = f"{kind_label(pin.kind)} {label(roster, pin.supporter_id)} → {label(roster, pin.receiver_id)}"
        if pin.action == PinAction.FIX and not there:
            found.append(_violation(PIN_RULE, f"The {what} is pinned (fixed) but is not in the plan.",
                                    pin.supporter_id, pin.receiver_id))
        elif pin.action == PinAction.FORBID and there:
            found.append(_violation(PIN_RULE, f"The {what} is forbidden by a pin but is in the plan.",
                                    pin.supporter_id, pin.receiver_id))
    return found


PairCheck = Callable[[Roster, Sequence[Pair]], list[Violation]]

RULE_CHECKS: dict[str, PairCheck] = {
    "R01": check_r01_county_pairs,
    "R02": check_r02_normal_university_pairs,
    "R03": check_r03_university_area_pairs,
    "R04": check_r04_city_pairs,
    "R05": check_r05_institute_and_school_pairs,
    "R06": check_r06_intra_region_pairs,
    ROUND_RULE: check_round,
}


def check_pairs(roster: Roster, pairs: Sequence[Pair], pins: Sequence[Pin] = ()) -> list[Violation]:
    """Every hard violation of the plan, sorted by (rule, ids, message), each reported once."""
    found: set[Violation] = set()
    for check in RULE_CHECKS.values():
        found.update(check(roster, pairs))
    found.update(check_pins(roster, pairs, pins))
    return sorted(found, key=lambda v: v.sort_key)


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
    county = _well_typed(roster, _distinct(_of_kind(pairs, Kind.COUNTY_COUNTY)), _supporter_area, _receiver_area)
    teachers: dict[bool, list[float]] = {True: [], False: []}
    for pair in county:
        teachers[roster.areas[pair.receiver_id].is_priority].append(roster.areas[pair.supporter_id].teachers)

    universities = _well_typed(roster, _distinct(_of_kind(pairs, Kind.UNIVERSITY_AREA)),
                               _university(UniversityKind.NON_NORMAL), _receiver_area)
    tiers: dict[bool, list[float]] = {True: [], False: []}
    for pair in universities:
        tiers[roster.areas[pair.receiver_id].is_priority].append(roster.universities[pair.supporter_id].tier)

    schools = _well_typed(roster, _distinct(_of_kind(pairs, Kind.SCHOOL_SCHOOL)), _any_school, _receiving_school)
    school_teachers: dict[bool, list[float]] = {True: [], False: []}
    for pair in schools:
        school_teachers[roster.schools[pair.receiver_id].priority].append(roster.schools[pair.supporter_id].teachers)
    priority_schools = {s.school_id for s in roster.schools.values()
                        if s.priority and _receiving_school(roster, s.school_id) is None}
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
