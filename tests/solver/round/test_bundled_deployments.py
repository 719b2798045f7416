"""The whole round on the bundled roster: every year of 2021–2025 meets R07, R08 and R09 and the
checker passes every deployment rule. One plan, shared by the module."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from solver.deployment.plan import DeploymentRequest, plan_deployments
from solver.domain.flows import table_records
from solver.domain.policy import round_years
from solver.domain.results import SolveOptions
from solver.pairing.solve import PairingRequest
from solver.roster.io import load_roster
from solver.round.plan import RoundPlan, plan_round
from solver.rules import DEFAULT_RULES

BUNDLED = Path(__file__).resolve().parents[3] / "data" / "guangdong"
ROUND = "2021-2025"

@pytest.fixture(scope="module")
def roster():
    return load_roster(BUNDLED)


@pytest.fixture(scope="module")
def planned(roster) -> RoundPlan:
    return plan_round(PairingRequest(roster, ROUND, options=SolveOptions(time_limit_s=30, num_workers=2)))


@pytest.fixture(scope="module")
def records(planned):
    return table_records(planned.deployments_csv())


def _totals(records, flow: str, *keys: str, column: str = "people") -> dict[tuple[str, ...], int]:
    found: dict[tuple[str, ...], int] = defaultdict(int)
    for row in records:
        if row["flow"] == flow:
            found[tuple(row[k] for k in keys)] += int(row[column])
    return found


def test_the_round_passes_every_rule(planned):
    assert planned.report.deployments.status == "complete"
    statuses = {e.id: e.status for e in planned.report.rules}
    assert all(statuses[r.id] == "pass" for r in DEFAULT_RULES.hard_rules("deployments")), statuses
    assert planned.passes_checker, planned.report.violations


def test_every_year_every_county_teams_shadows_and_backbone(roster, records):
    counties = [a.area_id for a in roster.receivers()]
    assert len(counties) == 84
    teams = _totals(records, "teaching_team", "year", "to_id", column="teams")
    backbone = _totals(records, "backbone_shadow", "year", "from_id")
    sent = _totals(records, "teaching_team", "year", "from_id", "to_id")
    shadows = _totals(records, "shadow", "year", "to_id", "from_id")
    for year in map(str, round_years(ROUND)):
        for county in counties:
            assert teams[(year, county)] >= 3, (year, county)
            assert 30 <= backbone[(year, county)] <= 50, (year, county)
    assert sent == shadows


def test_replanning_the_deployments_gives_the_same_bytes(roster, planned):
    again = plan_deployments(DeploymentRequest(roster, ROUND, planned.result.pairs))
    assert again.csv_bytes() == planned.deployments_csv()
