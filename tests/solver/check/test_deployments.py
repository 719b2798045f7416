"""The independent deployment checker: the planner's table passes every rule, and a table mutated
to break one rule (or a roster that no longer allows it) is caught by that rule."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from solver.check.deployments import CHECKED_RULES, RULE_CHECKS, check_deployments
from solver.check.deployments.facts import Facts, Table
from solver.check.deployments.table import DEPLOY_RULE, read_rows
from solver.deployment.plan import DeploymentRequest, plan_deployments
from solver.domain.flows import table_records
from solver.roster.models import Roster
from solver.rules import DEFAULT_RULES, CheckedBy
from tests.factories import ROUND, request, tiny_roster, updated, valid_pairs, with_rows

# 广州 440100 → 梅州 441400: 荔湾 440103 → 梅江 441402, 大埔 441422; 越秀 440104 → 蕉岭 441427
# 深圳 440300 → 河源 441600: 罗湖 440303 → 源城 441602; 福田 440304 → 龙川 441622
ROSTER = tiny_roster()
PAIRS = valid_pairs(ROSTER)
PLAN = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS))
RECORDS = table_records(PLAN.csv_bytes())
DAPU, MEIJIANG, LIWAN = "441422", "441402", "440103"

Records = list[dict[str, str]]


def found(records: Records, roster: Roster = ROSTER) -> set[tuple[str, tuple[str, ...]]]:
    return {(v.rule, v.ids) for v in check_deployments(roster, PAIRS, records, ROUND)}


def rules(records: Records, roster: Roster = ROSTER) -> set[str]:
    return {rule for rule, _ in found(records, roster)}


def rows(records: Records, flow: str, **match: str) -> list[dict[str, str]]:
    return [r for r in records if r["flow"] == flow and all(r[k] == v for k, v in match.items())]


def drop(records: Records, flow: str, **match: str) -> None:
    doomed = rows(records, flow, **match)
    assert doomed, (flow, match)
    records[:] = [r for r in records if not any(r is d for d in doomed)]


def first(records: Records, flow: str, **match: str) -> dict[str, str]:
    found_rows = rows(records, flow, **match)
    assert found_rows, (flow, match)
    return found_rows[0]


def test_the_planners_table_passes_every_rule():
    assert PLAN.status == "complete"
    assert check_deployments(ROSTER, PAIRS, PLAN.csv_bytes(), ROUND) == []


@pytest.mark.parametrize("rule", sorted(RULE_CHECKS))
def test_each_rule_passes_on_the_planners_table(rule):
    facts = Facts(ROSTER, DEFAULT_RULES, ROUND, PAIRS)
    table_rows, problems = read_rows(RECORDS, ROUND)
    assert problems == []
    assert RULE_CHECKS[rule](facts, Table(table_rows)) == []


def test_every_deployment_rule_of_the_catalogue_is_checked():
    wanted = {r.id for r in DEFAULT_RULES.hard_rules(CheckedBy.DEPLOYMENTS)}
    assert wanted == set(RULE_CHECKS) and set(CHECKED_RULES) == wanted | {DEPLOY_RULE}


# --- one mutation per clause: (name, change, expected rule, ids the violation names) -----------


def _fewer_teams(r: Records) -> None:
    drop(r, "teaching_team", year="2022", to_id=DAPU)
    drop(r, "shadow", year="2022", from_id=DAPU)


def _team_without_leader(r: Records) -> None:
    row = first(r, "teaching_team", year="2021", to_id=DAPU)
    row["leaders"], row["teachers"] = "0", str(int(row["teachers"]) + 1)


def _team_from_a_stranger(r: Records) -> None:
    for row in rows(r, "teaching_team", year="2023", to_id=DAPU):
        row["from_id"] = "440304"  # 福田区 supports 龙川, not 大埔


def _team_at_another_countys_school(r: Records) -> None:
    first(r, "teaching_team", year="2021", to_id=DAPU)["to_site_id"] = first(
        r, "teaching_team", year="2021", to_id=MEIJIANG
    )["to_site_id"]


def _shadows_short(r: Records) -> None:
    row = first(r, "shadow", year="2024", from_id=DAPU)
    row["people"], row["teachers"] = str(int(row["people"]) - 1), str(int(row["teachers"]) - 1)


def _shadows_to_another_school(r: Records) -> None:
    row = first(r, "shadow", year="2021", from_id=DAPU)
    others = [s.school_id for s in ROSTER.schools.values() if s.area_id == LIWAN and s.school_id != row["to_site_id"]]
    row["to_site_id"] = others[0]


def _shadows_outside_the_supporting_area(r: Records) -> None:
    row = first(r, "shadow", year="2021", from_id=DAPU)
    shenzhen = next(s.school_id for s in ROSTER.schools.values() if s.area_id == "440303")
    for team in rows(r, "teaching_team", year="2021", to_id=DAPU, to_site_id=row["from_site_id"]):
        team["from_site_id"] = shenzhen
    row["to_site_id"] = shenzhen


def _one_school_two_sites(r: Records) -> None:
    row = first(r, "shadow", year="2021", from_id=DAPU)
    twin = dict(row, people="0", leaders="0", managers="0", teachers="0", to_id="440100", to_site_id="440100")
    r.append(twin)


def _backbone_too_few(r: Records) -> None:
    for row in rows(r, "backbone_shadow", year="2021", from_id=DAPU)[:2]:
        row["people"] = "0"


def _backbone_to_a_non_host(r: Records) -> None:
    first(r, "backbone_shadow", year="2021", from_id=DAPU)["to_id"] = "4144010590"  # 深圳大学, non-normal


def _leaders_too_many(r: Records) -> None:
    first(r, "leader_shadow", year="2025", from_id=DAPU)["people"] = "11"


def _managers_to_a_stranger(r: Records) -> None:
    first(r, "manager_shadow", year="2021", from_id=DAPU)["to_id"] = "440303"


def _no_exchange_back(r: Records) -> None:
    drop(r, "school_exchange", year="2021", from_id=DAPU)


def _no_principal_programme(r: Records) -> None:
    drop(r, "principal_programme", year="2021", to_id=DAPU)


def _short_programme(r: Records) -> None:
    row = first(r, "reserve_principal_programme", year="2021", to_id=DAPU)
    row["days"], row["hours"] = "20", "120"


def _backbone_training_short(r: Records) -> None:
    for row in rows(r, "backbone_training", year="2022", to_id=DAPU):
        row["people"] = str(int(row["people"]) // 2)


def _interns_not_released(r: Records) -> None:
    row = first(r, "intern_release", year="2021")
    row["people"] = str(int(row["people"]) - 1)


def _interns_not_marked_as_estimate(r: Records) -> None:
    first(r, "intern_placement", year="2021")["source"] = ""


def _too_few_interns(r: Records) -> None:
    for row in rows(r, "intern_placement", year="2021"):
        row["people"] = "10"
    for row in rows(r, "intern_release", year="2021"):
        row["people"] = "5"


def _too_little_online(r: Records) -> None:
    first(r, "full_training", year="2021", to_id=DAPU)["online_hours"] = "59"


def _not_everyone_trained(r: Records) -> None:
    drop(r, "full_training", year="2025", to_id=DAPU)


def _it_training_too_short(r: Records) -> None:
    first(r, "it_training", year="2021", to_id=DAPU)["hours"] = "20"


def _university_takes_too_few(r: Records) -> None:
    first(r, "university_trainees", year="2021", to_id="4144010590")["people"] = "99"


def _university_exchange_once(r: Records) -> None:
    first(r, "university_exchange", year="2021", from_id="4144010590")["activities"] = "1"


def _no_education_group(r: Records) -> None:
    drop(r, "education_group", to_id=DAPU)


def _visits_leave_a_subject_out(r: Records) -> None:
    row = first(r, "institute_visit", year="2021", to_id="jy441422")
    row["subjects"] = ";".join(s for s in row["subjects"].split(";")[1:])


def _too_few_visits(r: Records) -> None:
    r.remove(first(r, "institute_visit", year="2022", to_id="jy441422", note="visit 5 of 5"))
    first(r, "institute_visit", year="2022", to_id="jy441422", note="visit 4 of 5")["subjects"] += ";历史;科学;劳动"


def _budget_too_small(r: Records) -> None:
    row = first(r, "budget", year="2021", from_id=LIWAN)
    row["yuan"] = str(int(row["yuan"]) - 1)


def _budget_counts_wrong(r: Records) -> None:
    row = first(r, "budget", year="2023", from_id=LIWAN)
    row["people"] = str(int(row["people"]) - 10)


def _province_tours_short(r: Records) -> None:
    first(r, "famous_teacher_tour", year="2021", to_id=DAPU)["people"] = "1"


def _famous_week_too_short(r: Records) -> None:
    first(r, "famous_teacher_week", year="2021", to_id=DAPU)["days"] = "6"


def _unknown_flow(r: Records) -> None:
    first(r, "budget", year="2021")["flow"] = "holiday"


def _not_a_number(r: Records) -> None:
    first(r, "it_training", year="2021")["people"] = "ten"


def _year_of_another_round(r: Records) -> None:
    first(r, "institute_visit", year="2021")["year"] = "2030"


MUTATIONS: list[tuple[str, Callable[[Records], None], str, tuple[str, ...]]] = [
    ("fewer than 3 teams", _fewer_teams, "R07", (DAPU,)),
    ("a team without a leader", _team_without_leader, "R07", (LIWAN, DAPU)),
    ("a team from a party that is not a supporter", _team_from_a_stranger, "R07", ("440304", DAPU)),
    ("a team at another county's school", _team_at_another_countys_school, "R07", None),
    ("fewer shadows than team members", _shadows_short, "R08", (LIWAN, DAPU)),
    ("shadows not at the team's home site", _shadows_to_another_school, "R08", None),
    ("shadows outside the supporting area", _shadows_outside_the_supporting_area, "R08", None),
    ("one school's shadows at two sites", _one_school_two_sites, "R08", None),
    ("too few backbone teachers", _backbone_too_few, "R09", (DAPU,)),
    ("backbone teachers at a non-normal university", _backbone_to_a_non_host, "R09", ("4144010590", DAPU)),
    ("too many school leaders", _leaders_too_many, "R10", (DAPU,)),
    ("managers at a stranger", _managers_to_a_stranger, "R10", ("440303", DAPU)),
    ("no exchange back", _no_exchange_back, "R11", (LIWAN, DAPU)),
    ("no principal programme", _no_principal_programme, "R12", (DAPU,)),
    ("a reserve programme too short", _short_programme, "R12", None),
    ("too little backbone training", _backbone_training_short, "R13", (DAPU,)),
    ("interns not releasing teachers 2:1", _interns_not_released, "R14", None),
    ("intern figures not marked as estimates", _interns_not_marked_as_estimate, "R14", None),
    ("too few interns", _too_few_interns, "R14", None),
    ("too little online training", _too_little_online, "R15", None),
    ("not every teacher trained by 2025", _not_everyone_trained, "R15", (DAPU,)),
    ("IT training too short", _it_training_too_short, "R16", None),
    ("a university takes 99 trainees", _university_takes_too_few, "R17", ("4144010590",)),
    ("a university holds one exchange", _university_exchange_once, "R17", ("4144010590",)),
    ("no education group", _no_education_group, "R18", (LIWAN, DAPU)),
    ("a subject left out of the visits", _visits_leave_a_subject_out, "R19", ("jy440103", "jy441422")),
    ("four visits", _too_few_visits, "R19", ("jy440103", "jy441422")),
    ("a budget below 40,000 yuan a person", _budget_too_small, "R20", (LIWAN,)),
    ("a budget that miscounts people", _budget_counts_wrong, "R20", (LIWAN,)),
    ("province tours short of 200", _province_tours_short, "R22", ("440000",)),
    ("a famous-teacher week of 6 days", _famous_week_too_short, "R22", (LIWAN, DAPU)),
    ("an unknown flow", _unknown_flow, DEPLOY_RULE, None),
    ("a figure that is not a number", _not_a_number, DEPLOY_RULE, None),
    ("a row of another round's year", _year_of_another_round, DEPLOY_RULE, None),
]


@pytest.mark.parametrize(("name", "change", "rule", "ids"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_broken_table_is_caught(name, change, rule, ids):
    records = copy.deepcopy(RECORDS)
    change(records)
    caught = found(records)
    assert rule in {r for r, _ in caught}, name
    if ids is not None:
        assert (rule, tuple(sorted(ids))) in caught, sorted(caught)


ROSTER_RULES = {"R25"}  # broken by a roster change under the table, below


def test_every_rule_has_a_breaking_mutation():
    from tests.solver.check.test_annex import MUTATIONS as ANNEX_MUTATIONS

    assert {m[2] for m in MUTATIONS + ANNEX_MUTATIONS} | ROSTER_RULES == set(CHECKED_RULES)


def test_a_supporter_the_receiver_asked_to_avoid_is_caught():
    """R25: 大埔 asks to avoid 荔湾's teams; the table (planned without that request) still has one."""
    assert ("R07", (LIWAN, DAPU)) not in found(RECORDS)
    asking = with_rows(ROSTER, request(DAPU, "teaching_team", 3, avoid_supporter_id=LIWAN))
    assert ("R25", (LIWAN, DAPU)) in found(RECORDS, asking)
    yearly = with_rows(ROSTER, request(DAPU, "teaching_team", 3, year=2022, avoid_supporter_id=LIWAN))
    caught = [v for v in check_deployments(yearly, PAIRS, RECORDS, ROUND) if v.rule == "R25"]
    assert caught and all(v.message.startswith("2022:") for v in caught)


def test_a_plan_with_the_request_honours_it():
    asking = with_rows(ROSTER, request(DAPU, "teaching_team", 3, avoid_supporter_id=LIWAN))
    plan = plan_deployments(DeploymentRequest(asking, ROUND, PAIRS))
    records = table_records(plan.csv_bytes())
    assert not rows(records, "teaching_team", from_id=LIWAN, to_id=DAPU)
    assert "R25" not in rules(records, asking)


# --- the roster changes under the table: capacities -----------------------------------------


def test_a_supporter_sending_more_than_its_capacity_is_caught():
    assert "R07" not in rules(RECORDS, updated(ROSTER, LIWAN, send_capacity=60))
    smaller = updated(ROSTER, LIWAN, send_capacity=59)  # 荔湾 sends 6 teams of 10
    assert ("R07", (LIWAN,)) in found(RECORDS, smaller)


def test_a_host_taking_more_than_its_capacity_is_caught():
    hosted = sum(
        int(r["people"])
        for r in RECORDS
        if r["year"] == "2021"
        and r["to_id"] == LIWAN
        and r["flow"] in ("backbone_shadow", "leader_shadow", "manager_shadow")
    )
    assert "R09" not in rules(RECORDS, updated(ROSTER, LIWAN, host_capacity=hosted))
    assert ("R09", (LIWAN,)) in found(RECORDS, updated(ROSTER, LIWAN, host_capacity=hosted - 1))


def test_formula_like_names_are_neutralised_and_read_back():
    roster = updated(ROSTER, MEIJIANG, name="=梅江区")
    pairs = valid_pairs(roster)
    data = plan_deployments(DeploymentRequest(roster, ROUND, pairs)).csv_bytes()
    assert ",'=梅江区,".encode() in data and b",=" not in data
    assert any(r["to_name"] == "=梅江区" for r in table_records(data))
    assert check_deployments(roster, pairs, data, ROUND) == []


def test_a_missing_column_is_reported():
    records = [{k: v for k, v in r.items() if k != "people"} for r in RECORDS]
    assert [v.rule for v in check_deployments(ROSTER, PAIRS, records, ROUND)][:1] == [DEPLOY_RULE]
