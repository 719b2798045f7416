"""The yearly review page in Chromium: download 2021's tasks, upload them filled in (a bad file
first: each problem named by row), read the assessment, start the re-plan of the years left."""

from __future__ import annotations

import csv
import io
import re

import pytest

from solver import ACTUAL_COLUMNS
from tests.web.conftest import WebService, goto, screenshot, sign_in, wait_ready
from tests.web.test_browser import accessible_names_missing

pytestmark = pytest.mark.usefixtures("browser")
SHORT = "440811"  # 麻章区


@pytest.fixture(scope="module")
def plan(web: WebService) -> dict:
    return web.solve()


def _actuals(template: bytes, *, bad: bool) -> bytes:
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    for row in rows:
        if row["flow"] == "teaching_team" and row["to_id"] == SHORT:
            row.update(delivered_teams="0", delivered_people="0", delivered_note="未能派出")
    if bad:
        rows[2]["delivered_days"] = "四百"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACTUAL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_record_a_year_read_its_assessment_and_replan(page, web: WebService, plan: dict, tmp_path):
    template = web.client("viewer").get(f"/plans/{plan['id']}/actuals/2021.csv").content
    bad, good = tmp_path / "bad-2021.csv", tmp_path / "actuals-2021.csv"
    bad.write_bytes(_actuals(template, bad=True))
    good.write_bytes(_actuals(template, bad=False))
    sign_in(page, web, "coordinator")
    goto(page, web, f"actuals?plan={plan['id']}&year=2021")
    page.get_by_text("尚未记录。").wait_for()
    assert page.get_by_role("link", name="下载任务表（待填写）").count() == 1
    screenshot(page, "19-actuals")
    assert accessible_names_missing(page) == []

    page.get_by_label("完成情况文件（CSV）").set_input_files(str(bad))
    page.get_by_role("button", name="上传完成情况").click()
    problems = page.get_by_test_id("actuals-problems")
    problems.wait_for()
    assert "delivered_days" in problems.inner_text() and "4" in problems.inner_text()
    screenshot(page, "20-actuals-problems")
    assert web.client("viewer").get(f"/plans/{plan['id']}/actuals").json() == []

    page.get_by_label("完成情况文件（CSV）").set_input_files(str(good))
    page.get_by_role("button", name="上传完成情况").click()
    page.get_by_text(re.compile("已记录（第 1 版")).wait_for()
    wait_ready(page)
    behind = page.get_by_test_id("behind")
    assert "麻章区（440811）低于政策底线（3支团队，R07）3支团队" in behind.inner_text()
    # the page shows the county's score as the API computes it, below 100 for the teams it missed
    scores = web.client("viewer").get(f"/plans/{plan['id']}/assessment.json").json()["scores"]
    score = next(s["score"] for s in scores if s["county_id"] == SHORT)
    assert score < 100
    assert page.get_by_role("row").filter(has_text="麻章区").filter(has_text=f"{score:.1f}").count() == 1
    screenshot(page, "21-assessment")

    page.get_by_label("从哪一年起").select_option("2022")
    page.get_by_role("button", name="开始重新安排").click()
    page.wait_for_url(re.compile(r"#/plans/\d+$"))
    replan_id = int(page.url.rsplit("/", 1)[1])
    replanned = web.wait_plan(replan_id)
    assert replanned["status"] == "done" and replanned["options"]["from_year"] == 2022
