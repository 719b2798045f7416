"""Teams, shadows, backbone teachers and leaders of one year: the model's input, and its answer as rows.

The allocation itself is solver.deployment.model; this module builds its input from the roster,
the structural pairs and the rules (R07–R10), and turns its answer into deployment rows;
solver.deployment.shortfalls says, in words, which receiver is short of what and by how much.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from solver.deployment.model import Quota, YearAllocation, YearProblem
from solver.deployment.parties import (
    Network,
    SupporterKind,
    host_capacity,
    send_capacity,
)
from solver.deployment.requests import Asks, avoided, preferred
from solver.deployment.sites import Sites
from solver.domain.flows import Flow, FlowRow
from solver.domain.ids import city_id_of, label
from solver.roster.fields import Location
from solver.roster.models import Roster
from solver.roster.parties import School
from solver.roster.relations import Wish
from solver.rules.params import R07, R09, R10
from solver.rules.ruleset import RuleSet

RURAL_LOCATIONS = frozenset({Location.TOWNSHIP, Location.RURAL})  # R06's 乡镇 and 村 schools

Carry = Mapping[tuple[str, str], int]
"""(flow, receiver) -> teams (teaching_team) or people owed from recorded years (a re-plan)."""

BACKBONE_HOST_KINDS = (
    SupporterKind.COUNTY_PARTNER,
    SupporterKind.CITY_PARTNER,
    SupporterKind.INSTITUTE,
    SupporterKind.NORMAL_UNIVERSITY,
)
"""R09: '分别到支援市、县、教研机构（教师发展机构）、师范类院校跟岗1个学期'."""


@dataclass
class Context:
    """Everything a year's allocation needs, derived once per round."""

    roster: Roster
    rules: RuleSet
    round: str
    network: Network
    sites: Sites

    def __post_init__(self) -> None:
        self._names: dict[str, str] = {}
        self._team_cost: dict[int, dict[tuple[str, str], int]] = {}
        self._rural: dict[str, list[School]] = {}
        self.counties = [a.area_id for a in self.roster.receivers()]
        self.cities = [c.city_id for c in self.roster.receiving_cities()]
        self.supporters = {c: self.network.supporters(c) for c in self.counties}
        parties = {s.id for sups in self.supporters.values() for s in sups}
        parties |= set(self.network.county_partner.values()) | set(self.network.city_partner.values())
        self.send = {p: send_capacity(self.roster, self.rules, p) for p in sorted(parties)}
        self.host = {p: host_capacity(self.roster, self.rules, p) for p in sorted(parties)}
        self.kind_of = {s.id: s.kind for sups in self.supporters.values() for s in sups}
        self.kind_of.update(dict.fromkeys(self.network.city_partner.values(), SupporterKind.CITY_PARTNER))
        self.kind_of.update(dict.fromkeys(self.network.county_partner.values(), SupporterKind.COUNTY_PARTNER))

    def team_cost(self, step: int) -> dict[tuple[str, str], int]:
        """A teaching team's cost by (supporter, county): the supporter's kind, then its rank (the same every year)."""
        if step not in self._team_cost:
            self._team_cost[step] = {
                (s.id, c): step * int(s.kind) + i for c, sups in self.supporters.items() for i, s in enumerate(sups)
            }
        return self._team_cost[step]

    def rural_schools(self, party: str) -> list[School]:
        """乡镇 and 村 schools of a receiving county, or of every receiving county of a city, largest first."""
        if party not in self._rural:
            areas = (
                {party}
                if party in self.roster.areas
                else {c for c in self.counties if self.roster.areas[c].city_id == party}
            )
            found = [s for a in sorted(areas) for s in self.sites.by_area.get(a, []) if s.location in RURAL_LOCATIONS]
            self._rural[party] = sorted(found, key=lambda s: (-s.teachers, s.school_id))
        return self._rural[party]

    @cached_property
    def school_pairs_by_area(self) -> list[tuple[tuple[str, str], int]]:
        """((unit, county), school pairs between them), in that order: the same every year of the round."""
        schools = self.roster.schools
        counts: Counter[tuple[str, str]] = Counter(
            (schools[s].area_id, schools[r].area_id)
            for s, r in self.network.school_pairs
            if s in schools and r in schools
        )
        return sorted(counts.items())

    @property
    def posts(self) -> tuple[int, int, int]:
        team = self.rules.of(R07)
        return (team.team_leaders, team.team_managers, team.team_teachers)

    @property
    def team_size(self) -> int:
        return self.rules.of(R07).team_size

    def label(self, party_id: str) -> str:
        return label(self.name(party_id), party_id)

    def name(self, party_id: str) -> str:
        """The party's Chinese name ('' for an empty or unknown id), remembered: rows repeat names a lot."""
        if party_id not in self._names:
            try:
                self._names[party_id] = self.roster.name_of(party_id) if party_id else ""
            except KeyError:
                self._names[party_id] = ""
        return self._names[party_id]

    def leader_hosts(self, receiver: str) -> list[str]:
        """R10's '珠三角结对地区': a city's PRD partner; a county's partner, then its city's partner."""
        if receiver in self.roster.cities:
            hosts = [self.network.city_partner.get(receiver)]
        else:
            hosts = [self.network.county_partner.get(receiver), self.network.city_partner.get(city_id_of(receiver))]
        return [h for h in hosts if h]


def short_weights(ctx: Context) -> dict[str, int]:
    """Points per person short, per receiver: priority (R21) counties and larger ones fall short last."""
    base = ctx.rules.deployment_weights.short_per_person
    extra = ctx.rules.deployment_weights.short_priority_extra
    areas = [ctx.roster.areas[c] for c in ctx.counties]
    order = sorted(areas, key=lambda a: (not a.is_priority, -a.teachers, a.area_id))
    weights = {a.area_id: base + (extra if a.is_priority else 0) + len(order) - i for i, a in enumerate(order)}
    weights.update({c: base + len(ctx.cities) - i for i, c in enumerate(ctx.cities)})
    return weights


def year_problem(ctx: Context, year: int, asks: Asks, carry: Carry | None = None) -> YearProblem:
    """The year's allocation problem: the policy's floors, raised where receivers asked (R25) and,
    in a re-plan, by what recorded years owe them (`carry`: (flow, receiver) -> teams or people)."""
    owed = carry or {}
    step = ctx.rules.deployment_weights.team_rank_step
    r07, r09, r10 = ctx.rules.of(R07), ctx.rules.of(R09), ctx.rules.of(R10)
    team_supporters = {
        c: [s.id for s in sups if s.id not in avoided(asks, Wish.TEACHING_TEAM, c)]
        for c, sups in ctx.supporters.items()
    }
    team_cost = ctx.team_cost(step)
    hosts = {
        c: [s.id for s in sups if s.kind in BACKBONE_HOST_KINDS and s.id not in avoided(asks, Wish.BACKBONE_SHADOW, c)]
        for c, sups in ctx.supporters.items()
    }
    receivers = [*ctx.cities, *ctx.counties]
    return YearProblem(
        name=f"deployments {year}",
        team_supporters=team_supporters,
        team_cost=team_cost,
        send_capacity={p: c.people for p, c in ctx.send.items()},
        team_size=ctx.team_size,
        teams={c: _quota(asks, Wish.TEACHING_TEAM, c, r07.teams_per_county_min, None, owed) for c in ctx.counties},
        backbone_hosts=hosts,
        backbone={
            c: _quota(asks, Wish.BACKBONE_SHADOW, c, r09.backbone_min, r09.backbone_max, owed) for c in ctx.counties
        },
        leader_hosts={
            r: [
                h
                for h in ctx.leader_hosts(r)
                if h not in avoided(asks, Wish.LEADER_SHADOW, r) | avoided(asks, Wish.MANAGER_SHADOW, r)
            ]
            for r in receivers
        },
        leaders={r: _quota(asks, Wish.LEADER_SHADOW, r, r10.leaders_min, r10.leaders_max, owed) for r in receivers},
        managers={r: _quota(asks, Wish.MANAGER_SHADOW, r, r10.managers_min, r10.managers_max, owed) for r in receivers},
        host_capacity={p: c.people for p, c in ctx.host.items()},
        short_weight=short_weights(ctx),
        short_asked_weight=ctx.rules.deployment_weights.short_request_per_person,
        preferred=preferred(asks),
        prefer_bonus=ctx.rules.deployment_weights.prefer,
        spread_weight=ctx.rules.deployment_weights.backbone_spread,
        short_carried_weight=(
            ctx.rules.deployment_weights.short_per_person + ctx.rules.deployment_weights.short_request_per_person
        )
        // 2,
    )


def _quota(asks: Asks, what: Wish, receiver: str, floor: int, most: int | None, owed: Carry | None = None) -> Quota:
    """The floor, what the receiver asked beyond it and what recorded years owe it (never beyond the
    policy's maximum)."""
    ask = asks.get((what, receiver))
    wanted = ask.amount if ask else 0
    if most is not None:
        wanted = min(wanted, most)
    asked = max(0, wanted - floor)
    carried = (owed or {}).get((what.value, receiver), 0)
    if most is not None:
        carried = min(carried, max(0, most - floor - asked))
    return Quota(floor, asked, carried)


# --- rows ------------------------------------------------------------------------------------


def _school_shares(sent: list[tuple[str, int]], schools: list[str]) -> list[tuple[str, list[str], int]]:
    """Each supporter's teams with the schools they are stationed at, in landing order: one school a
    team while there are schools enough, and with fewer schools than teams each supporter keeps
    schools of its own, so the shadows of one school go to one site (R08)."""
    shares, start = [], 0
    for index, (supporter, n) in enumerate(sent):
        others = len(sent) - index - 1  # supporters after this one, each needing a school
        own = max(1, min(n, len(schools) - start - others))
        mine = schools[start : start + own] or schools[-1:] or [""]
        start += len(mine) if start < len(schools) else 0
        shares.append((supporter, mine, n))
    return shares


def team_rows(ctx: Context, year: int, year_index: int, allocation: YearAllocation, asks: Asks) -> list[FlowRow]:
    """Teaching teams (R07) and their 1:1 shadows (R08); teams carry the subjects their county asked for."""
    leaders, managers, teachers = ctx.posts
    per_county: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (s, c), n in allocation.teams.items():
        per_county[c].append((s, n))
    # (supporter, county, school, home, subject) -> teams
    stationed: dict[tuple[str, str, str, str, str], int] = defaultdict(int)
    for county, sent in sorted(per_county.items()):
        sent.sort(key=lambda item: (ctx.kind_of[item[0]], item[0]))
        schools = ctx.sites.landing_schools(county, sum(n for _, n in sent), year_index)
        ask = asks.get((Wish.TEACHING_TEAM, county))
        subjects = list(ask.subjects) if ask else []
        slot = 0
        for supporter, mine, n in _school_shares(sent, schools):
            for j in range(n):
                school = mine[j % len(mine)]
                subject = subjects[slot] if slot < len(subjects) else ""
                slot += 1
                home = ctx.sites.home_site(ctx.kind_of[supporter], supporter, school or None)
                stationed[(supporter, county, school, home, subject)] += 1
    rows = []
    for (supporter, county, school, home, subject), n in sorted(stationed.items()):
        people = n * ctx.team_size
        rows.append(
            FlowRow(
                ctx.round,
                year,
                Flow.TEACHING_TEAM,
                supporter,
                ctx.name(supporter),
                county,
                ctx.name(county),
                teams=n,
                people=people,
                leaders=n * leaders,
                managers=n * managers,
                teachers=n * teachers,
                from_site_id=home,
                from_site_name=ctx.name(home),
                to_site_id=school,
                to_site_name=ctx.name(school),
                subjects=(subject,) if subject else (),
                note="stationed at the receiving school for the year",
            )
        )
        rows.append(
            FlowRow(
                ctx.round,
                year,
                Flow.SHADOW,
                county,
                ctx.name(county),
                supporter,
                ctx.name(supporter),
                people=people,
                leaders=n * leaders,
                managers=n * managers,
                teachers=n * teachers,
                from_site_id=school,
                from_site_name=ctx.name(school),
                to_site_id=home,
                to_site_name=ctx.name(home),
                note="1:1 shadows of the team, taking over its posts at its home site",
            )
        )
    return rows


def exchange_rows(ctx: Context, year: int, allocation: YearAllocation) -> list[FlowRow]:
    """Backbone teachers (R09), school leaders and middle managers (R10) shadowing at supporters."""
    rows = [
        FlowRow(
            ctx.round,
            year,
            Flow.BACKBONE_SHADOW,
            c,
            ctx.name(c),
            h,
            ctx.name(h),
            people=n,
            note="backbone teachers shadowing for one semester",
        )
        for (c, h), n in sorted(allocation.backbone.items())
    ]
    for flow, amounts, what in (
        (Flow.LEADER_SHADOW, allocation.leaders, "school leaders"),
        (Flow.MANAGER_SHADOW, allocation.managers, "middle managers"),
    ):
        for (r, h), n in sorted(amounts.items()):
            rows.append(
                FlowRow(
                    ctx.round,
                    year,
                    flow,
                    r,
                    ctx.name(r),
                    h,
                    ctx.name(h),
                    people=n,
                    note=f"{what} shadowing at the PRD partner for one semester",
                )
            )
    return rows
