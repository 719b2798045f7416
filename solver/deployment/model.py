"""One year's allocation of people under supporter capacities: two min-cost flows with shortfall arcs.

Choices exist where several supporters can serve a receiver and share their capacity among
several receivers. Both problems are transportation problems, so a min-cost flow (ortools'
network simplex, exact and integral) solves them optimally in milliseconds:

- teaching teams (R07): source → supporter s (capacity: whole teams its send capacity holds)
  → receiving county c (at most teams_min from one supporter) → demand teams_min per county;
- hosting (R09, R10): source → host h (capacity: its host capacity) → backbone teachers of
  county c (R09), school leaders and middle managers of receiver r (R10) → demand of each
  quota's minimum.

Every demand also has a shortfall arc straight from the source, so the flow always exists and
its shortfall arcs measure what cannot be met. Integer costs per unit (solver.rules.catalogue weights),
in decreasing order: a person short (a team counts its members; more in R21 priority counties,
plus a tie-break by a stable receiver order, so who falls short is decided by the costs, not by
the algorithm); supporter preference per team (county partner first), or per leader (county
partner before city partner); a backbone teacher beyond an even share of the county's hosts
('分别到支援市、县、教研机构、师范类院校'); one point per person placed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from solver.domain.results import PartResult, SolveStatus

Edge = tuple[str, str]


@dataclass(frozen=True)
class Quota:
    """What a receiver should get of one flow in a year: the policy's floor, and what it asked beyond it."""

    floor: int
    asked: int = 0
    carried: int = 0  # owed from recorded years (a re-plan's make-up), beyond floor and asked

    @property
    def total(self) -> int:
        return self.floor + self.asked + self.carried


@dataclass
class YearProblem:
    name: str
    team_supporters: dict[str, list[str]]  # receiving county -> supporters, in preference order
    team_cost: dict[Edge, int]  # (supporter, county) -> points per team
    send_capacity: dict[str, int]  # supporter -> people a year
    team_size: int
    teams: dict[str, Quota]  # receiving county -> teams
    backbone_hosts: dict[str, list[str]]  # receiving county -> hosts
    backbone: dict[str, Quota]
    leader_hosts: dict[str, list[str]]  # R10 receiver (city or county) -> PRD partners, preferred first
    leaders: dict[str, Quota]
    managers: dict[str, Quota]
    host_capacity: dict[str, int]
    short_weight: dict[str, int]  # receiver -> points per person short of the floor
    short_asked_weight: int = 1_000  # points per person short of what a receiver asked beyond the floor
    preferred: frozenset[Edge] = frozenset()  # (supporter, receiver) pairs a receiver asked for (R25)
    prefer_bonus: int = 0  # points less per team or person from a preferred supporter
    spread_weight: int = 1
    short_carried_weight: int = 5_500  # points per person of a make-up not made: between floor and asked


@dataclass
class YearAllocation:
    part: PartResult
    teams: dict[Edge, int] = field(default_factory=dict)  # (supporter, county)
    backbone: dict[Edge, int] = field(default_factory=dict)  # (county, host)
    leaders: dict[Edge, int] = field(default_factory=dict)  # (receiver, host)
    managers: dict[Edge, int] = field(default_factory=dict)
    short_teams: dict[str, int] = field(default_factory=dict)  # short of the floor
    short_backbone: dict[str, int] = field(default_factory=dict)
    short_leaders: dict[str, int] = field(default_factory=dict)
    short_managers: dict[str, int] = field(default_factory=dict)
    asked_teams: dict[str, int] = field(default_factory=dict)  # short of what was asked beyond the floor
    asked_backbone: dict[str, int] = field(default_factory=dict)
    asked_leaders: dict[str, int] = field(default_factory=dict)
    asked_managers: dict[str, int] = field(default_factory=dict)
    carried_teams: dict[str, int] = field(default_factory=dict)  # make-up owed from recorded years, not made
    carried_backbone: dict[str, int] = field(default_factory=dict)
    carried_leaders: dict[str, int] = field(default_factory=dict)
    carried_managers: dict[str, int] = field(default_factory=dict)


Tag = tuple[str, ...]
"""An arc's tag: what its flow means ('team', supporter, county), ('short_teams', county), …"""


class _Network:
    """A min-cost flow with named nodes and tagged arcs; one source supplies every demand."""

    SOURCE = ("source",)

    def __init__(self) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.nodes: dict[Hashable, int] = {self.SOURCE: 0}
        self.tags: list[tuple[int, Tag]] = []
        self.supply = 0

    def node(self, name: Hashable) -> int:
        return self.nodes.setdefault(name, len(self.nodes))

    def arc(self, tail: Hashable, head: Hashable, capacity: int, cost: int, tag: Tag | None = None) -> None:
        if capacity <= 0:
            return
        index = self.flow.add_arc_with_capacity_and_unit_cost(self.node(tail), self.node(head), capacity, cost)
        if tag is not None:
            self.tags.append((index, tag))

    def demand(self, name: Hashable, amount: int) -> None:
        self.flow.set_node_supply(self.node(name), -amount)
        self.supply += amount

    def solve(self) -> tuple[bool, int, dict[Tag, int]]:
        self.flow.set_node_supply(self.nodes[self.SOURCE], self.supply)
        status = self.flow.solve()
        if status != self.flow.OPTIMAL:
            return False, 0, {}
        flows: dict[Tag, int] = {}
        for index, tag in self.tags:
            amount = self.flow.flow(index)
            if amount:
                flows[tag] = flows.get(tag, 0) + amount
        return True, self.flow.optimal_cost(), flows


def _bonus(problem: YearProblem, supporter: str, receiver: str) -> int:
    """The preferred supporter's arcs cost `prefer_bonus` less; all costs stay ≥ 0."""
    return 0 if (supporter, receiver) in problem.preferred else problem.prefer_bonus


def _shortfall_arcs(
    net: _Network, problem: YearProblem, node: Hashable, what: str, receiver: str, quota: Quota, unit: int
) -> None:
    """Every demand can fall short: of the floor at its weight, of the asked part at a lower one."""
    net.arc(net.SOURCE, node, quota.floor, problem.short_weight[receiver] * unit, (f"short_{what}", receiver))
    net.arc(net.SOURCE, node, quota.asked, problem.short_asked_weight * unit, (f"asked_{what}", receiver))
    net.arc(net.SOURCE, node, quota.carried, problem.short_carried_weight * unit, (f"carried_{what}", receiver))


def _teams(problem: YearProblem) -> _Network:
    net = _Network()
    for s, capacity in sorted(problem.send_capacity.items()):
        net.arc(net.SOURCE, ("supporter", s), capacity // problem.team_size, 0)
    for c, supporters in sorted(problem.team_supporters.items()):
        quota = problem.teams.get(c, Quota(0))
        net.demand(("county", c), quota.total)
        for s in supporters:
            cost = problem.team_cost[(s, c)] + problem.team_size + _bonus(problem, s, c)
            net.arc(("supporter", s), ("county", c), quota.total, cost, ("team", s, c))
        _shortfall_arcs(net, problem, ("county", c), "teams", c, quota, problem.team_size)
    return net


def _hosting(problem: YearProblem) -> _Network:
    net = _Network()
    for h, capacity in sorted(problem.host_capacity.items()):
        net.arc(net.SOURCE, ("host", h), capacity, 0)
    for c, hosts in sorted(problem.backbone_hosts.items()):
        quota = problem.backbone.get(c, Quota(0))
        need = quota.total
        net.demand(("backbone", c), need)
        share = math.ceil(need / len(hosts)) if hosts else 0
        for h in hosts:
            bonus = _bonus(problem, h, c)
            net.arc(("host", h), ("backbone", c), share, 1 + bonus, ("backbone", c, h))
            net.arc(("host", h), ("backbone", c), need - share, 1 + problem.spread_weight + bonus, ("backbone", c, h))
        _shortfall_arcs(net, problem, ("backbone", c), "backbone", c, quota, 1)
    for what, quotas in (("leaders", problem.leaders), ("managers", problem.managers)):
        for r, hosts in sorted(problem.leader_hosts.items()):
            quota = quotas.get(r, Quota(0))
            net.demand((what, r), quota.total)
            for rank, h in enumerate(hosts):
                net.arc(("host", h), (what, r), quota.total, 1 + rank + _bonus(problem, h, r), (what, r, h))
            _shortfall_arcs(net, problem, (what, r), what, r, quota, 1)
    return net


def allocate_year(problem: YearProblem) -> YearAllocation:
    started = time.perf_counter()
    ok_teams, cost_teams, team_flows = _teams(problem).solve()
    ok_hosting, cost_hosting, host_flows = _hosting(problem).solve()
    runtime = time.perf_counter() - started
    if not (ok_teams and ok_hosting):
        return YearAllocation(PartResult(problem.name, SolveStatus.UNKNOWN, None, None, runtime))
    objective = cost_teams + cost_hosting
    allocation = YearAllocation(PartResult(problem.name, SolveStatus.OPTIMAL, objective, objective, runtime))
    for tag, amount in {**team_flows, **host_flows}.items():
        kind, *key = tag
        if kind == "team":
            allocation.teams[(key[0], key[1])] = amount
        elif kind in ("backbone", "leaders", "managers"):
            getattr(allocation, kind)[(key[0], key[1])] = amount
        else:
            getattr(allocation, kind)[key[0]] = amount
    return allocation
