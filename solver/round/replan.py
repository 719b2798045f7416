"""Re-plan the years left of a round from what the recorded years delivered.

The structural pairs of the base plan are kept as they are (the pairs of a round are its
agreements; a re-plan of the work does not re-pair). The recorded years' rows are the actuals
(what was delivered, solver.actuals.delivered_rows); the years from `from_year` on are planned
again by solver.deployment with what the recorded years fell behind the plan carried as extra
demand where capacity allows (solver.deployment.carry). The independent checker judges the
re-planned years and counts the recorded ones only towards the round's totals.

The pairs are not solved again, so the result's status is `feasible` with the kept pairs' score
as its objective and no bound: nothing was proven about them in this run.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from solver.actuals.assess import AssessmentReport, assess, owed
from solver.actuals.makeup import FOLLOWING, MADE_UP_IN_ROWS, made_up, owed_rows
from solver.actuals.table import Actual, PlanRows, RowKey, delivered_rows, recorded_in_plan
from solver.check import DEPLOYMENT_CHECKS, check_deployments
from solver.deployment import DeploymentPlan, DeploymentRequest, DeploymentStatus, plan_deployments
from solver.deployment.costs import cost_rows, over_budget
from solver.domain.flows import sort_rows
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.policy import round_years
from solver.domain.problems import InputError, Problem
from solver.domain.results import PartResult, SolveStatus
from solver.pairing.solve import PairingResult
from solver.roster.models import Roster
from solver.round.plan import RoundPlan
from solver.round.report import build_report
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

KEPT = "structural pairs kept from the base plan"


@dataclass
class ReplanRequest:
    roster: Roster
    round: str
    pairs: Sequence[Pair]  # the base plan's structural pairs, kept
    planned: Mapping[RowKey, Mapping[str, str]]  # the base plan's deployment rows (solver.actuals.plan_rows)
    actuals: Sequence[Actual]  # of every year before from_year
    from_year: int
    rules: RuleSet = DEFAULT_RULES


@dataclass
class Replan:
    plan: RoundPlan
    assessment: AssessmentReport
    carry: dict[tuple[str, str], int]
    recorded_years: list[int]


def with_recorded(planned: PlanRows, from_year: int, actuals: Sequence[Actual]) -> list[Actual]:
    """The actuals, plus those of years before `from_year` that the base (itself a re-plan) already
    holds as delivered and that were not recorded again."""
    have = {a.year for a in actuals}
    found = list(actuals)
    for year in sorted({int(r["year"]) for r in planned.values()}):
        if year < from_year and year not in have:
            found += recorded_in_plan(planned, year) or []
    return found


def recorded_years_of(round_id: str, from_year: int, actuals: Sequence[Actual]) -> list[int]:
    """The years before `from_year`; InputError unless `from_year` is a later year of the round and
    every year before it has actuals."""
    years = round_years(round_id)
    if from_year not in years[1:]:
        raise InputError(
            [Problem("actuals", None, "from_year", f"{from_year} is not a year of {round_id} after its first")]
        )
    recorded = [y for y in years if y < from_year]
    have = {a.year for a in actuals}
    missing = [y for y in recorded if y not in have]
    if missing:
        raise InputError(
            [
                Problem(
                    "actuals", None, "year", f"no actuals are recorded for {y}; record every year before {from_year}"
                )
                for y in missing
            ]
        )
    return recorded


def kept_pairs(round_id: str, pairs: Sequence[Pair]) -> PairingResult:
    by_kind: Counter[Kind] = Counter()
    for pair in pairs:
        by_kind[pair.kind] += pair.score_total
    objective = sum(by_kind.values())
    part = PartResult(KEPT, SolveStatus.FEASIBLE, objective, None, 0.0)
    return PairingResult(
        round_id,
        SolveStatus.FEASIBLE,
        objective,
        None,
        0.0,
        [part],
        list(pairs),
        [f"re-plan: the {len(pairs)} {KEPT}; their score is the objective, not proven again"],
        {k: by_kind[k] for k in Kind if k in by_kind},
    )


def replan_round(request: ReplanRequest) -> Replan:
    """Raises InputError when from_year is not a later year of the round or a year before it has no actuals."""
    started = time.perf_counter()
    given = with_recorded(request.planned, request.from_year, request.actuals)
    recorded = recorded_years_of(request.round, request.from_year, given)
    actuals = [a for a in given if a.year in recorded]
    assessment = assess(request.roster, request.round, request.planned, actuals, recorded, request.rules)
    in_rows = owed_rows(request.planned, actuals, recorded)
    handled = MADE_UP_IN_ROWS | FOLLOWING  # made up in rows, or with the flows they follow
    carry = {k: v for k, v in owed(request.roster, request.planned, actuals, recorded).items() if k[0] not in handled}
    left = [y for y in round_years(request.round) if y >= request.from_year]
    result = kept_pairs(request.round, request.pairs)
    scores = assessment.score_by_county()  # the province's fund of the years left follows the assessment (R38)
    planned = plan_deployments(
        DeploymentRequest(request.roster, request.round, request.pairs, request.rules, scores, years=left, carry=carry)
    )
    rows = sort_rows(delivered_rows(actuals) + made_up(planned.rows, in_rows, left[0]))
    costs = cost_rows(request.roster, request.rules, rows)
    explanation = [f"{', '.join(map(str, recorded))}: as delivered (actuals); {left[0]}–{left[-1]}: re-planned"]
    deployment = DeploymentPlan(
        request.round,
        planned.status,
        rows,
        planned.shortfalls,
        explanation + planned.explanation,
        planned.parts,
        time.perf_counter() - started,
        costs,
        over_budget(request.roster, costs, round_years(request.round)),
    )
    violations = []
    checked: tuple[str, ...] = ()
    if deployment.status in (DeploymentStatus.COMPLETE, DeploymentStatus.SHORT):
        violations = check_deployments(
            request.roster,
            request.pairs,
            deployment.csv_bytes(),
            request.round,
            request.rules,
            assessment=scores,
            costs=deployment.costs_csv(),
            recorded_years=recorded,
        )
        checked = DEPLOYMENT_CHECKS
    report = build_report(request.roster, request.rules, result, (), violations, checked, deployment.summary())
    return Replan(RoundPlan(result, report, deployment), assessment, carry, recorded)
