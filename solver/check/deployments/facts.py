"""What the roster, the rules and the structural pairs say, re-derived for the deployment rules."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from solver.check.common import Violation, label
from solver.check.deployments.table import Row
from solver.domain.ids import PROVINCE_ID, PROVINCE_NAME, city_id_of, institute_id
from solver.domain.ids import label as party_label
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.policy import round_years
from solver.roster.fields import Role, UniversityKind
from solver.roster.models import Roster
from solver.rules.params import R07, R09
from solver.rules.ruleset import RuleSet

# Kinds of supporter of a receiving county, as this checker names them.
COUNTY, CITY, INSTITUTE, NORMAL, UNIVERSITY = (
    "county partner",
    "city partner",
    "institute",
    "normal university",
    "university",
)
ALL_KINDS = frozenset({COUNTY, CITY, INSTITUTE, NORMAL, UNIVERSITY})


@dataclass
class Facts:
    """The roster, rules and pairs, re-read for the deployment rules."""

    roster: Roster
    rules: RuleSet
    round: str
    pairs: Sequence[Pair]
    assessment: Mapping[str, float] | None = None  # R38's input, when the plan was made with one
    costs: Sequence[Mapping[str, str]] | None = None  # costs.csv's rows, when there is one to check (R37)
    recorded_years: frozenset[int] = frozenset()
    """Years whose rows record what was delivered (a re-plan's history): not judged year by year."""
    county_partner: dict[str, str] = field(init=False, default_factory=dict)
    city_partner: dict[str, str] = field(init=False, default_factory=dict)
    institute_pairs: set[tuple[str, str]] = field(init=False, default_factory=set)
    university_pairs: set[tuple[str, str]] = field(init=False, default_factory=set)  # (university, receiver)
    school_pairs: dict[tuple[str, str], int] = field(init=False, default_factory=dict)  # (unit, county) -> pairs

    def __post_init__(self) -> None:
        self.years = [y for y in round_years(self.round) if y not in self.recorded_years]
        self.counties = sorted(a.area_id for a in self.roster.receivers())
        self.county_set = set(self.counties)
        self.cities = sorted(c.city_id for c in self.roster.receiving_cities())
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for pair in self.pairs:
            s, r = pair.supporter_id, pair.receiver_id
            if pair.kind == Kind.COUNTY_COUNTY:
                self.county_partner.setdefault(r, s)
            elif pair.kind == Kind.CITY_CITY:
                self.city_partner.setdefault(r, s)
            elif pair.kind == Kind.INSTITUTE_INSTITUTE:
                self.institute_pairs.add((s, r))
            elif pair.kind in (Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA):
                self.university_pairs.add((s, r))
            elif pair.kind == Kind.SCHOOL_SCHOOL and s in self.roster.schools and r in self.roster.schools:
                counts[(self.roster.schools[s].area_id, self.roster.schools[r].area_id)] += 1
        self.school_pairs = dict(counts)
        schools_in: dict[str, int] = defaultdict(int)
        for school in self.roster.schools.values():
            schools_in[school.area_id] += 1
        self.schools_in = dict(schools_in)
        universities_of: dict[str, list[str]] = defaultdict(list)  # receiver -> its universities
        for s, r in self.university_pairs:
            universities_of[r].append(s)
        institutes_of: dict[str, list[str]] = defaultdict(list)
        for s, r in self.institute_pairs:
            institutes_of[r].append(s)
        self._supporters = {c: self._derive_supporters(c, universities_of, institutes_of) for c in self.counties}

    def _derive_supporters(
        self, county: str, universities_of: Mapping[str, list[str]], institutes_of: Mapping[str, list[str]]
    ) -> dict[str, str]:
        city = city_id_of(county)
        found: dict[str, str] = {}
        for s in sorted({s for r in (county, city) for s in universities_of.get(r, ())}):
            uni = self.roster.universities.get(s)
            found[s] = NORMAL if uni is not None and uni.kind == UniversityKind.NORMAL else UNIVERSITY
        receivers = {institute_id(county), institute_id(city)}
        for s in sorted({s for r in receivers for s in institutes_of.get(r, ())}):
            found[s] = INSTITUTE
        if city in self.city_partner:
            found[self.city_partner[city]] = CITY
        if county in self.county_partner:
            found[self.county_partner[county]] = COUNTY
        return found

    def supporters(self, county: str, kinds: frozenset[str] = ALL_KINDS) -> dict[str, str]:
        """The county's supporters of the given kinds: supporter id -> kind."""
        return {s: k for s, k in self._supporters.get(county, {}).items() if k in kinds}

    def prd_partners(self, receiver: str) -> set[str]:
        """'珠三角结对地区' of a receiving city (its city pair) or county (its county pair, or its city's)."""
        if receiver in self.roster.cities:
            found = {self.city_partner.get(receiver)}
        else:
            found = {self.county_partner.get(receiver), self.city_partner.get(city_id_of(receiver))}
        return {p for p in found if p}

    def send_capacity(self, party: str) -> int:
        """People a supporter can send a year on teaching duty: its roster figure, or R07's defaults."""
        p = self.rules.of(R07)
        return self._capacity(
            party,
            "send_capacity",
            p.send_share,
            p.city_send_share,
            p.university_send_capacity,
            p.institute_send_capacity,
        )

    def host_capacity(self, party: str) -> int:
        """People a supporter can host a year on shadowing duty: its roster figure, or R09's defaults."""
        p = self.rules.of(R09)
        return self._capacity(
            party,
            "host_capacity",
            p.host_share,
            p.city_host_share,
            p.university_host_capacity,
            p.institute_host_capacity,
        )

    def _capacity(
        self, party: str, column: str, area_share: float, city_share: float, university: int, institute: int
    ) -> int:
        row = (
            self.roster.areas.get(party)
            or self.roster.cities.get(party)
            or self.roster.universities.get(party)
            or self.roster.institutes.get(party)
        )
        if row is None:
            return 0
        given: int | None = getattr(row, column)
        if given is not None:
            return given
        if party in self.roster.areas:
            return math.floor(self.roster.areas[party].teachers * area_share)
        if party in self.roster.cities:
            teachers = sum(
                a.teachers for a in self.roster.areas.values() if a.city_id == party and a.role == Role.SUPPORTER
            )
            return math.floor(teachers * city_share)
        return university if party in self.roster.universities else institute

    def school_area(self, school_id: str) -> str | None:
        school = self.roster.schools.get(school_id)
        return school.area_id if school else None

    def label(self, party: str) -> str:
        return party_label(PROVINCE_NAME, party) if party == PROVINCE_ID else label(self.roster, party)


def at_least(share: float, base: int) -> int:
    """ceil(share × base), rounded first so that 10% of 4,000 is 400."""
    return math.ceil(round(share * base, 6))


K = TypeVar("K", bound=Hashable)


def sum_by(rows: Iterable[Row], key: Callable[[Row], K], column: str = "people") -> dict[K, int]:
    totals: dict[K, int] = defaultdict(int)
    for row in rows:
        totals[key(row)] += row.n(column)
    return totals


class Table:
    """The judged rows by flow; `recorded` rows (years that are history) count only towards a round's totals."""

    def __init__(self, rows: Sequence[Row], recorded: Sequence[Row] = ()):
        self.by_flow: dict[str, list[Row]] = defaultdict(list)
        self.recorded: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            self.by_flow[row.flow].append(row)
        for row in recorded:
            self.recorded[row.flow].append(row)

    def of(self, *flows: str) -> list[Row]:
        return [row for flow in flows for row in self.by_flow.get(flow, [])]

    def whole_round(self, *flows: str) -> list[Row]:
        """Judged and recorded rows: for quotas of the whole round (R15's coverage, R18's groups)."""
        return self.of(*flows) + [row for flow in flows for row in self.recorded.get(flow, [])]


Check = Callable[[Facts, Table], list[Violation]]
