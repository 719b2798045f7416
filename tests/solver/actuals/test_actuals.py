"""The yearly cycle on the bundled plan: actuals recorded for 2021 with one county short of its
teams, the assessment names the shortfall with its number, the re-plan of 2022–2025 makes it up
where capacity allows (and reports what it cannot), and the independent checker is the oracle."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from openpyxl import load_workbook

import solver
from solver.check import check_deployments
from tests.factories import updated_many

ROUND = "2021-2025"
SHORT = "440811"  # 麻章区, a receiving county of 湛江


def edited(template: bytes, edit) -> bytes:
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    for row in rows:
        edit(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=solver.ACTUAL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def no_teams_for(county: str):
    """No team went to the county, so none of its people shadowed a team's posts either (R08)."""

    def edit(row: dict[str, str]) -> None:
        if row["flow"] == "teaching_team" and row["to_id"] == county:
            row.update(delivered_teams="0", delivered_people="0", delivered_note="未能派出")
        if row["flow"] == "shadow" and row["from_id"] == county:
            row.update(delivered_people="0")

    return edit


@pytest.fixture(scope="module")
def base(bundled_round):
    deployments = bundled_round.deployments_csv()
    return solver.read_pairs_csv(bundled_round.pairs_csv()), deployments, solver.plan_rows(deployments)


@pytest.fixture(scope="module")
def short_2021(base):
    _, deployments, planned = base
    data = edited(solver.actuals_template(deployments, 2021), no_teams_for(SHORT))
    return solver.read_actuals_csv(data, "actuals-2021.csv", ROUND, planned, 2021)


def teams(records, county: str, year: int) -> int:
    return sum(
        int(r["teams"] or 0)
        for r in records
        if r["flow"] == "teaching_team" and r["to_id"] == county and r["year"] == str(year)
    )


def test_a_template_with_nothing_filled_in_is_delivered_as_planned(bundled_roster, base):
    _, deployments, planned = base
    template = solver.actuals_template(deployments, 2021)
    actuals = solver.read_actuals_csv(template, "a.csv", ROUND, planned, 2021)
    assert len(actuals) == sum(r["year"] == "2021" for r in planned.values())
    assessment = solver.assess(bundled_roster, ROUND, planned, actuals, [2021])
    assert assessment.behind == []
    assert {s.score for s in assessment.scores} == {100.0}
    assert len(assessment.scores) == len(bundled_roster.receivers())
    # stored as the same bytes whatever the order of the rows sent
    assert solver.canonical_actuals(actuals) == solver.canonical_actuals(list(reversed(actuals)))


def test_a_county_short_of_its_teams_is_named_with_its_number(bundled_roster, base, short_2021):
    _, _, planned = base
    assessment = solver.assess(bundled_roster, ROUND, planned, short_2021, [2021])
    county = next(m for m in assessment.of("receiver") if m.party_id == SHORT and m.rule == "R07")
    assert (county.unit, county.planned, county.delivered, county.floor) == ("teams", 3, 0, 3)
    assert (county.behind_plan, county.behind_floor) == (3, 3)
    line = "2021: 麻章区（440811） is 3 teams behind the policy's floor of 3 (R07): 0 delivered of 3 planned."
    assert line in assessment.behind
    # The same sentences in Chinese, in the same order (the web page and the workbook show these).
    assert len(assessment.behind_zh) == len(assessment.behind)
    chinese = assessment.behind_zh[assessment.behind.index(line)]
    assert chinese == "2021年：麻章区（440811）低于政策底线（3支团队，R07）3支团队：计划 3，完成 0。"
    supporter = next(m for m in assessment.of("supporter") if m.rule == "R07" and m.behind_plan)
    assert supporter.behind_plan == 3
    rule = next(m for m in assessment.of("rule") if m.rule == "R07" and m.unit == "teams")
    assert rule.behind_floor == 3 and rule.planned - rule.delivered == 3
    scores = assessment.score_by_county()
    assert scores[SHORT] < 100 and all(0 <= s <= 100 for s in scores.values())
    assert [c for c, s in scores.items() if s < 100] == [SHORT]
    # the score's formula: the mean over the county's rules of min(1, delivered ÷ target)
    short = next(s for s in assessment.scores if s.county_id == SHORT)
    assert short.by_rule["R07"] == short.by_rule["R08"] == 0  # no team, so no shadows
    assert all(v == 100 for r, v in short.by_rule.items() if r not in ("R07", "R08"))
    assert short.score == round(100 * (len(short.by_rule) - 2) / len(short.by_rule), 1)


def test_the_replan_makes_up_the_teams_and_the_checker_accepts_it(bundled_roster, base, short_2021):
    pairs, deployments, planned = base
    replan = solver.replan_round(solver.ReplanRequest(bundled_roster, ROUND, pairs, planned, short_2021, 2022))
    assert replan.carry == {("teaching_team", SHORT): 3}
    table = replan.plan.deployments_csv()
    records = solver.table_records(table)
    before = solver.table_records(deployments)
    assert teams(records, SHORT, 2021) == 0  # the recorded year is what was delivered
    assert teams(records, SHORT, 2022) == teams(before, SHORT, 2022) + 3  # made up in the first year left
    for year in (2023, 2024, 2025):
        assert teams(records, SHORT, year) == teams(before, SHORT, year)
    assert replan.plan.deployment.shortfalls == []
    # the structural pairs are the base's, as they were
    assert replan.plan.pairs_csv() == solver.pairs_csv_bytes(pairs)
    # the oracle: the re-planned years pass every deployment rule; 2021 as recorded would not
    # the years left share the province's fund by need and by 2021's assessment (R38)
    scores = replan.assessment.score_by_county()
    assert scores[SHORT] < 100
    assert check_deployments(bundled_roster, pairs, table, ROUND, assessment=scores, recorded_years=[2021]) == []
    judged_all = check_deployments(bundled_roster, pairs, table, ROUND)
    assert any(v.rule == "R07" and SHORT in v.ids and v.message.startswith("2021") for v in judged_all)
    assert replan.plan.passes_checker


def test_what_capacity_cannot_make_up_is_reported(bundled_roster, base, short_2021):
    pairs, _, planned = base
    # every party sends exactly the teams it sends in a year of the plan: no room is left anywhere
    sent = Counter[str]()
    for row in planned.values():
        if row["flow"] == "teaching_team" and row["year"] == "2022":
            sent[row["from_id"]] += int(row["people"])
    senders = {p.supporter_id for p in pairs if _has_capacity_field(bundled_roster, p.supporter_id)}
    full = updated_many(bundled_roster, {s: {"send_capacity": sent[s]} for s in sorted(senders)})
    replan = solver.replan_round(solver.ReplanRequest(full, ROUND, pairs, planned, short_2021, 2022))
    carried = [s for s in replan.plan.deployment.shortfalls if s.against == "carried"]
    assert [(s.receiver_id, s.rule, s.amount, s.year) for s in carried] == [(SHORT, "R07", 3, 2025)]
    assert "3 of them could not be made up" in carried[0].message
    assert not [s for s in replan.plan.deployment.shortfalls if s.against == "floor"]
    assert replan.plan.passes_checker


def _has_capacity_field(roster, party: str) -> bool:
    return party in roster.areas or party in roster.cities or party in roster.universities or party in roster.institutes


def test_a_bad_actuals_file_names_each_bad_row_and_field(base):
    _, deployments, planned = base
    template = solver.actuals_template(deployments, 2021)
    lines = template.decode("utf-8-sig").split("\r\n")
    rows = list(csv.reader(lines[1:4]))
    column = solver.ACTUAL_COLUMNS.index
    rows[0][column("delivered_teams")] = "many"
    rows[1][column("year")] = "2022"
    rows[2][column("flow")] = "parade"
    rows.append(list(rows[0]))  # a repeat of a good row would be named too; this one is bad already
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(solver.ACTUAL_COLUMNS)
    writer.writerows(rows)
    writer.writerow(next(csv.reader(lines[5:6])))
    writer.writerow(next(csv.reader(lines[5:6])))
    with pytest.raises(solver.InputError) as caught:
        solver.read_actuals_csv(out.getvalue().encode(), "actuals-2021.csv", ROUND, planned, 2021)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(2, "delivered_teams"), (3, "year"), (4, "flow"), (5, "delivered_teams"), (7, "flow")}
    assert all(p.file == "actuals-2021.csv" for p in caught.value.problems)


def test_a_wrong_header_is_named_column_by_column(base):
    _, _, planned = base
    with pytest.raises(solver.InputError) as caught:
        solver.read_actuals_csv(b"round,year,flow,extra\n", "a.csv", ROUND, planned)
    fields = {p.field for p in caught.value.problems}
    assert "extra" in fields and "delivered_teams" in fields and all(p.row == 1 for p in caught.value.problems)


def test_the_pair_plan_opens_in_chinese_with_the_plans_figures(base):
    pairs, deployments, _ = base
    records = solver.table_records(deployments)
    pair = next(p for p in pairs if p.kind == solver.Kind.COUNTY_COUNTY and p.receiver_id == SHORT)
    data = solver.pair_xlsx_bytes(pair, records, solver.round_years(ROUND))
    assert data == solver.pair_xlsx_bytes(pair, records, solver.round_years(ROUND))  # same bytes
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["结对信息", "五年规划", *[f"{y}年任务" for y in solver.round_years(ROUND)]]
    info = dict(book["结对信息"].iter_rows(min_row=2, values_only=True))
    assert info["受援方"] == "麻章区（440811）" and info["结对类型"] == "县与县"
    mine = solver.pair_rows(pair, records)
    assert mine and info["任务行数"] == len(mine)
    for year in solver.round_years(ROUND):
        sheet = list(book[f"{year}年任务"].iter_rows(values_only=True))
        header, body = sheet[0], sheet[1:]
        assert header[1] == "任务" and len(body) == sum(r["year"] == str(year) for r in mine)
        people = sum(int(r["people"] or 0) for r in mine if r["year"] == str(year))
        assert sum(row[header.index("人数")] or 0 for row in body) == people
        team_count = sum(int(r["teams"] or 0) for r in mine if r["year"] == str(year))
        assert sum(row[header.index("支教团（个）")] or 0 for row in body) == team_count
    five = list(book["五年规划"].iter_rows(values_only=True))
    team_line = next(row for row in five if row[0] == "支教团")
    assert team_line[-1] == sum(int(r["teams"] or 0) for r in mine if r["flow"] == "teaching_team")


def test_the_assessment_downloads(bundled_roster, base, short_2021):
    _, _, planned = base
    assessment = solver.assess(bundled_roster, ROUND, planned, short_2021, [2021])
    text = solver.assessment_csv_bytes(assessment)
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(rows) == len(assessment.measures)
    assert any(r["party_id"] == SHORT and r["rule"] == "R07" and r["behind_floor"] == "3" for r in rows)
    book = load_workbook(io.BytesIO(solver.assessment_xlsx_bytes(assessment)))
    assert book.sheetnames == ["按受援方", "按支援方", "按规则", "县得分", "落后情况"]
    scores = {row[0]: row[2] for row in book["县得分"].iter_rows(min_row=2, values_only=True)}
    assert scores == assessment.score_by_county()
    assert "麻章区" in book["落后情况"]["A2"].value


def test_a_replan_of_a_replan_needs_only_the_new_year(bundled_roster, base, short_2021):
    pairs, _, planned = base
    first = solver.replan_round(solver.ReplanRequest(bundled_roster, ROUND, pairs, planned, short_2021, 2022))
    table = first.plan.deployments_csv()
    again_planned = solver.plan_rows(table)
    assert solver.recorded_in_plan(again_planned, 2021) is not None
    assert solver.recorded_in_plan(again_planned, 2022) is None  # a plan, not a record
    as_planned = solver.read_actuals_csv(
        solver.actuals_template(table, 2022), "actuals-2022.csv", ROUND, again_planned, 2022
    )
    second = solver.replan_round(solver.ReplanRequest(bundled_roster, ROUND, pairs, again_planned, as_planned, 2023))
    assert second.recorded_years == [2021, 2022] and second.carry == {}
    records = solver.table_records(second.plan.deployments_csv())
    assert teams(records, SHORT, 2021) == 0 and teams(records, SHORT, 2022) == teams(
        solver.table_records(table), SHORT, 2022
    )
    assert second.plan.passes_checker
    with pytest.raises(solver.InputError) as caught:  # 2022 is neither recorded nor given
        solver.replan_round(solver.ReplanRequest(bundled_roster, ROUND, pairs, again_planned, [], 2023))
    assert [(p.field, p.message[:28]) for p in caught.value.problems] == [("year", "no actuals are recorded for ")]


@pytest.mark.parametrize("cell", ["²", "5.0", "-1", "1" * 40, "1001"])
def test_a_delivered_cell_that_is_no_whole_number_in_range_is_a_problem(base, cell):
    _, deployments, planned = base

    def edit(row: dict[str, str]) -> None:
        if row["flow"] == "teaching_team" and row["to_id"] == SHORT:
            row["delivered_teams"] = cell

    data = edited(solver.actuals_template(deployments, 2021), edit)
    with pytest.raises(solver.InputError) as caught:
        solver.read_actuals_csv(data, "a.csv", ROUND, planned, 2021)
    assert {p.field for p in caught.value.problems} == {"delivered_teams"}
    assert all("0 to 1,000" in p.message for p in caught.value.problems)


def test_quotas_without_capacity_are_made_up_in_rows_and_the_round_wide_checks_pass(bundled_roster, base):
    pairs, deployments, planned = base
    short_flows = ("full_training", "it_training", "education_group")

    def edit(row: dict[str, str]) -> None:
        if row["to_id"] == SHORT and row["flow"] in short_flows:
            row.update(delivered_people="0", delivered_activities="0")

    data = edited(solver.actuals_template(deployments, 2021), edit)
    actuals = solver.read_actuals_csv(data, "actuals-2021.csv", ROUND, planned, 2021)
    replan = solver.replan_round(solver.ReplanRequest(bundled_roster, ROUND, pairs, planned, actuals, 2022))
    table = replan.plan.deployments_csv()
    # the oracle: R15's coverage by 2025 and R18's group of the round count 2021 as delivered, and pass
    scores = replan.assessment.score_by_county()
    assert scores[SHORT] < 100
    assert check_deployments(bundled_roster, pairs, table, ROUND, assessment=scores, recorded_years=[2021]) == []
    assert replan.plan.passes_checker and replan.plan.deployment.shortfalls == []
    before, after = solver.table_records(deployments), solver.table_records(table)

    def total(records, flow: str, year: int, unit: str = "people") -> int:
        return sum(
            int(r[unit] or 0) for r in records if r["flow"] == flow and r["to_id"] == SHORT and r["year"] == str(year)
        )

    for flow in ("full_training", "it_training"):
        assert total(after, flow, 2021) == 0
        assert total(after, flow, 2022) == total(before, flow, 2022) + total(before, flow, 2021)
    assert (
        total(after, "education_group", 2022, "activities") == total(before, "education_group", 2021, "activities") > 0
    )
    # every other county's rows of 2022 are the base's
    others = [r for r in after if r["year"] == "2022" and r["to_id"] != SHORT and r["flow"] in short_flows]
    assert others == [r for r in before if r["year"] == "2022" and r["to_id"] != SHORT and r["flow"] in short_flows]
