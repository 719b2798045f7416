"""The rule report of a round (report.json): every rule of the catalogue with its status and violations.

Statuses come from the independent checkers (solver.check), never from the solver's own word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from solver.check import (
    DEPLOY_RULE,
    PIN_RULE,
    ROUND_RULE,
    Violation,
    check_pairs,
    priority_measures,
)
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.pins import Pin
from solver.domain.report import (
    DeploymentSummary,
    PartOut,
    Report,
    RuleOut,
    RuleStatus,
    ViolationOut,
)
from solver.pairing.solve import PairingResult
from solver.roster.models import Roster
from solver.round.measures import load_ratio_spread, load_to_fair_spread, over_limits, supporter_rows, tie_shares
from solver.rules.catalogue import CheckedBy
from solver.rules.ruleset import RuleSet

CHECKS = {
    PIN_RULE: "coordinator pins (fixed and forbidden pairs)",
    ROUND_RULE: "every pair belongs to the plan's round",
    DEPLOY_RULE: "the deployment table reads as a plan of the round (columns, flows, numbers, years)",
}
"""Checks of the plan's form beyond the catalogue's rules, by the id their violations carry."""


def _violations(found: Sequence[Violation], rule_id: str) -> list[ViolationOut]:
    return [ViolationOut(message=v.message, ids=list(v.ids)) for v in found if v.rule == rule_id]


def rule_entries(rules: RuleSet, violations: Sequence[Violation], checked: set[str]) -> list[RuleOut]:
    entries = []
    for rule in rules.rules.values():
        found = _violations(violations, rule.id)
        if not rule.hard:
            status = RuleStatus.SOFT
        elif rule.id not in checked:
            status = RuleStatus.NOT_CHECKED
        else:
            status = RuleStatus.FAIL if found else RuleStatus.PASS
        entries.append(
            RuleOut(
                id=rule.id,
                title=rule.title,
                clause=rule.clause,
                hard=rule.hard,
                params=rule.params.model_dump(),
                status=status,
                violations=found,
            )
        )
    for check_id, title in CHECKS.items():
        if check_id == DEPLOY_RULE and DEPLOY_RULE not in checked:
            continue
        found = _violations(violations, check_id)
        entries.append(
            RuleOut(
                id=check_id,
                title=title,
                clause="",
                hard=True,
                params={},
                status=RuleStatus.FAIL if found else RuleStatus.PASS,
                violations=found,
            )
        )
    return entries


def build_report(
    roster: Roster,
    rules: RuleSet,
    result: PairingResult,
    pins: Sequence[Pin],
    deployment_violations: Sequence[Violation] = (),
    deployment_checks: Sequence[str] = (),
    deployments: DeploymentSummary | None = None,
) -> Report:
    pairs: Sequence[Pair] = result.pairs
    violations = list(check_pairs(roster, pairs, pins)) if pairs else []
    violations += list(deployment_violations)
    checked = set(deployment_checks)
    supporters = supporter_rows(roster, rules, pairs) if pairs else []
    if pairs:
        checked |= {r.id for r in rules.hard_rules(CheckedBy.PAIRS)}
    return Report(
        round=result.round,
        status=result.status.value,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        parts=[PartOut.of(p) for p in result.parts],
        objective_by_kind={k.value: v for k, v in result.objective_by_kind.items()},
        pairs_by_kind={k.value: sum(p.kind == k for p in pairs) for k in Kind},
        explanation=list(result.explanation),
        passes_checker=bool(pairs) and not violations,
        violations=len(violations),
        priority_measures=priority_measures(roster, pairs) if pairs else {},
        weights=rules.weights.model_dump(),
        deployment_weights=rules.deployment_weights.model_dump(),
        rules=rule_entries(rules, violations, checked),
        supporters=supporters,
        load_ratio_spread=load_ratio_spread(supporters),
        load_to_fair_spread=load_to_fair_spread(supporters),
        ties=tie_shares(roster, pairs) if pairs else [],
        over_limits=over_limits(roster, rules, pairs),
        deployments=deployments,
    )


def supporter_table(report: Report, name_of: Callable[[str], str]) -> list[str]:
    """The report's supporter cities as a Markdown table (the CLI prints it; the README shows it)."""
    lines = [
        "| supporter | receiving cities | counties | receiving teachers | own teachers | load ratio "
        "| strength share | fair load | load ÷ fair | GDP 2020 (亿元) | pairs on a tie | distance (km) |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in report.supporters:
        gdp = "" if row.gdp_yuan_1e8 is None else f"{row.gdp_yuan_1e8:,.0f}"
        lines.append(
            f"| {row.name} | {'、'.join(name_of(c) for c in row.receiving_cities)} | {row.receiving_counties} "
            f"| {row.receiving_teachers:,} | {row.own_teachers:,} | {row.load_ratio:.2f} | {row.strength_share:.1%} "
            f"| {row.fair_load:,} | {row.load_to_fair:.2f} | {gdp} | {row.pairs_following_ties} | {row.distance_km:,.0f} |"
        )
    return lines


def budget_lines(summary: DeploymentSummary, shown: int = 10) -> list[str]:
    """The round's costs by year (R37) and the payers over their budget, largest excess first."""
    total = sum(summary.cost_yuan_by_year.values())
    lines = [
        "costs (R37, costs.csv): "
        + ", ".join(f"{year} {amount:,}" for year, amount in summary.cost_yuan_by_year.items())
        + f"; {total:,} yuan in all"
    ]
    if not summary.over_budget:
        return [*lines, "over budget: nobody whose budget is in budgets.csv"]
    parties = len({o.party_id for o in summary.over_budget})
    lines.append(f"over budget (budgets.csv): {parties} payer(s) in {len(summary.over_budget)} year(s):")
    lines += [
        f"  {o.name}（{o.party_id}） {o.year}: costs {o.cost:,} yuan, budget {o.budget:,}, over by {o.over:,}"
        for o in summary.over_budget[:shown]
    ]
    if len(summary.over_budget) > shown:
        lines.append(f"  … and {len(summary.over_budget) - shown} more in report.json (deployments.over_budget)")
    return lines
