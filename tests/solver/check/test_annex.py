"""The annex tasks (R27–R38) on a tiny roster: the planner's table passes, and each rule broken once
gives exactly that violation from the independent checker."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from solver.check.deployments import check_deployments
from solver.deployment.plan import DeploymentRequest, plan_deployments
from solver.domain.costs import cost_records
from solver.domain.flows import table_records
from solver.domain.problems import InputError
from solver.roster.annex import Budget, Degrees, Silver
from tests.factories import ROUND, SOURCE, tiny_roster, valid_pairs, with_rows

DAPU, LONGCHUAN, LIWAN = "441422", "441622", "440103"
ROSTER = with_rows(
    tiny_roster(),
    Degrees(area_id=DAPU, principals_below=3, heads_below=1, teachers_below=200, source=f"estimate: {SOURCE}"),
    Degrees(area_id=LONGCHUAN, principals_below=1, heads_below=0, teachers_below=90, source=f"estimate: {SOURCE}"),
    Silver(area_id=LIWAN, people=4, source=SOURCE),
    Silver(area_id=LONGCHUAN, year=2022, people=3, source=SOURCE),
    Budget(party_id="440000", year=2021, amount=1_000_001, purpose="provincial_fund", source=SOURCE),
    Budget(party_id="440000", year=2023, amount=5_000_000, purpose="provincial_fund", source=SOURCE),
    Budget(party_id=LIWAN, year=2021, amount=100_000, purpose="support", source=SOURCE),
    Budget(party_id="440104", year=2021, amount=10**9, purpose="support", source=SOURCE),
)
PAIRS = valid_pairs(ROSTER)
PLAN = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS))
RECORDS = table_records(PLAN.csv_bytes())
COSTS = cost_records(PLAN.costs_csv())

Records = list[dict[str, str]]


def found(records: Records, costs: Records | None = None) -> set[tuple[str, tuple[str, ...]]]:
    return {(v.rule, v.ids) for v in check_deployments(ROSTER, PAIRS, records, ROUND, costs=costs)}


def rows(records: Records, flow: str, **match: str) -> list[dict[str, str]]:
    return [r for r in records if r["flow"] == flow and all(r[k] == v for k, v in match.items())]


def drop(records: Records, flow: str, **match: str) -> None:
    doomed = rows(records, flow, **match)
    assert doomed, (flow, match)
    records[:] = [r for r in records if not any(r is d for d in doomed)]


def test_the_planners_table_and_costs_pass_every_rule():
    assert check_deployments(ROSTER, PAIRS, PLAN.csv_bytes(), ROUND, costs=PLAN.costs_csv()) == []
    assert {r["flow"] for r in RECORDS} >= {
        "principal_training",
        "principal_degree",
        "teacher_degree",
        "teaching_practice",
        "admin_visit",
        "researcher_station",
        "studio_member",
        "education_group_batch",
        "equipment_support",
        "book_support",
        "silver_teacher",
        "provincial_fund",
    }


def test_too_few_silver_teachers_are_a_shortfall_of_the_province():
    short = [s for s in PLAN.shortfalls if s.rule == "R36"]
    assert [s.year for s in short] == [2021, 2022, 2023, 2024, 2025]
    assert short[1].amount == 500 - 7 and short[0].amount == 500 - 4


def test_degree_courses_start_in_time_for_2025():
    started = {int(r["year"]) for r in rows(RECORDS, "principal_degree")}
    assert started == {2021, 2022, 2023, 2024}  # a 2-year course started in 2024 ends in 2025
    assert sum(int(r["people"]) for r in rows(RECORDS, "principal_degree", to_id=DAPU)) == 4
    assert sum(int(r["people"]) for r in rows(RECORDS, "teacher_degree", to_id=LONGCHUAN)) == 90
    assert all(r["source"].startswith("estimate") for r in rows(RECORDS, "teacher_degree"))


def _r27(r: Records, c: Records) -> None:
    drop(r, "principal_training", year="2021", to_id=DAPU)


def _r28(r: Records, c: Records) -> None:
    drop(r, "principal_degree", to_id=DAPU, year="2022")


def _r29(r: Records, c: Records) -> None:
    for row in rows(r, "teacher_degree", to_id=DAPU, year="2021"):
        row["year"] = "2025"  # too late to hold the degree by 2025


def _r30(r: Records, c: Records) -> None:
    rows(r, "teaching_practice", year="2023")[0]["days"] = "29"


def _r31(r: Records, c: Records) -> None:
    drop(r, "admin_visit", year="2023", from_id=DAPU)


def _r32(r: Records, c: Records) -> None:
    drop(r, "researcher_station", year="2024", to_id="jy441422")


def _r33(r: Records, c: Records) -> None:
    drop(r, "studio_member", year="2022", from_id=DAPU)


def _r34(r: Records, c: Records) -> None:
    rows(r, "education_group_batch", year="2024", to_id=DAPU)[0]["activities"] = "0"


def _r35(r: Records, c: Records) -> None:
    row = rows(r, "book_support", year="2025", to_id=DAPU)[0]
    row["items"] = str(int(row["items"]) - 1)


def _r36(r: Records, c: Records) -> None:
    row = rows(r, "silver_teacher", year="2022", from_id=LONGCHUAN)[0]
    row["people"] = str(int(row["people"]) + 1)


def _r37(r: Records, c: Records) -> None:
    row = next(x for x in c if x["party_id"] == LIWAN and x["purpose"] == "teaching_team" and x["year"] == "2023")
    row["amount"] = str(int(row["amount"]) - 40_000)


def _r38(r: Records, c: Records) -> None:
    row = rows(r, "provincial_fund", year="2021", to_id=DAPU)[0]
    row["yuan"] = str(int(row["yuan"]) - 1)


def _practice_ids() -> tuple[str, ...]:
    row = rows(RECORDS, "teaching_practice", year="2023")[0]
    return tuple(sorted((row["from_id"], row["to_id"])))


MUTATIONS: list[tuple[str, Callable[[Records, Records], None], str, tuple[str, ...]]] = [
    ("a cohort of principals untrained", _r27, "R27", (DAPU,)),
    ("principals' degree courses missing", _r28, "R28", (DAPU,)),
    ("teachers' degree courses started too late", _r29, "R29", (DAPU,)),
    ("a practice of 29 days", _r30, "R30", _practice_ids()),
    ("no administrators' visit", _r31, "R31", (DAPU,)),
    ("no 教研员 stationed", _r32, "R32", ("jy440103", "jy441422")),
    ("no 名师工作室 members", _r33, "R33", (LIWAN, DAPU)),
    ("no education group of the year", _r34, "R34", (LIWAN, DAPU)),
    ("a book short", _r35, "R35", (LIWAN, DAPU)),
    ("a 银龄 teacher the roster does not list", _r36, "R36", (LONGCHUAN,)),
    ("a cost row that does not add up", _r37, "R37", (LIWAN,)),
    ("a yuan of the provincial fund missing", _r38, "R38", (DAPU,)),
]


@pytest.mark.parametrize(("name", "change", "rule", "ids"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_annex_rule_broken_once_gives_exactly_its_violation(name, change, rule, ids):
    records, costs = copy.deepcopy(RECORDS), copy.deepcopy(COSTS)
    change(records, costs)
    # the cost table follows the rows, so it is given only where the cost table itself is broken
    assert found(records, costs if rule == "R37" else None) == {(rule, tuple(sorted(ids)))}, name


def test_an_assessment_moves_the_fund_and_the_checker_follows_it():
    scores = {DAPU: 100.0, LONGCHUAN: 0.0}
    plan = plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS, assessment=scores))
    fund = {r.to_id: r.yuan or 0 for r in plan.rows if r.flow == "provincial_fund" and r.year == 2021}
    need = {r["to_id"]: int(r["yuan"]) for r in rows(RECORDS, "provincial_fund", year="2021")}
    assert sum(fund.values()) == sum(need.values()) == 1_000_001
    assert fund[DAPU] > need[DAPU] and fund[LONGCHUAN] < need[LONGCHUAN]
    assert check_deployments(ROSTER, PAIRS, plan.csv_bytes(), ROUND, assessment=scores) == []
    assert {v.rule for v in check_deployments(ROSTER, PAIRS, plan.csv_bytes(), ROUND)} == {"R38"}


@pytest.mark.parametrize("scores", [{DAPU: 101.0}, {"441900": 50.0}, {DAPU: True}])
def test_a_bad_assessment_is_an_input_error_naming_the_county(scores):
    with pytest.raises(InputError) as caught:
        plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS, assessment=scores))
    assert next(iter(scores)) in str(caught.value.problems[0])


def test_costs_add_up_from_their_rows_and_name_who_is_over_budget():
    summary = PLAN.summary()
    for year, total in summary.cost_yuan_by_year.items():
        assert total == sum(int(c["amount"]) for c in COSTS if c["year"] == year)
    liwan = sum(int(c["amount"]) for c in COSTS if c["party_id"] == LIWAN and c["year"] == "2021")
    over = [(o.party_id, o.year, o.cost, o.budget, o.over) for o in summary.over_budget]
    # 荔湾 set aside 100,000 yuan for 2021 and nothing for later years: over in every year
    assert (LIWAN, 2021, liwan, 100_000, liwan - 100_000) in over
    assert {o.year for o in summary.over_budget if o.party_id == LIWAN} == {2021, 2022, 2023, 2024, 2025}
    # 越秀 budgeted 10 亿 for 2021 only; 罗湖 budgeted nothing and is not compared
    assert ("440104", 2021) not in {(o.party_id, o.year) for o in summary.over_budget}
    assert "440303" not in {o.party_id for o in summary.over_budget}
    assert PLAN.costs_csv() == plan_deployments(DeploymentRequest(ROSTER, ROUND, PAIRS)).costs_csv()


def test_a_duty_rate_below_r20s_floor_is_refused():
    from solver.rules import apply_overrides

    with pytest.raises(InputError) as caught:
        apply_overrides({"R37": {"duty_person_year": 39_999}})
    assert "R37.duty_person_year" in str(caught.value.problems[0])
