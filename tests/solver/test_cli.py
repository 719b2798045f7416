"""`python -m solver plan` end to end on a tiny roster written to disk."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from solver.domain.pairs import PAIR_COLUMNS
from solver.roster.io import write_roster
from tests.factories import tiny_roster


@pytest.fixture(scope="module")
def roster_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster")
    write_roster(tiny_roster(dongguan=True), path)
    return path


def _plan(roster_dir, out, *extra):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "solver",
            "plan",
            "--roster",
            str(roster_dir),
            "--round",
            "2021-2025",
            "--out",
            str(out),
            "--workers",
            "1",
            *extra,
        ],
        capture_output=True,
        text=True,
    )


def test_plan_writes_checked_files_and_same_bytes_twice(roster_dir, tmp_path):
    first = _plan(roster_dir, tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert "optimal" in first.stdout and "gap 0.0000%" in first.stdout
    data = (tmp_path / "a" / "pairs.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").startswith(",".join(PAIR_COLUMNS))
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    assert report["passes_checker"] and {r["id"] for r in report["rules"]} >= {f"R{i:02d}" for i in range(1, 23)}
    second = _plan(roster_dir, tmp_path / "b")
    assert second.returncode == 0
    assert (tmp_path / "b" / "pairs.csv").read_bytes() == data
    assert (tmp_path / "b" / "report.json").read_bytes() == (tmp_path / "a" / "report.json").read_bytes()


def test_infeasible_pins_exit_2_with_the_conflict_in_words(roster_dir, tmp_path):
    pins = tmp_path / "pins.csv"
    pins.write_text("kind,supporter_id,receiver_id,action\ncity_city,440300,441400,fix\n", encoding="utf-8")
    run = _plan(roster_dir, tmp_path / "out", "--pins", str(pins))
    assert run.returncode == 2
    assert "cannot all hold together" in run.stderr and "深圳市（440300）" in run.stderr


def test_unknown_pin_id_exit_1_naming_row_and_field(roster_dir, tmp_path):
    pins = tmp_path / "pins.csv"
    pins.write_text("kind,supporter_id,receiver_id,action\ncounty_county,440199,441422,fix\n", encoding="utf-8")
    run = _plan(roster_dir, tmp_path / "out", "--pins", str(pins))
    assert run.returncode == 1
    assert "pins.csv, row 2, field supporter_id" in run.stderr


def test_replan_from_its_own_output_changes_nothing(roster_dir, tmp_path):
    assert _plan(roster_dir, tmp_path / "a").returncode == 0
    run = _plan(roster_dir, tmp_path / "b", "--base", str(tmp_path / "a" / "pairs.csv"))
    assert run.returncode == 0, run.stderr
    keys = [line.split(",")[:5] for line in (tmp_path / "a" / "pairs.csv").read_text(encoding="utf-8-sig").splitlines()]
    again = [
        line.split(",")[:5] for line in (tmp_path / "b" / "pairs.csv").read_text(encoding="utf-8-sig").splitlines()
    ]
    assert keys == again


def test_plan_writes_costs_and_prints_who_is_over_budget(tmp_path):
    from solver.roster.annex import Budget
    from tests.factories import SOURCE, with_rows

    roster = with_rows(
        tiny_roster(),
        *(
            Budget(party_id="440103", year=y, amount=1_000_000, purpose="support", source=SOURCE)
            for y in range(2021, 2026)
        ),
    )
    write_roster(roster, tmp_path / "roster")
    first = _plan(tmp_path / "roster", tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert "over budget (budgets.csv): 1 payer(s) in 5 year(s)" in first.stdout
    assert "荔湾区（440103） 2021: costs " in first.stdout
    costs = (tmp_path / "a" / "costs.csv").read_bytes()
    assert costs.decode("utf-8-sig").startswith("party_id,party_name,year,amount,purpose,rule,source")
    assert _plan(tmp_path / "roster", tmp_path / "b").returncode == 0
    assert (tmp_path / "b" / "costs.csv").read_bytes() == costs
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    assert [o["party_id"] for o in report["deployments"]["over_budget"]] == ["440103"] * 5
