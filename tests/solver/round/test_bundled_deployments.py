"""The whole round on the bundled roster: every year of 2021–2025 meets R07, R08 and R09 and the
checker passes every deployment rule. One plan, shared by the module."""

from __future__ import annotations

from collections import defaultdict

import pytest

from solver import DEFAULT_RULES, CheckedBy, DeploymentRequest, RoundPlan, plan_deployments, round_years, table_records
from tests.conftest import BUNDLED_ROUND as ROUND


@pytest.fixture(scope="session")
def roster(bundled_roster):
    return bundled_roster


@pytest.fixture(scope="session")
def planned(bundled_round) -> RoundPlan:
    return bundled_round


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
    assert all(statuses[r.id] == "pass" for r in DEFAULT_RULES.hard_rules(CheckedBy.DEPLOYMENTS)), statuses
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
