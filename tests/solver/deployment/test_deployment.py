"""The annual deployment plan on the tiny roster: every yearly quota met, proven by the checker."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from solver.check import check_deployments
from solver.deployment.plan import DeploymentRequest, DeploymentStatus, plan_deployments
from solver.domain.flows import DEPLOYMENT_COLUMNS, table_records
from solver.domain.pairs import Kind
from solver.domain.pins import Pin
from solver.domain.policy import ROUNDS, round_years
from solver.domain.results import SolveOptions
from solver.pairing.solve import PairingRequest
from solver.round.plan import plan_round
from solver.rules import DEFAULT_RULES, CheckedBy
from tests.factories import ROUND, tiny_roster, valid_pairs

ROSTER = tiny_roster(dongguan=True)
PAIRS = valid_pairs(ROSTER)
PLAN = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS))
RECORDS = table_records(PLAN.csv_bytes())
COUNTIES = [a.area_id for a in ROSTER.receivers()]


def totals(flow: str, *keys: str, column: str = "people") -> dict[tuple[str, ...], int]:
    found: dict[tuple[str, ...], int] = defaultdict(int)
    for row in RECORDS:
        if row["flow"] == flow:
            found[tuple(row[k] for k in keys)] += int(row[column])
    return found


def test_every_quota_is_met_and_the_checker_agrees():
    assert PLAN.status == DeploymentStatus.COMPLETE and PLAN.shortfalls == []
    assert check_deployments(ROSTER, PAIRS, PLAN.csv_bytes(), ROUND) == []
    assert {p.name for p in PLAN.parts} == {f"deployments {y}" for y in round_years(ROUND)}


def test_every_county_gets_three_teams_a_year_with_1_to_1_shadows():
    teams = totals("teaching_team", "year", "to_id", column="teams")
    for year in round_years(ROUND):
        for county in COUNTIES:
            assert teams[(str(year), county)] >= 3
    sent = totals("teaching_team", "year", "from_id", "to_id")
    shadows = totals("shadow", "year", "to_id", "from_id")
    assert sent == shadows and len(sent) >= len(COUNTIES) * 5


def test_teams_are_whole_and_land_at_priority_schools_first():
    for row in (r for r in RECORDS if r["flow"] == "teaching_team"):
        posts = [int(row[p]) for p in ("leaders", "managers", "teachers")]
        assert min(posts) >= int(row["teams"]) >= 1 and sum(posts) == int(row["people"])
        assert ROSTER.schools[row["to_site_id"]].area_id == row["to_id"]
    first_year = [r for r in RECORDS if r["flow"] == "teaching_team" and r["year"] == "2021"]
    landing = {r["to_site_id"] for r in first_year}
    for county in COUNTIES:
        priority = {s.school_id for s in ROSTER.schools.values() if s.area_id == county and s.priority}
        assert priority <= landing or len(priority) > 3


def test_teams_move_on_to_other_schools_each_year():
    for county in COUNTIES:
        by_year = [
            {
                r["to_site_id"]
                for r in RECORDS
                if r["flow"] == "teaching_team" and r["to_id"] == county and r["year"] == str(year)
            }
            for year in round_years(ROUND)
        ]
        assert by_year[0] != by_year[1]


def test_backbone_teachers_leaders_and_managers_in_range():
    backbone = totals("backbone_shadow", "year", "from_id")
    leaders, managers = totals("leader_shadow", "year", "from_id"), totals("manager_shadow", "year", "from_id")
    receivers = COUNTIES + [c.city_id for c in ROSTER.receiving_cities()]
    for year in map(str, round_years(ROUND)):
        assert all(30 <= backbone[(year, c)] <= 50 for c in COUNTIES)
        assert all(5 <= leaders[(year, r)] <= 10 and 20 <= managers[(year, r)] <= 30 for r in receivers)


def test_the_county_partner_sends_first():
    partner = {p.receiver_id: p.supporter_id for p in PAIRS if p.kind == Kind.COUNTY_COUNTY}
    for row in (r for r in RECORDS if r["flow"] == "teaching_team"):
        assert row["from_id"] == partner[row["to_id"]]  # the tiny roster's units can send all three


def test_budget_is_40000_yuan_a_person_on_duty():
    budget = totals("budget", "year", "from_id", column="yuan")
    people = totals("budget", "year", "from_id")
    assert budget and all(budget[k] == 40000 * people[k] for k in budget)


def test_interns_are_marked_as_estimates():
    interns = [r for r in RECORDS if r["flow"] in ("intern_placement", "intern_release")]
    assert interns and all(r["source"].startswith("estimate:") for r in interns)


def test_full_training_covers_every_teacher_by_2025():
    trained = totals("full_training", "to_id")
    assert all(trained[(c,)] == ROSTER.areas[c].teachers for c in COUNTIES)


def test_csv_contract_same_bytes_sorted_and_filtered_by_year():
    data = PLAN.csv_bytes()
    again = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS)).csv_bytes()
    assert data == again and data.startswith("\ufeff".encode())
    header, *body = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == DEPLOYMENT_COLUMNS
    assert header[:9] == ["round", "year", "flow", "from_id", "from_name", "to_id", "to_name", "teams", "people"]
    assert body == sorted(body)
    one_year = list(csv.reader(io.StringIO(PLAN.csv_bytes(2023).decode("utf-8-sig"))))
    assert one_year[0] == header and {r[1] for r in one_year[1:]} == {"2023"}
    assert len(one_year) - 1 == sum(r[1] == "2023" for r in body)
    assert PLAN.csv_bytes(1999).decode("utf-8-sig").count("\r\n") == 1


def test_a_later_round_covers_every_teacher_within_its_five_years():
    later = ROUNDS[1]
    pairs = valid_pairs(ROSTER, round_=later)
    plan = plan_deployments(DeploymentRequest(ROSTER, later, pairs))
    assert plan.status == DeploymentStatus.COMPLETE
    assert {r.year for r in plan.rows} == set(round_years(later))
    assert check_deployments(ROSTER, pairs, plan.csv_bytes(), later) == []


def test_rules_toml_parameters_reach_the_plan():
    from solver.rules import apply_overrides

    rules = apply_overrides({"R07": {"teams_per_county_min": 4, "team_teachers": 5}, "R09": {"backbone_min": 35}})
    plan = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS, rules))
    assert check_deployments(ROSTER, PAIRS, plan.csv_bytes(), ROUND, rules) == []
    records = table_records(plan.csv_bytes(2021))
    teams = [r for r in records if r["flow"] == "teaching_team"]
    assert sum(int(r["teams"]) for r in teams) == 4 * len(COUNTIES)
    assert {int(r["people"]) // int(r["teams"]) for r in teams} == {8}
    # the default table falls short of the stricter rules, and the checker says so
    assert {v.rule for v in check_deployments(ROSTER, PAIRS, PLAN.csv_bytes(), ROUND, rules)} >= {"R07", "R09"}


def test_plan_round_carries_the_deployments_into_the_report():
    planned = plan_round(PairingRequest(ROSTER, ROUND, options=SolveOptions(time_limit_s=10, num_workers=1)))
    assert planned.passes_checker
    assert planned.deployments_csv() == planned.deployment.csv_bytes()
    assert planned.deployments_csv(2024) == planned.deployment.csv_bytes(2024)
    statuses = {e.id: e.status for e in planned.report.rules}
    assert all(statuses[r.id] == "pass" for r in DEFAULT_RULES.hard_rules(CheckedBy.DEPLOYMENTS))
    assert statuses["DEPLOY"] == "pass"
    assert planned.report.deployments.status == "complete"


def test_no_pairs_means_no_deployments_and_no_exception():
    # 深圳 pinned to 梅州 (3 receiving counties) cannot work: its units take 2 in all.
    planned = plan_round(
        PairingRequest(
            ROSTER,
            ROUND,
            pins=[Pin(kind=Kind.CITY_CITY, supporter_id="440300", receiver_id="441400")],
            options=SolveOptions(time_limit_s=10, num_workers=1),
        )
    )
    assert not planned.result.status.has_plan
    assert planned.deployments_csv().decode("utf-8-sig").splitlines() == [",".join(DEPLOYMENT_COLUMNS)]
    assert planned.report.deployments.status == "not_planned"
    statuses = {e.id: e.status for e in planned.report.rules}
    assert statuses["R07"] == "not_checked" and "DEPLOY" not in statuses
