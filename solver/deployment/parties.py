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

from solver.domain.pairs import Kind, Pair
from solver.roster.models import Roster, UniversityKind, people_a_year
from solver.rules.catalogue import RuleSet


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

    county_partner: dict[str, str] = field(default_factory=dict)   # receiving county -> PRD unit
    city_partner: dict[str, str] = field(default_factory=dict)     # receiving city -> PRD city
    institutes_of: dict[str, list[str]] = field(default_factory=dict)  # receiving institute -> supporters
    normal_of_city: dict[str, list[str]] = field(default_factory=dict)
    universities_of: dict[str, list[str]] = field(default_factory=dict)  # city or county -> non-normal
    receivers_of_university: dict[str, list[str]] = field(default_factory=dict)
    institute_pairs: list[tuple[str, str]] = field(default_factory=list)
    school_partner: dict[str, str] = field(default_factory=dict)   # receiving school -> PRD school

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
        net.institutes_of = {k: sorted(v) for k, v in many["institutes"].items()}
        net.normal_of_city = {k: sorted(v) for k, v in many["normal"].items()}
        net.universities_of = {k: sorted(v) for k, v in many["universities"].items()}
        net.receivers_of_university = {k: sorted(v) for k, v in many["university_receivers"].items()}
        net.institute_pairs = sorted(set(net.institute_pairs))
        return net

    def supporters(self, county: str) -> list[Supporter]:
        """Every supporter of a receiving county, in SupporterKind order, then by id."""
        city = county[:4] + "00"
        found: set[Supporter] = set()
        if county in self.county_partner:
            found.add(Supporter(SupporterKind.COUNTY_PARTNER, self.county_partner[county]))
        if city in self.city_partner:
            found.add(Supporter(SupporterKind.CITY_PARTNER, self.city_partner[city]))
        for receiver in (f"jy{county}", f"jy{city}"):
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


def send_capacity(roster: Roster, rules: RuleSet, party_id: str) -> Capacity:
    """People the supporter can send a year on teaching duty (R07)."""
    return _capacity(roster, rules, party_id, "send_capacity", "R07", "send_share", "send_capacity")


def host_capacity(roster: Roster, rules: RuleSet, party_id: str) -> Capacity:
    """People the supporter can host a year on shadowing duty (R09 backbone teachers, R10 leaders)."""
    return _capacity(roster, rules, party_id, "host_capacity", "R09", "host_share", "host_capacity")


def _capacity(roster: Roster, rules: RuleSet, party_id: str, column: str, rule: str, share: str,
              suffix: str) -> Capacity:
    row = (roster.areas.get(party_id) or roster.cities.get(party_id) or roster.universities.get(party_id)
           or roster.institutes.get(party_id))
    if row is None:
        return Capacity(0, "not in the roster")
    given = people_a_year(getattr(row, column))
    if given is not None:
        return Capacity(given, f"{column} in the roster")
    if party_id in roster.areas or party_id in roster.cities:
        name = share if party_id in roster.areas else f"city_{share}"
        fraction = float(rules.param(rule, name))
        if party_id in roster.areas:
            teachers, whose = roster.areas[party_id].teachers, "its"
        else:
            teachers = sum(a.teachers for a in roster.supporter_areas() if a.city_id == party_id)
            whose = "its supporting units'"
        return Capacity(math.floor(teachers * fraction),
                        f"estimate: {fraction:.1%} of {whose} {teachers:,} teachers, {rule} {name}")
    name = f"university_{suffix}" if party_id in roster.universities else f"institute_{suffix}"
    return Capacity(int(rules.param(rule, name)), f"planning default {rule} {name}")


def is_normal(roster: Roster, university_id: str) -> bool:
    uni = roster.universities.get(university_id)
    return uni is not None and uni.kind == UniversityKind.NORMAL
