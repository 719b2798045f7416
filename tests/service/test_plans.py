"""Plans: 202 at once, progress, the rule report, downloads in the CLI's formats, diffs, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from solver.domain.pairs import PAIR_COLUMNS, Kind, pairs_csv_bytes, read_pairs_csv
from tests.service.conftest import ROOT, TIME_LIMIT_S, Service, wait_plan
from tests.service.test_access import _is_problem


@pytest.fixture(scope="session")
def cli_plan(roster_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict, bytes]:
    """pairs.csv, report.json and deployments.csv of the bundled roster as `python -m solver plan` writes them."""
    out = tmp_path_factory.mktemp("cli")
    subprocess.run(
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
            "--time-limit",
            str(TIME_LIMIT_S),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return (
        (out / "pairs.csv").read_bytes(),
        json.loads((out / "report.json").read_text(encoding="utf-8")),
        (out / "deployments.csv").read_bytes(),
    )


def test_a_plan_is_accepted_at_once_and_solved(first_plan: dict):
    watch = first_plan["_watch"]
    assert watch["answered_s"] < 2
    assert watch["response"]["status"] == "queued" and watch["location"] == f"/plans/{first_plan['id']}"
    statuses = [status for status, _ in watch["seen"]]
    assert statuses[0] in ("queued", "running") and statuses[-1] == "done"
    # While it runs, the plan shows the solver's progress.
    assert ("running", True) in watch["seen"]
    progress = first_plan["progress"]
    assert progress["phase"] and progress["best_objective"] is not None and progress["bound"] is not None
    assert progress["elapsed_s"] >= 0 and progress["phase_elapsed_s"] >= 0
    assert first_plan["options"]["time_limit_s"] == TIME_LIMIT_S


def test_plan_detail_records_roster_rules_and_report(service: Service, first_plan: dict):
    plan = first_plan
    assert plan["round"] == "2021-2025" and plan["roster_version"] >= 1
    assert plan["solve_status"] in ("optimal", "feasible") and plan["objective"] is not None
    assert plan["passes_checker"] is True
    report = plan["report"]
    assert report["passes_checker"] is True and report["violations"] == 0
    assert {r["id"] for r in report["rules"]} >= {"R01", "R02", "R03", "R04"}
    counts = plan["pairs_by_kind"]
    assert counts["county_county"] == 84 and counts["city_city"] == 15
    assert counts["normal_university_city"] == 15 and counts["university_area"] == 140
    assert plan["created_by"] == "test coordinator"
    assert plan["explanation"] == [] and plan["error"] is None
    assert plan["rules"]["rules"]["R03"]["params"]["max_universities_per_receiver"] == 2
    assert plan["rules"]["weights"]["keep"] > 0


def test_plans_are_listed(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    listed = viewer.get("/plans").json()
    assert first_plan["id"] in {p["id"] for p in listed}
    done = viewer.get("/plans", params={"round": "2021-2025", "status": "done"}).json()
    assert all(p["round"] == "2021-2025" and p["status"] == "done" for p in done)
    _is_problem(viewer.get("/plans", params={"status": "sleeping"}), 422)


def test_pairs_csv_is_the_clis(service: Service, first_plan: dict, cli_plan: tuple[bytes, dict, bytes]):
    response = service.client("viewer").get(f"/plans/{first_plan['id']}/pairs.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert first_plan["roster_version"] == 1
    cli_bytes, cli_report, _ = cli_plan
    if first_plan["solve_status"] == cli_report["status"] == "optimal":
        assert response.content == cli_bytes
        return
    # A part stopped by its time limit may differ between two runs; every part solved to
    # optimality gives the same rows, and every row is written the same way.
    assert pairs_csv_bytes(read_pairs_csv(response.content)) == response.content
    api_parts = {p["name"]: p["status"] for p in first_plan["report"]["parts"]}
    cli_parts = {p["name"]: p["status"] for p in cli_report["parts"]}
    for part, kinds in PART_KINDS.items():
        if api_parts[part] == cli_parts[part] == "optimal":
            for kind in kinds:
                assert _of_kind(response.content, kind) == _of_kind(cli_bytes, kind), kind


PART_KINDS = {
    "city_city+county_county+school_school": (
        Kind.CITY_CITY,
        Kind.COUNTY_COUNTY,
        Kind.INSTITUTE_INSTITUTE,
        Kind.SCHOOL_SCHOOL,
    ),
    "normal_university_city": (Kind.NORMAL_UNIVERSITY_CITY,),
    "university_area": (Kind.UNIVERSITY_AREA,),
    "intra_region(counties)": (Kind.INTRA_REGION,),  # and intra_region(schools), fixed once these are
}


def _of_kind(content: bytes, kind: Kind) -> bytes:
    return pairs_csv_bytes([p for p in read_pairs_csv(content) if p.kind == kind])


def test_pairs_csv_opens_with_chinese_intact(service: Service, first_plan: dict):
    content = service.client("viewer").get(f"/plans/{first_plan['id']}/pairs.csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0]) == PAIR_COLUMNS
    names = {r["receiver_name"] for r in rows if r["kind"] == "city_city"}
    assert "梅州市" in names
    assert len(rows) == sum(first_plan["pairs_by_kind"].values())


def test_pairs_csv_by_kind(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    full = viewer.get(f"/plans/{first_plan['id']}/pairs.csv").content
    pairs = read_pairs_csv(full)
    assert pairs_csv_bytes(pairs) == full
    for kind in Kind:
        response = viewer.get(f"/plans/{first_plan['id']}/pairs.csv", params={"kind": kind.value})
        assert response.status_code == 200
        assert response.content == pairs_csv_bytes([p for p in pairs if p.kind == kind])
        assert kind.value in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == first_plan["pairs_by_kind"][kind.value]
    body = _is_problem(viewer.get(f"/plans/{first_plan['id']}/pairs.csv", params={"kind": "friends"}), 422)
    assert body["errors"][0]["field"] == "kind"


def test_deployments_csv_is_the_clis_and_filters_by_year(
    service: Service, first_plan: dict, cli_plan: tuple[bytes, dict, bytes]
):
    viewer = service.client("viewer")
    response = viewer.get(f"/plans/{first_plan['id']}/deployments.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    full = response.content
    assert full.startswith(b"\xef\xbb\xbf")
    _, cli_report, cli_deployments = cli_plan
    if first_plan["solve_status"] == cli_report["status"] == "optimal":
        assert full == cli_deployments
    lines = full.decode("utf-8-sig").split("\r\n")
    rows = list(csv.DictReader(io.StringIO(full.decode("utf-8-sig"))))
    assert rows and {r["round"] for r in rows} == {"2021-2025"}
    assert any("县" in r["to_name"] for r in rows)
    total = 0
    for year in range(2021, 2026):
        part = viewer.get(f"/plans/{first_plan['id']}/deployments.csv", params={"year": year})
        assert part.status_code == 200 and str(year) in part.headers["content-disposition"]
        part_lines = part.content.decode("utf-8-sig").split("\r\n")
        assert part_lines[0] == lines[0]
        year_rows = list(csv.DictReader(io.StringIO(part.content.decode("utf-8-sig"))))
        assert year_rows and {r["year"] for r in year_rows} == {str(year)}
        assert year_rows == [r for r in rows if r["year"] == str(year)]
        total += len(year_rows)
    assert total == len(rows)
    body = _is_problem(viewer.get(f"/plans/{first_plan['id']}/deployments.csv", params={"year": 2030}), 422)
    assert body["errors"][0]["field"] == "year"
    _is_problem(viewer.get(f"/plans/{first_plan['id']}/deployments.csv", params={"year": "next"}), 422)
    _is_problem(viewer.get("/plans/999999/deployments.csv"), 404)


def test_pairs_xlsx_one_sheet_per_kind_in_chinese(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    response = viewer.get(f"/plans/{first_plan['id']}/pairs.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [k.chinese for k in Kind]
    sheet = workbook["市与市"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[3] == "支援方名称" and header[5] == "受援方名称"
    for kind in Kind:
        assert workbook[kind.chinese].max_row == first_plan["pairs_by_kind"][kind.value] + 1
    receivers = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "梅州市" in receivers
    again = viewer.get(f"/plans/{first_plan['id']}/pairs.xlsx")
    assert again.content == response.content


def test_report_json(service: Service, first_plan: dict):
    response = service.client("viewer").get(f"/plans/{first_plan['id']}/report.json")
    assert response.status_code == 200
    assert response.json()["passes_checker"] is True


def test_diff_against_itself_keeps_everything(service: Service, first_plan: dict):
    response = service.client("viewer").get(f"/plans/{first_plan['id']}/diff", params={"against": first_plan["id"]})
    assert response.status_code == 200
    diff = response.json()
    assert diff["added"] == diff["removed"] == 0
    assert diff["kept"] == sum(first_plan["pairs_by_kind"].values())
    assert {k: d["kept"] for k, d in diff["kinds"].items()} == first_plan["pairs_by_kind"]


def test_unknown_plans_are_404(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    for path in ("/plans/999999", "/plans/999999/pairs.csv", "/plans/999999/pairs.xlsx", "/plans/999999/report.json"):
        _is_problem(viewer.get(path), 404)
    _is_problem(viewer.get("/plans/999999/diff", params={"against": first_plan["id"]}), 404)
    _is_problem(viewer.get(f"/plans/{first_plan['id']}/diff", params={"against": 999999}), 404)
    _is_problem(viewer.get(f"/plans/{first_plan['id']}/diff"), 422)


def test_bad_plan_requests_name_the_field(service: Service, first_plan: dict):
    coordinator = service.client("coordinator")

    def fields(body: dict) -> set:
        return {(e.get("index"), e["field"]) for e in _is_problem(coordinator.post("/plans", json=body), 422)["errors"]}

    assert fields({"round": "2020-2024"}) == {(None, "round")}
    assert fields({}) == {(None, "round")}
    assert fields({"round": "2021-2025", "base_plan_id": 999999}) == {(None, "base_plan_id")}
    assert fields({"round": "2021-2025", "colour": "red"}) == {(None, "colour")}
    assert fields({"round": "2021-2025", "time_limit_s": 10_000}) == {(None, "time_limit_s")}
    assert fields({"round": "2021-2025", "rules": {"R99": {"x": 1}}}) == {(None, "rules.R99")}
    assert fields({"round": "2021-2025", "rules": {"R03": {"max_universities_per_receiver": -1}}}) == {
        (None, "rules.R03.max_universities_per_receiver")
    }
    pins = [
        {"kind": "city_city", "supporter_id": "440100", "receiver_id": "441400"},
        {"kind": "friendship", "supporter_id": "440100", "receiver_id": "441400"},
    ]
    assert fields({"round": "2021-2025", "pins": pins}) == {(1, "kind")}
    pins = [
        {"kind": "city_city", "supporter_id": "440100", "receiver_id": "441400"},
        {"kind": "county_county", "supporter_id": "440199", "receiver_id": "441422", "action": "fix"},
    ]
    assert fields({"round": "2021-2025", "pins": pins}) == {(1, "supporter_id")}


def test_an_infeasible_plan_explains_itself(service: Service):
    # Two normal universities fixed to one city that takes exactly one (R02): no plan.
    coordinator = service.client("coordinator")
    universities = csv.DictReader(
        io.StringIO(coordinator.get("/rosters/current/universities.csv").content.decode("utf-8-sig"))
    )
    normal = [u["university_id"] for u in universities if u["kind"] == "normal" and u["role"] == "supporter"][:2]
    pins = [
        {"kind": "normal_university_city", "supporter_id": u, "receiver_id": "441400", "action": "fix"} for u in normal
    ]
    response = coordinator.post(
        "/plans",
        json={
            "round": "2021-2025",
            "time_limit_s": TIME_LIMIT_S,
            "pins": pins,
            "rules": {"R03": {"max_universities_per_receiver": 3}},
        },
    )
    assert response.status_code == 202, response.text
    plan = wait_plan(coordinator, response.json()["id"])
    assert plan["status"] == "infeasible", plan
    assert plan["explanation"] and all(isinstance(line, str) and line for line in plan["explanation"])
    assert any("梅州市" in line and "R02" in line for line in plan["explanation"])
    assert sum("pin" in line for line in plan["explanation"]) == 2
    assert plan["rule_overrides"] == {"R03": {"max_universities_per_receiver": 3}}
    assert plan["rules"]["rules"]["R03"]["params"]["max_universities_per_receiver"] == 3
    assert plan["pins"] == pins
    body = _is_problem(coordinator.get(f"/plans/{plan['id']}/pairs.csv"), 409)
    assert "infeasible" in body["detail"]
    _is_problem(coordinator.get(f"/plans/{plan['id']}/deployments.csv"), 409)
    _is_problem(coordinator.get(f"/plans/{plan['id']}/pairs.xlsx"), 409)
    _is_problem(coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": plan["id"]}), 422)
    _is_problem(coordinator.get(f"/plans/{plan['id']}/diff", params={"against": plan["id"]}), 409)


def test_pins_are_kept(service: Service, first_plan: dict):
    coordinator = service.client("coordinator")
    pairs = read_pairs_csv(coordinator.get(f"/plans/{first_plan['id']}/pairs.csv").content)
    forbidden = next(p for p in pairs if p.kind == Kind.CITY_CITY)
    pins = [
        {
            "kind": "city_city",
            "supporter_id": forbidden.supporter_id,
            "receiver_id": forbidden.receiver_id,
            "action": "forbid",
        }
    ]
    response = coordinator.post("/plans", json={"round": "2021-2025", "pins": pins, "time_limit_s": TIME_LIMIT_S})
    assert response.status_code == 202, response.text
    plan = wait_plan(coordinator, response.json()["id"])
    assert plan["status"] == "done" and plan["pins"] == pins
    new = read_pairs_csv(coordinator.get(f"/plans/{plan['id']}/pairs.csv").content)
    assert forbidden.key not in {p.key for p in new}


def test_costs_csv_adds_up_to_the_reports_costs_and_names_who_is_over_budget(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    assert first_plan["links"]["costs_csv"] == f"/plans/{first_plan['id']}/costs.csv"
    response = viewer.get(first_plan["links"]["costs_csv"])
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["party_id", "party_name", "year", "amount", "purpose", "rule", "source"]
    summary = first_plan["report"]["deployments"]
    by_year: dict[str, int] = {}
    for row in rows:
        by_year[row["year"]] = by_year.get(row["year"], 0) + int(row["amount"])
    assert by_year == summary["cost_yuan_by_year"]
    assert {o["party_id"] for o in summary["over_budget"]} >= {"440100", "440300"}  # bundled budgets.csv
    _is_problem(viewer.get("/plans/999999/costs.csv"), 404)
