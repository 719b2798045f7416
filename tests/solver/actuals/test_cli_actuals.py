"""The yearly cycle from the command line: assess, re-plan the years left, the pairs' own plans."""

from __future__ import annotations

import json

from openpyxl import load_workbook

import solver
from solver.cli import EXIT_BAD_INPUT, main
from tests.conftest import BUNDLED
from tests.solver.actuals.test_actuals import ROUND, SHORT, edited, no_teams_for, teams


def write_plan(planned: solver.RoundPlan, out) -> None:
    out.mkdir()
    (out / "pairs.csv").write_bytes(planned.pairs_csv())
    (out / "deployments.csv").write_bytes(planned.deployments_csv())


def test_assess_and_replan_from_the_command_line(bundled_round, tmp_path, capsys):
    plan = tmp_path / "plan"
    write_plan(bundled_round, plan)
    actuals = tmp_path / "actuals-2021.csv"
    actuals.write_bytes(edited(solver.actuals_template(bundled_round.deployments_csv(), 2021), no_teams_for(SHORT)))

    assert main(["assess", "--plan", str(plan), "--actuals", str(actuals)]) == 0
    printed = capsys.readouterr().out
    assert "麻章区（440811） is 3 teams behind the policy's floor of 3 (R07)" in printed
    report = json.loads((plan / "assessment.json").read_text(encoding="utf-8"))
    assert {s["county_id"] for s in report["scores"] if s["score"] < 100} == {SHORT}
    assert load_workbook(plan / "assessment.xlsx").sheetnames[0] == "按受援方"

    new = tmp_path / "replan"
    code = main(
        [
            "plan",
            "--roster",
            str(BUNDLED),
            "--round",
            ROUND,
            "--out",
            str(new),
            "--base",
            str(plan / "pairs.csv"),
            "--actuals",
            str(actuals),
            "--from-year",
            "2022",
        ]
    )
    assert code == 0
    records = solver.table_records((new / "deployments.csv").read_bytes())
    before = solver.table_records(bundled_round.deployments_csv())
    assert teams(records, SHORT, 2022) == teams(before, SHORT, 2022) + 3
    assert (new / "pairs.csv").read_bytes() == bundled_round.pairs_csv()
    assert json.loads((new / "report.json").read_text(encoding="utf-8"))["passes_checker"] is True

    assert main(["pair-plans", "--plan", str(plan), "--pair", f"440103_{SHORT}"]) == 0
    book = load_workbook(plan / "pair_plans" / f"440103_{SHORT}.xlsx")
    assert book["结对信息"]["B5"].value == "麻章区（440811）"


def test_a_bad_actuals_file_exits_1_naming_row_and_field(bundled_round, tmp_path, capsys):
    plan = tmp_path / "plan"
    write_plan(bundled_round, plan)
    actuals = tmp_path / "actuals-2021.csv"

    def bad(row: dict[str, str]) -> None:
        if row["flow"] == "teaching_team" and row["to_id"] == SHORT:
            row["delivered_people"] = "-5"

    actuals.write_bytes(edited(solver.actuals_template(bundled_round.deployments_csv(), 2021), bad))
    assert main(["assess", "--plan", str(plan), "--actuals", str(actuals)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "actuals-2021.csv, row" in err and "field delivered_people: '-5' is not a whole number" in err
    assert not (plan / "assessment.json").exists()
    plan_args = ["plan", "--roster", str(BUNDLED), "--round", ROUND, "--out", str(tmp_path / "x")]
    assert main([*plan_args, "--actuals", str(actuals)]) == EXIT_BAD_INPUT  # no --base, no --from-year
    assert main([*plan_args, "--from-year", "2022"]) == EXIT_BAD_INPUT  # no actuals
    base = ["--base", str(plan / "pairs.csv"), "--from-year", "2022", "--actuals", str(actuals)]
    assert main([*plan_args, *base]) == EXIT_BAD_INPUT  # the bad cell, named
    assert "field delivered_people" in capsys.readouterr().err
    assert not (tmp_path / "x" / "deployments.csv").exists()
