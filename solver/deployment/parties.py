"""Who supports whom, read from the structural pairs, and how many people each supporter can move.

A receiving county's supporters are its PRD county partner (county_county), its city's PRD
partner (city_city), the institutes paired with its own or its city's institute
(institute_institute), its city's normal university (normal_university_city) and the
non-normal universities paired with it or its city (university_area). Capacities are roster
figures (`send_capacity`, `host_capacity`) or, where a cell is empty, the planning defaults of
R07 and R09 in solver/rules.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from solver.domain.ids import city_id_of, institute_id
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.fields import UniversityKind
from solver.roster.models import Roster
from solver.rules.params import R07, R09
from solver.rules.ruleset import RuleSet


class SupporterKind(IntEnum):
    """The kinds of supporter of a receiving county, in the order teams are asked of them."""

    COUNTY_PARTNER = 0
    CITY_PARTNER = 1
    INSTITUTE = 2
    NORMAL_UNIVERSITY = 3
    UNIVERSITY = 4


@dataclass(frozen=True, order=True)
class Supporter:
    kind: SupporterKind
    id: str


@dataclass
class Network:
    """The structural pairs of a round, indexed for the deployment plan."""

    county_partner: dict[str, str] = field(default_factory=dict)  # receiving county -> PRD unit
    city_partner: dict[str, str] = field(default_factory=dict)  # receiving city -> PRD city
    institutes_of: dict[str, list[str]] = field(default_factory=dict)  # receiving institute -> supporters
    normal_of_city: dict[str, list[str]] = field(default_factory=dict)
    universities_of: dict[str, list[str]] = field(default_factory=dict)  # city or county -> non-normal
    receivers_of_university: dict[str, list[str]] = field(default_factory=dict)
    institute_pairs: list[tuple[str, str]] = field(default_factory=list)
    school_partner: dict[str, str] = field(default_factory=dict)  # receiving school -> PRD school
    school_pairs: list[tuple[str, str]] = field(default_factory=list)  # every school pair, in the plan's order

    @classmethod
    def from_pairs(cls, pairs: Sequence[Pair]) -> Network:
        net = cls()
        many: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for pair in pairs:
            s, r = pair.supporter_id, pair.receiver_id
            if pair.kind == Kind.COUNTY_COUNTY:
                net.county_partner.setdefault(r, s)
            elif pair.kind == Kind.CITY_CITY:
                net.city_partner.setdefault(r, s)
            elif pair.kind == Kind.INSTITUTE_INSTITUTE:
                many["institutes"][r].add(s)
                net.institute_pairs.append((s, r))
            elif pair.kind == Kind.NORMAL_UNIVERSITY_CITY:
                many["normal"][r].add(s)
                many["university_receivers"][s].add(r)
            elif pair.kind == Kind.UNIVERSITY_AREA:
                many["universities"][r].add(s)
                many["university_receivers"][s].add(r)
            elif pair.kind == Kind.SCHOOL_SCHOOL:
                net.school_partner.setdefault(r, s)
                net.school_pairs.append((s, r))
        net.institutes_of = {k: sorted(v) for k, v in many["institutes"].items()}
        net.normal_of_city = {k: sorted(v) for k, v in many["normal"].items()}
        net.universities_of = {k: sorted(v) for k, v in many["universities"].items()}
        net.receivers_of_university = {k: sorted(v) for k, v in many["university_receivers"].items()}
        net.institute_pairs = sorted(set(net.institute_pairs))
        return net

    def supporters(self, county: str) -> list[Supporter]:
        """Every supporter of a receiving county, in SupporterKind order, then by id."""
        city = city_id_of(county)
        found: set[Supporter] = set()
        if county in self.county_partner:
            found.add(Supporter(SupporterKind.COUNTY_PARTNER, self.county_partner[county]))
        if city in self.city_partner:
            found.add(Supporter(SupporterKind.CITY_PARTNER, self.city_partner[city]))
        for receiver in (institute_id(county), institute_id(city)):
            found.update(Supporter(SupporterKind.INSTITUTE, s) for s in self.institutes_of.get(receiver, []))
        found.update(Supporter(SupporterKind.NORMAL_UNIVERSITY, s) for s in self.normal_of_city.get(city, []))
        for receiver in (county, city):
            found.update(Supporter(SupporterKind.UNIVERSITY, s) for s in self.universities_of.get(receiver, []))
        return sorted(found)

    def of_kinds(self, county: str, *kinds: SupporterKind) -> list[str]:
        return [s.id for s in self.supporters(county) if s.kind in kinds]


@dataclass(frozen=True)
class Capacity:
    people: int
    source: str  # how the figure was obtained, for explanations


@dataclass(frozen=True)
class _Defaults:
    """The planning defaults of one direction (sending, R07; hosting, R09) for an empty roster cell."""

    rule: str
    column: str
    area_share: float
    city_share: float
    university: int
    institute: int
    names: tuple[str, str, str, str]  # the parameters' names, for explanations


def send_capacity(roster: Roster, rules: RuleSet, party_id: str) -> Capacity:
    """People the supporter can send a year on teaching duty (R07)."""
    p = rules.of(R07)
    return _capacity(
        roster,
        party_id,
        _Defaults(
            "R07",
            "send_capacity",
            p.send_share,
            p.city_send_share,
            p.university_send_capacity,
            p.institute_send_capacity,
            ("send_share", "city_send_share", "university_send_capacity", "institute_send_capacity"),
        ),
    )


def host_capacity(roster: Roster, rules: RuleSet, party_id: str) -> Capacity:
    """People the supporter can host a year on shadowing duty (R09 backbone teachers, R10 leaders)."""
    p = rules.of(R09)
    return _capacity(
        roster,
        party_id,
        _Defaults(
            "R09",
            "host_capacity",
            p.host_share,
            p.city_host_share,
            p.university_host_capacity,
            p.institute_host_capacity,
            ("host_share", "city_host_share", "university_host_capacity", "institute_host_capacity"),
        ),
    )


def _capacity(roster: Roster, party_id: str, defaults: _Defaults) -> Capacity:
    row = (
        roster.areas.get(party_id)
        or roster.cities.get(party_id)
        or roster.universities.get(party_id)
        or roster.institutes.get(party_id)
    )
    if row is None:
        return Capacity(0, "not in the roster")
    given = getattr(row, defaults.column)
    if given is not None:
        return Capacity(given, f"{defaults.column} in the roster")
    rule = defaults.rule
    if party_id in roster.areas:
        fraction, name = defaults.area_share, defaults.names[0]
        teachers, whose = roster.areas[party_id].teachers, "its"
    elif party_id in roster.cities:
        fraction, name = defaults.city_share, defaults.names[1]
        teachers = sum(a.teachers for a in roster.supporter_areas() if a.city_id == party_id)
        whose = "its supporting units'"
    elif party_id in roster.universities:
        return Capacity(defaults.university, f"planning default {rule} {defaults.names[2]}")
    else:
        return Capacity(defaults.institute, f"planning default {rule} {defaults.names[3]}")
    return Capacity(
        math.floor(teachers * fraction), f"estimate: {fraction:.1%} of {whose} {teachers:,} teachers, {rule} {name}"
    )


def is_normal(roster: Roster, university_id: str) -> bool:
    uni = roster.universities.get(university_id)
    return uni is not None and uni.kind == UniversityKind.NORMAL
