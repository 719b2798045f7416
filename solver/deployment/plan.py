"""The annual deployment plan of a round: teams, shadows and every yearly quota, year by year.

`plan_deployments` takes the roster, the rules and the round's structural pairs and, for each
year of the round (solver.policy.round_years):

1. allocates teaching teams, backbone teachers and leaders under the supporters' capacities
   (solver.deployment.model: min-cost flows with measured shortfalls; solver.deployment.allocation);
2. stations the teams at receiving schools and sends their 1:1 shadows to the teams' home
   sites (solver.deployment.sites);
3. adds the quotas that need no choice of capacity (solver.deployment.quotas);
4. totals the funding of everyone on teaching or shadowing duty per supporter (R20, below).

The roster and the pairs are the same in every year of a round, so step 1 repeats its answer;
it is solved per year all the same (milliseconds) so that year-specific capacities need no
other change. Where teams are stationed, training cohorts and education groups change by year.
The flows and their columns are documented in solver.deployment_table. A plan that cannot meet
a quota is a plan with status `short` and shortfalls in words, never an exception.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from solver.deployment.allocation import Carry, Context, exchange_rows, team_rows, year_problem
from solver.deployment.annex import annex_rows
from solver.deployment.carry import still_owed, unmade
from solver.deployment.costs import cost_rows, fund_rows, over_budget
from solver.deployment.model import allocate_year
from solver.deployment.parties import Network
from solver.deployment.quotas import quota_rows
from solver.deployment.requests import asks_of
from solver.deployment.shortfalls import shortfall_rows, shortfalls
from solver.deployment.sites import Sites
from solver.domain.costs import Assessment, CostRow, assessment_problems, costs_csv_bytes
from solver.domain.flows import (
    DUTY_FLOWS,
    Flow,
    FlowRow,
    Payer,
    deployments_csv_bytes,
    sort_rows,
)
from solver.domain.pairs import Pair
from solver.domain.policy import round_years
from solver.domain.problems import InputError, Problem
from solver.domain.report import DeploymentSummary, OverBudget, PartOut, Shortfall
from solver.domain.results import PartResult
from solver.roster.models import Roster
from solver.rules.params import R20
from solver.rules.ruleset import DEFAULT_RULES, RuleSet


class DeploymentStatus(StrEnum):
    COMPLETE = "complete"  # every quota of every year is met
    SHORT = "short"  # a plan, but some receivers are short; `shortfalls` say of what
    NOT_PLANNED = "not_planned"  # no structural pairs to deploy along
    UNKNOWN = "unknown"  # a year's flow did not solve (not expected: every demand has a shortfall arc)


@dataclass
class DeploymentRequest:
    roster: Roster
    round: str
    pairs: Sequence[Pair]
    rules: RuleSet = DEFAULT_RULES
    assessment: Assessment | None = None  # the latest assessment of receiving counties (R38), if any
    years: Sequence[int] | None = None  # a re-plan plans only these years of the round
    carry: Carry = field(default_factory=dict)  # what recorded years owe: solver.deployment.carry


@dataclass
class DeploymentPlan:
    round: str
    status: DeploymentStatus
    rows: list[FlowRow]
    shortfalls: list[Shortfall]
    explanation: list[str]
    parts: list[PartResult]
    runtime_s: float
    costs: list[CostRow] = field(default_factory=list)
    over_budget: list[OverBudget] = field(default_factory=list)
    _csv: dict[int | None, bytes] = field(default_factory=dict, repr=False, compare=False)

    def costs_csv(self) -> bytes:
        """costs.csv (R37): one row per payer, year and flow."""
        return costs_csv_bytes(self.costs)

    def csv_bytes(self, year: int | None = None) -> bytes:
        """deployments.csv (all years, or one year's rows); written once, then remembered."""
        if year not in self._csv:
            self._csv[year] = deployments_csv_bytes(self.rows, year)
        return self._csv[year]

    def summary(self) -> DeploymentSummary:
        """For report.json: no run times, so the same plan gives the same bytes."""
        people: dict[str, dict[str, int]] = {}
        budget_of: dict[int, int] = {}
        for row in self.rows:
            budget_of[row.year] = budget_of.get(row.year, 0) + (row.yuan or 0 if row.flow == Flow.BUDGET else 0)
            if row.flow != Flow.SHORTFALL:
                year = people.setdefault(str(row.year), {})
                year[row.flow.value] = year.get(row.flow.value, 0) + row.people
        budget = {str(y): budget_of[y] for y in sorted(budget_of)}
        return DeploymentSummary(
            round=self.round,
            status=self.status.value,
            parts=[PartOut.of(p) for p in self.parts],
            rows=sum(row.flow != Flow.SHORTFALL for row in self.rows),
            people_by_year_and_flow={y: dict(sorted(f.items())) for y, f in sorted(people.items())},
            budget_yuan_by_year=budget,
            cost_yuan_by_year={
                str(y): sum(c.amount for c in self.costs if c.year == y) for y in sorted({c.year for c in self.costs})
            },
            over_budget=list(self.over_budget),
            shortfalls=list(self.shortfalls),
            explanation=list(self.explanation),
        )


def not_planned(round_id: str, why: str) -> DeploymentPlan:
    return DeploymentPlan(round_id, DeploymentStatus.NOT_PLANNED, [], [], [why], [], 0.0)


def plan_deployments(request: DeploymentRequest) -> DeploymentPlan:
    started = time.perf_counter()
    if not request.pairs:
        return not_planned(request.round, "no structural pairs: the deployment plan follows the pairs of the round")
    if request.assessment is not None:
        counties = [a.area_id for a in request.roster.receivers()]
        problems = assessment_problems(request.assessment, counties)
        if problems:
            raise InputError([Problem("assessment", None, "score", p) for p in problems])
    network = Network.from_pairs(request.pairs)
    ctx = Context(request.roster, request.rules, request.round, network, Sites(request.roster, network))
    rows: list[FlowRow] = []
    found: list[Shortfall] = []
    parts: list[PartResult] = []
    years = [y for y in round_years(request.round) if request.years is None or y in request.years]
    owed: Carry = dict(request.carry)
    for index, year in enumerate(round_years(request.round)):
        if year not in years:
            continue
        asks = asks_of(request.roster, year)
        problem = year_problem(ctx, year, asks, owed)
        allocation = allocate_year(problem)
        parts.append(allocation.part)
        if not allocation.part.status.has_plan:
            return DeploymentPlan(
                request.round,
                DeploymentStatus.UNKNOWN,
                [],
                [],
                [f"{year}: the deployment flows found no plan (the min-cost flow did not solve)"],
                parts,
                time.perf_counter() - started,
            )
        year_rows = team_rows(ctx, year, index, allocation, asks) + exchange_rows(ctx, year, allocation)
        year_rows += quota_rows(ctx, year)
        annex, annex_short = annex_rows(ctx, year)
        year_rows += annex + fund_rows(request.roster, request.rules, request.round, year, request.assessment)
        year_rows += budget_rows(ctx, year, year_rows)
        year_short = shortfalls(ctx, year, allocation, asks) + annex_short
        rows += year_rows + shortfall_rows(ctx, year_short)
        found += year_short
        owed = still_owed(owed, problem, allocation)
    if request.carry and years:
        carried = unmade(ctx, years, request.carry, owed)
        rows += shortfall_rows(ctx, carried)
        found += carried
    # Short of what a receiver asked beyond the floor is reported, but the plan still meets the policy.
    status = DeploymentStatus.SHORT if any(s.against == "floor" for s in found) else DeploymentStatus.COMPLETE
    costs = cost_rows(request.roster, request.rules, rows)
    return DeploymentPlan(
        request.round,
        status,
        sort_rows(rows),
        found,
        [s.message for s in found],
        parts,
        time.perf_counter() - started,
        costs,
        over_budget(request.roster, costs, round_years(request.round)),
    )


def duty_payer(row: FlowRow, receivers: set[str]) -> str | None:
    """The supporter that funds a row's people, or None when the row is not teaching or shadowing duty."""
    payer = DUTY_FLOWS.get(row.flow)
    if payer == Payer.SENDER:
        return row.from_id
    if payer == Payer.HOST:
        return row.to_id
    if payer == Payer.SUPPORTER:
        return row.to_id if row.from_id in receivers else row.from_id
    return None


def budget_rows(ctx: Context, year: int, rows: Iterable[FlowRow]) -> list[FlowRow]:
    """R20: at least 40,000 yuan a person a year on teaching or shadowing duty, per supporter."""
    rate = ctx.rules.of(R20).yuan_per_person_min
    receivers = set(ctx.counties) | set(ctx.cities)
    people: Counter[str] = Counter()
    for row in rows:
        payer = duty_payer(row, receivers)
        if payer:
            people[payer] += row.people
    return [
        FlowRow(
            ctx.round,
            year,
            Flow.BUDGET,
            payer,
            ctx.name(payer),
            "",
            "",
            people=n,
            yuan=n * rate,
            note=f"{rate:,} yuan a person on teaching or shadowing duty it sends or hosts",
        )
        for payer, n in sorted(people.items())
        if n > 0
    ]
