"""The yearly cycle over HTTP, on SQLite and PostgreSQL: record 2021's actuals with one county
short of its teams (a bad file first: 422 naming each bad row, nothing stored), assess it, re-plan
2022–2025 as a plan with a base, and download a pair's own plan."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from solver import ACTUAL_COLUMNS, Kind, read_pairs_csv, table_records
from tests.service.conftest import Service, wait_plan

SHORT = "440811"  # 麻章区


def _edited(template: bytes, edit) -> bytes:
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    for row in rows:
        edit(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACTUAL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _teams(records, county: str, year: int) -> int:
    return sum(
        int(r["teams"] or 0)
        for r in records
        if r["flow"] == "teaching_team" and r["to_id"] == county and r["year"] == str(year)
    )


@pytest.fixture(scope="session")
def recorded(service: Service, first_plan: dict) -> dict:
    """2021's actuals of the first plan, 麻章区 sent no team; after a refused bad upload."""
    coordinator = service.client("coordinator")
    plan_id = first_plan["id"]
    path = f"/plans/{plan_id}/actuals/2021.csv"
    template = coordinator.get(path)
    assert template.status_code == 200 and template.headers["etag"] == '"actuals-2021-0"'
    assert template.content.startswith(b"\xef\xbb\xbf")

    def short(row: dict[str, str]) -> None:
        if row["flow"] == "teaching_team" and row["to_id"] == SHORT:
            row.update(delivered_teams="0", delivered_people="0", delivered_note="未能派出")

    good = _edited(template.content, short)
    lines = good.decode("utf-8-sig").split("\r\n")
    header, body = lines[0], lines[1:]
    cells = [next(csv.reader([line])) for line in body[:3]]
    cells[0][ACTUAL_COLUMNS.index("delivered_people")] = "lots"
    cells[1][ACTUAL_COLUMNS.index("year")] = "2022"
    cells[2][ACTUAL_COLUMNS.index("delivered_days")] = "400"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(cells)
    bad = (header + "\r\n" + out.getvalue() + "\r\n".join(body[3:])).encode("utf-8")
    return {"plan_id": plan_id, "path": path, "good": good, "bad": bad, "template": template.content}


def test_a_bad_actuals_file_gets_422_naming_each_bad_row_and_stores_nothing(service: Service, recorded: dict):
    coordinator = service.client("coordinator")
    path, headers = recorded["path"], {"If-Match": '"actuals-2021-0"', "Content-Type": "text/csv"}
    assert coordinator.put(path, content=recorded["good"], headers={"Content-Type": "text/csv"}).status_code == 428
    assert coordinator.put(path, content=recorded["good"], headers={**headers, "If-Match": "v1"}).status_code == 412
    refused = coordinator.put(path, content=recorded["bad"], headers=headers)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["detail"].endswith("nothing was stored")
    assert {(e["row"], e["field"]) for e in problem["errors"]} == {
        (2, "delivered_people"),
        (3, "year"),
        (4, "delivered_days"),
    }
    assert all(e["file"] == "actuals-2021.csv" for e in problem["errors"])
    assert coordinator.get(f"/plans/{recorded['plan_id']}/actuals").json() == []
    again = coordinator.get(path)
    assert again.headers["etag"] == '"actuals-2021-0"' and again.content == recorded["template"]
    viewer = service.client("viewer").put(path, content=recorded["good"], headers=headers)
    assert viewer.status_code == 403


@pytest.fixture(scope="session")
def stored(service: Service, recorded: dict) -> dict:
    coordinator = service.client("coordinator")
    headers = {"If-Match": '"actuals-2021-0"', "Content-Type": "text/csv"}
    accepted = coordinator.put(recorded["path"], content=recorded["good"], headers=headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.headers["etag"] == '"actuals-2021-1"'
    return {**recorded, "accepted": accepted.json()}


def test_actuals_are_versioned_against_their_etag(service: Service, stored: dict):
    coordinator = service.client("coordinator")
    listed = coordinator.get(f"/plans/{stored['plan_id']}/actuals").json()
    assert [(y["year"], y["version"], y["etag"]) for y in listed] == [(2021, 1, '"actuals-2021-1"')]
    stale = coordinator.put(
        stored["path"], content=stored["good"], headers={"If-Match": '"actuals-2021-0"', "Content-Type": "text/csv"}
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    back = coordinator.get(stored["path"])
    rows = list(csv.DictReader(io.StringIO(back.content.decode("utf-8-sig"))))
    short = [r for r in rows if r["flow"] == "teaching_team" and r["to_id"] == SHORT]
    assert short and {r["delivered_teams"] for r in short} == {"0"}
    assert all(r["delivered_people"] != "" for r in rows if r["people"])  # stored with every cell filled in


def test_the_assessment_names_the_shortfall_with_its_number(service: Service, stored: dict):
    viewer = service.client("viewer")
    base = f"/plans/{stored['plan_id']}"
    found = viewer.get(f"{base}/assessment.json")
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["years"] == [2021]
    assert (
        "2021: 麻章区（440811） is 3 teams behind the policy's floor of 3 (R07): 0 delivered of 3 planned."
        in (body["behind"])
    )
    scores = {s["county_id"]: s["score"] for s in body["scores"]}
    assert [c for c, s in scores.items() if s < 100] == [SHORT] and 0 <= scores[SHORT] < 100
    as_csv = viewer.get(f"{base}/assessment.csv")
    assert as_csv.status_code == 200 and as_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert any(r["scope"] == "receiver" and r["party_id"] == SHORT and r["behind_floor"] == "3" for r in rows)
    book = load_workbook(io.BytesIO(viewer.get(f"{base}/assessment.xlsx").content))
    assert book.sheetnames == ["按受援方", "按支援方", "按规则", "县得分", "落后情况"]
    assert viewer.get(f"{base}/assessment.json", params={"year": 2022}).status_code == 409
    assert viewer.get(f"{base}/assessment.json", params={"year": 2031}).status_code == 422


def test_the_years_left_are_replanned_and_the_shortfall_made_up(service: Service, stored: dict, first_plan: dict):
    coordinator = service.client("coordinator")
    base_id = stored["plan_id"]
    missing = coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": base_id, "from_year": 2023})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "from_year"
    assert coordinator.post("/plans", json={"round": "2021-2025", "from_year": 2022}).status_code == 422
    response = coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": base_id, "from_year": 2022})
    assert response.status_code == 202, response.text
    plan = wait_plan(coordinator, response.json()["id"])
    assert plan["status"] == "done", plan
    assert plan["passes_checker"] is True and plan["base_plan_id"] == base_id
    assert plan["roster_version"] == first_plan["roster_version"] and plan["options"]["from_year"] == 2022
    viewer = service.client("viewer")
    new = table_records(viewer.get(f"/plans/{plan['id']}/deployments.csv").content)
    old = table_records(viewer.get(f"/plans/{base_id}/deployments.csv").content)
    assert _teams(new, SHORT, 2021) == 0
    assert _teams(new, SHORT, 2022) == _teams(old, SHORT, 2022) + 3
    assert [_teams(new, SHORT, y) for y in (2023, 2024, 2025)] == [_teams(old, SHORT, y) for y in (2023, 2024, 2025)]
    diff = viewer.get(f"/plans/{plan['id']}/diff", params={"against": base_id}).json()
    assert all(not k["added"] and not k["removed"] for k in diff["kinds"].values())
    assert plan["report"]["deployments"]["shortfalls"] == []


def test_the_pairs_own_plan_opens_in_chinese_with_its_rows(service: Service, first_plan: dict):
    viewer = service.client("viewer")
    base = f"/plans/{first_plan['id']}"
    pairs = read_pairs_csv(viewer.get(f"{base}/pairs.csv").content)
    pair = next(p for p in pairs if p.kind == Kind.COUNTY_COUNTY and p.receiver_id == SHORT)
    response = viewer.get(f"{base}/pairs/{pair.supporter_id}_{pair.receiver_id}.xlsx")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["结对信息", "五年规划"] and "2021年任务" in book.sheetnames
    info = dict(book["结对信息"].iter_rows(min_row=2, values_only=True))
    assert info["受援方"] == "麻章区（440811）" and info["支援方"].startswith(pair.supporter_name)
    records = table_records(viewer.get(f"{base}/deployments.csv").content)
    ends = {pair.supporter_id, pair.receiver_id}
    mine = [r for r in records if r["flow"] != "shortfall" and {r["from_id"], r["to_id"]} == ends]
    for year in (2021, 2025):
        sheet = list(book[f"{year}年任务"].iter_rows(values_only=True))
        people = sheet[0].index("人数")
        assert sum(row[people] or 0 for row in sheet[1:]) == sum(
            int(r["people"] or 0) for r in mine if r["year"] == str(year)
        )
    assert viewer.get(f"{base}/pairs/{pair.supporter_id}_999999.xlsx").status_code == 404


def test_a_replan_is_replanned_again_from_the_next_year(service: Service, stored: dict):
    coordinator = service.client("coordinator")
    body = {"round": "2021-2025", "base_plan_id": stored["plan_id"], "from_year": 2022}
    first = wait_plan(coordinator, coordinator.post("/plans", json=body).json()["id"])
    assert first["status"] == "done", first
    again = {"round": "2021-2025", "base_plan_id": first["id"], "from_year": 2023}
    refused = coordinator.post("/plans", json=again)
    assert refused.status_code == 422 and "2022" in refused.json()["detail"]  # 2021 is the re-plan's record
    path = f"/plans/{first['id']}/actuals/2022.csv"
    template = coordinator.get(path)
    put = coordinator.put(
        path, content=template.content, headers={"If-Match": template.headers["etag"], "Content-Type": "text/csv"}
    )
    assert put.status_code == 201, put.text
    second = wait_plan(coordinator, coordinator.post("/plans", json=again).json()["id"])
    assert second["status"] == "done" and second["passes_checker"] is True, second
    assert second["options"]["actuals_years"] == [2022]
    records = table_records(service.client("viewer").get(f"/plans/{second['id']}/deployments.csv").content)
    assert _teams(records, SHORT, 2021) == 0
