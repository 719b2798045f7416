"""A re-plan's make-up: what recorded years owe a receiver, carried into the years left.

The allocation (solver.deployment.model) takes what is owed of a flow it allocates under
capacity — teaching teams (R07), backbone teachers (R09), school leaders and middle managers
(R10) — as extra demand of the first year left, below every year's floor and above what
receivers asked (so no one's floor is given up for it); what a year cannot make up is owed by
the next. What the last year still owes, and what is owed of any other flow the re-plan hands
here (solver.actuals.makeup makes up the quotas that need no capacity in rows), is reported as a
shortfall `against` "carried".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from solver.deployment.allocation import Carry, Context
from solver.deployment.model import YearAllocation, YearProblem
from solver.domain.flows import FLOW_RULE, Flow
from solver.domain.report import Shortfall

ALLOCATED: dict[str, str] = {
    Flow.TEACHING_TEAM.value: "teams",
    Flow.BACKBONE_SHADOW.value: "backbone",
    Flow.LEADER_SHADOW.value: "leaders",
    Flow.MANAGER_SHADOW.value: "managers",
}
"""Flows the allocation can make up, and their name in YearProblem and YearAllocation."""


def still_owed(owed: Carry, problem: YearProblem, allocation: YearAllocation) -> dict[tuple[str, str], int]:
    """What is owed after a year: the year's carried demand that was not met, and what it could not take."""
    left = {}
    for (flow, receiver), amount in owed.items():
        what = ALLOCATED.get(flow)
        if what is None:
            left[(flow, receiver)] = amount
            continue
        quota = getattr(problem, what).get(receiver)
        taken = quota.carried if quota is not None else 0
        made = taken - getattr(allocation, f"carried_{what}").get(receiver, 0)
        if amount - made > 0:
            left[(flow, receiver)] = amount - made
    return left


def unmade(ctx: Context, years: Sequence[int], owed: Mapping[tuple[str, str], int], left: Carry) -> list[Shortfall]:
    """Shortfalls for what the re-planned years could not make up of what recorded years owed."""
    found = []
    for (flow, receiver), amount in sorted(left.items()):
        if amount <= 0:
            continue
        total = owed.get((flow, receiver), amount)
        teams = flow == Flow.TEACHING_TEAM.value
        unit = "teaching teams" if teams else "people"
        why = (
            "its supporters have no more room in those years"
            if flow in ALLOCATED
            else "the re-plan does not raise this flow's yearly figures (they are not a floor it can make up)"
        )
        message = (
            f"{years[0]}–{years[-1]}: {ctx.label(receiver)} was owed {total} {unit} of {flow} by the recorded "
            f"years (actuals); {amount} of them could not be made up: {why}."
        )
        found.append(
            Shortfall(
                year=years[-1],
                receiver_id=receiver,
                rule=FLOW_RULE.get(Flow(flow), "") if flow in {f.value for f in Flow} else "",
                what=f"{flow} owed from recorded years",
                amount=amount,
                people=amount * ctx.team_size if teams else amount,
                message=message,
                against="carried",
            )
        )
    return found
