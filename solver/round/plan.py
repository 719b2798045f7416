"""One round planned end to end: pairs, the annual deployment plan, then the independent checks, as files' bytes.

This is the one entry point that the CLI and the service share, so both write the same bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from solver.check import DEPLOYMENT_CHECKS, Violation, check_deployments
from solver.deployment import (
    DeploymentPlan,
    DeploymentRequest,
    DeploymentStatus,
    not_planned,
    plan_deployments,
)
from solver.domain.costs import Assessment, costs_csv_bytes
from solver.domain.flows import deployments_csv_bytes
from solver.domain.pairs import pairs_csv_bytes
from solver.domain.report import Report
from solver.domain.results import Progress
from solver.pairing.solve import PairingRequest, PairingResult, plan_pairs
from solver.round.report import build_report


@dataclass
class RoundPlan:
    result: PairingResult
    report: Report
    deployment: DeploymentPlan | None = None

    @property
    def passes_checker(self) -> bool:
        return self.report.passes_checker

    def pairs_csv(self) -> bytes:
        return pairs_csv_bytes(self.result.pairs)

    def deployments_csv(self, year: int | None = None) -> bytes:
        """deployments.csv: every year of the round, or only `year`'s rows (just the header when none)."""
        if self.deployment is None:
            return deployments_csv_bytes([], year)
        return self.deployment.csv_bytes(year)

    def costs_csv(self) -> bytes:
        """costs.csv (R37): what each payer's work costs, a row per payer, year and flow."""
        return costs_csv_bytes([] if self.deployment is None else self.deployment.costs)

    def report_json(self) -> str:
        return self.report.json_text()


def plan_round(request: PairingRequest, assessment: Assessment | None = None) -> RoundPlan:
    """Solve the round's pairing and deployments and check both against every hard rule.

    `assessment` is the latest assessment of the receiving counties (county id → score, 0–100),
    which R38 weighs in allocating the provincial fund; without one the fund follows need alone.
    Raises InputError on bad input; a plan that cannot meet a rule is a status and an explanation.
    """
    started = time.perf_counter()
    result = plan_pairs(request)
    if result.status.has_plan:
        if request.on_progress is not None:
            request.on_progress(Progress("deployments", result.objective, result.bound, time.perf_counter() - started))
        deployment = plan_deployments(
            DeploymentRequest(request.roster, request.round, result.pairs, request.rules, assessment)
        )
    else:
        deployment = not_planned(request.round, "no structural plan, so no deployments along it")
    violations: list[Violation] = []
    checked: tuple[str, ...] = ()
    if deployment.status in (DeploymentStatus.COMPLETE, DeploymentStatus.SHORT):
        violations = check_deployments(
            request.roster,
            result.pairs,
            deployment.csv_bytes(),
            request.round,
            request.rules,
            assessment=assessment,
            costs=deployment.costs_csv(),
        )
        checked = DEPLOYMENT_CHECKS
    report = build_report(
        request.roster, request.rules, result, request.pins, violations, checked, deployment.summary()
    )
    return RoundPlan(result, report, deployment)
