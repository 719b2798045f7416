"""The coordinator's walk through the web app in a real (headless) Chromium, offline.

Each test has its own browser context whose every request to a host other than 127.0.0.1 is
aborted and recorded (the `page` fixture fails the test if one was attempted, or if the page
threw a JavaScript error). Screenshots of each page are written to test-output/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.web.conftest import WebService, goto, screenshot, sign_in, wait_ready

pytestmark = pytest.mark.usefixtures("browser")
MEIXIAN = "441403"  # 梅县区: a receiving county drawn around 梅江区 (a hole in its outline)
CONTROLS = "main button, main input, main select, main textarea, main a[href], header button, header a[href]"


@pytest.fixture(scope="module")
def plan(web: WebService) -> dict:
    """A solved 2021-2025 plan of the bundled roster, made through the API."""
    return web.solve()


def accessible_names_missing(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Visible controls without an accessible name (label, aria-label or text)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return !(el.labels && el.labels.length);
        return !el.textContent.trim();
      }).map((el) => el.outerHTML.slice(0, 120))""",
        CONTROLS,
    )


def tab_reaches_every_control(page, limit: int = 400) -> list[str]:  # type: ignore[no-untyped-def]
    """Press Tab through the page; the visible, enabled controls never focused."""
    page.evaluate("""() => { document.querySelectorAll('[data-tabbed]').forEach((el) => delete el.dataset.tabbed);
      document.activeElement && document.activeElement.blur(); }""")
    for _ in range(limit):
        page.keyboard.press("Tab")
        done = page.evaluate("""() => { const el = document.activeElement;
          if (!el || el === document.body) return false;
          if (el.dataset.tabbed) return true; el.dataset.tabbed = '1'; return false; }""")
        if done:
            break
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
      .filter((el) => el.offsetParent !== null && !el.disabled && !el.dataset.tabbed)
      .map((el) => el.outerHTML.slice(0, 120))""",
        CONTROLS,
    )


def test_sign_in_then_overview(page, web: WebService, plan: dict):
    page.goto(web.url + "/")
    token = page.get_by_label("访问令牌")
    token.wait_for()
    screenshot(page, "01-sign-in")
    token.fill("gdp_not-a-token")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("令牌无效")
    token.fill(web.tokens["coordinator"])
    page.get_by_role("button", name="登录").click()
    wait_ready(page)
    assert page.get_by_role("navigation").get_by_role("link", name="总览").get_attribute("aria-current") == "page"
    assert page.get_by_test_id("roster-version").inner_text() == "版本 1"
    card = page.locator(f"[data-round='{plan['round']}']")
    assert card.get_by_test_id("fig-floors").inner_text().startswith("84 / 84")
    assert "公里" in card.get_by_test_id("fig-distance").inner_text()
    screenshot(page, "02-overview")
    # The cookie is HttpOnly: the page's script cannot read the session.
    assert page.evaluate("document.cookie") == ""
    cookie = next(c for c in page.context.cookies() if c["name"] == "gdp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"


def test_map_colours_the_84_receivers_and_clicking_meixian_shows_its_supporter(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    goto(page, web, f"map?plan={plan['id']}")
    chart = page.locator("#map-chart")
    assert chart.get_attribute("data-coloured-counties") == "84"
    # The drawn option too: 84 receiving regions each filled with their supporter city's colour.
    coloured = page.evaluate(
        """(receivers) => {
      const regions = window.gdMap.chart.getOption().geo[0].regions;
      return regions.filter((r) => receivers.includes(r.name) && /^#[0-9a-f]{6}$/i.test(r.itemStyle.areaColor)).length; }""",
        [r["area_id"] for r in web.client("viewer").get(f"/plans/{plan['id']}/map").json()["receivers"]],
    )
    assert coloured == 84
    screenshot(page, "03-map")
    area = web.client("viewer").get(f"/plans/{plan['id']}/areas/{MEIXIAN}").json()
    supporter = next(p for p in area["partners"] if p["kind"] == "county_county")["supporter_name"]
    point = page.evaluate(f"window.gdMap.pixelOf('{MEIXIAN}')")
    page.mouse.click(point["x"], point["y"])
    detail = page.locator(f"[data-testid=county-detail][data-area='{MEIXIAN}']")
    detail.wait_for()
    assert "梅县区" in detail.get_by_role("heading").first.inner_text()
    row = detail.get_by_role("row").filter(has_text="县与县")
    assert supporter in row.inner_text()
    screenshot(page, "04-map-meixian")
    row.get_by_role("button", name=re.compile("为什么")).click()
    why = page.get_by_test_id("why")
    why.wait_for()
    assert "距离" in why.inner_text() and "每公里" in why.inner_text()
    assert why.get_by_test_id("alternative").count() == 3
    screenshot(page, "05-why")
    page.get_by_role("button", name="关闭").click()
    # Each kind's lines can be switched on and off.
    page.get_by_label("市与市").check()
    assert page.evaluate("window.gdMap.chart.getOption().series.filter((s) => s.type === 'lines').length") == 2


def test_pairs_page_filters_sorts_and_pages_12000_school_pairs(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    goto(page, web, f"pairs?plan={plan['id']}&kind=school_school")
    assert page.get_by_text(re.compile(r"共 12,\d{3} 条")).first.is_visible()
    page.get_by_role("button", name="下一页").first.click()
    page.get_by_text(re.compile(r"第 51–100 条")).first.wait_for()
    page.get_by_label("结对类型").select_option("county_county")
    page.get_by_text("共 84 条").first.wait_for()
    page.get_by_label("搜索").fill("梅县")
    page.get_by_text("共 1 条").first.wait_for()
    page.get_by_label("搜索").fill("")
    page.get_by_text("共 84 条").first.wait_for()
    # Sorting reloads the page of rows from the server: the second click waits for the first's table.
    by_total = page.get_by_role("button", name="按得分合计排序")
    by_total.click()
    page.locator("th[aria-sort=ascending]", has=by_total).wait_for()
    by_total.click()  # descending
    page.locator("th[aria-sort=descending]", has=by_total).wait_for()
    totals = [int(t.replace(",", "")) for t in page.locator("tbody tr td:nth-child(7)").all_inner_texts()]
    assert totals == sorted(totals, reverse=True) and len(totals) == 50
    screenshot(page, "06-pairs")
    assert accessible_names_missing(page) == []


def test_edit_a_roster_row_and_a_conflict_offers_reload(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    goto(page, web, "roster?table=cities")
    screenshot(page, "07-roster")
    before = web.client("viewer").get("/rosters/current").json()["version"]
    page.get_by_role("button", name=re.compile("^编辑 440100")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("可结对数 (capacity)", exact=True).fill("4")
    dialog.get_by_label("修改说明（可选）").fill("广州 takes a fourth city")
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text(f"当前版本 {before + 1}").wait_for()
    version = web.client("viewer").get(f"/rosters/{before + 1}").json()
    assert version["changes"] == [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": "4"}}]
    assert version["created_by"] == "test coordinator"
    # Someone else changes the roster between the page's read and its write.
    page.get_by_role("button", name=re.compile("^编辑 440300")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("可结对数 (capacity)", exact=True).fill("4")
    other = web.client("admin").post(
        "/rosters/current/changes",
        headers={"If-Match": f'"roster-{before + 1}"'},
        json={"changes": [{"op": "update", "table": "cities", "id": "440400", "fields": {"capacity": 3}}]},
    )
    assert other.status_code == 201, other.text
    dialog.get_by_role("button", name="保存").click()
    conflict = page.get_by_test_id("conflict")
    conflict.wait_for()
    assert f"现在是版本 {before + 2}" in conflict.inner_text()
    screenshot(page, "08-roster-conflict")
    conflict.get_by_role("button", name="重新加载最新名册").click()
    page.get_by_text(f"当前版本 {before + 2}").wait_for()
    assert web.client("viewer").get("/rosters/current").json()["version"] == before + 2
    # The history: the newest version is the second client's, with who made it.
    page.get_by_role("button", name=f"查看改动 {before + 2}").click()
    page.get_by_role("dialog").get_by_text(re.compile("test admin")).wait_for()
    assert "修改 1" in page.get_by_role("dialog").inner_text()


def test_start_a_plan_and_watch_the_progress_bar_reach_done(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    goto(page, web, "plans")
    page.get_by_label("轮次").select_option("2021-2025")
    page.get_by_label("基准方案（可选）").select_option(str(plan["id"]))
    page.get_by_role("button", name="开始求解").click()
    page.wait_for_url(re.compile(r"#/plans/\d+$"))
    bar = page.get_by_role("progressbar")
    bar.wait_for()
    seen: list[tuple[str, str]] = []
    for _ in range(1200):
        state = (bar.get_attribute("data-status"), bar.get_attribute("aria-valuenow"))
        if not seen or seen[-1] != state:
            seen.append(state)
            if state[0] == "running" and len(seen) <= 3:
                screenshot(page, "09-plan-running")
        if state[0] == "done":
            break
        page.wait_for_timeout(50)
    assert seen[-1] == ("done", "100"), seen
    # The bar was live: it showed the plan waiting or solving before it was done, never going back.
    assert seen[0][0] in ("queued", "running"), seen
    assert [int(v) for _, v in seen] == sorted(int(v) for _, v in seen), seen
    page.get_by_role("heading", name="规则报告").wait_for()
    report = page.locator("table").filter(has_text="R01").last
    assert "每个受援县有且只有一个珠三角县级支援方" in report.inner_text()
    page.get_by_text("所有受援县每年的各项下限都已满足").wait_for()
    assert "null" not in page.locator("main").inner_text()  # a missing part is left out, never printed
    screenshot(page, "10-plan-done")


def test_open_the_diff_of_two_plans(page, web: WebService, plan: dict):
    # A re-plan after 广州 may take only one receiving city: some pairs must change.
    current = web.client("viewer").get("/rosters/current")
    changed = web.client("coordinator").post(
        "/rosters/current/changes",
        headers={"If-Match": current.headers["etag"]},
        json={"changes": [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 1}}]},
    )
    assert changed.status_code in (200, 201), changed.text
    replan = web.solve(base_plan_id=plan["id"])
    diff = web.client("viewer").get(f"/plans/{replan['id']}/diff?against={plan['id']}").json()
    assert diff["added"] > 0
    sign_in(page, web, "viewer")
    goto(page, web, f"diff?a={plan['id']}&b={replan['id']}")
    summary = page.get_by_test_id("diff-summary")
    assert f"新增 {diff['added']:,}" in summary.inner_text()
    changed_counties = len({p["receiver_id"] for p in diff["kinds"]["county_county"]["added"]})
    assert page.locator("#diff-chart").get_attribute("data-changed-counties") == str(changed_counties)
    assert page.get_by_role("row").filter(has_text="新增").count() > 0
    screenshot(page, "11-diff")
    with page.expect_download() as download:
        page.get_by_role("link", name="对比 XLSX").click()
    assert download.value.suggested_filename == f"plan-{replan['id']}-vs-{plan['id']}-diff.xlsx"


def test_download_pairs_csv_in_english_and_in_chinese(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    goto(page, web, f"pairs?plan={plan['id']}")
    with page.expect_download() as english:
        page.get_by_role("link", name="结对表 CSV（英文列名）").click()
    data = english.value.path().read_bytes()
    assert data == web.client("viewer").get(f"/plans/{plan['id']}/pairs.csv").content
    assert data.startswith(b"\xef\xbb\xbfround,kind,supporter_id,supporter_name,receiver_id,receiver_name,")
    assert b",'-" not in data, "numbers must not be quoted as text"
    with page.expect_download() as chinese:
        page.get_by_role("link", name="结对表 CSV（中文列名，Excel）").click()
    data = chinese.value.path().read_bytes()
    assert data.startswith("\ufeff轮次,结对类型,".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[-2:] == ["支援方所在市", "受援方所在市"] and len(body) == sum(plan["pairs_by_kind"].values())
    scores = [float(r[header.index("得分合计")]) for r in body]  # every cell a number, negative ones too
    assert any(s < 0 for s in scores)
    assert all(r[header.index("受援方所在市")].endswith("市") for r in body)
    screenshot(page, "12-downloads")


def test_deployments_page(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    goto(page, web, f"deployments?plan={plan['id']}")
    page.get_by_label("年度").select_option("2023")
    page.get_by_label("类别").select_option("teaching_team")
    page.get_by_text(re.compile(r"共 \d+ 条")).first.wait_for()
    # The filtered table replaces the first one a moment later: wait for its second team row.
    page.get_by_role("row").filter(has_text="支教团").nth(1).wait_for()
    assert page.get_by_role("row").filter(has_text="支教团").count() > 1
    page.get_by_label("搜索").fill(MEIXIAN)
    page.get_by_role("row").filter(has_text="梅县区").first.wait_for()
    screenshot(page, "13-deployments")
    assert accessible_names_missing(page) == []


def test_a_viewer_sees_no_write_buttons(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    assert page.get_by_test_id("who").inner_text() == "test viewer（查看者）"
    goto(page, web, "roster?table=areas")
    assert page.get_by_role("button", name=re.compile("^编辑")).count() == 0
    assert page.get_by_role("button", name="上传并替换").count() == 0
    assert page.get_by_text("您是查看者").is_visible()
    screenshot(page, "14-viewer-roster")
    goto(page, web, "plans")
    assert page.get_by_role("button", name="开始求解").count() == 0
    # And the API refuses the viewer's write through the cookie session too.
    status = page.evaluate("""async () => (await fetch('/plans', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({round: '2021-2025'})})).status""")
    assert status == 403


def test_a_city_scoped_coordinator_edits_only_its_rows_and_starts_no_plans(page, web: WebService, plan: dict):
    sign_in(page, web, "meizhou")
    assert page.get_by_test_id("who").inner_text() == "梅州市教育局（协调员，限 441400）"
    goto(page, web, "roster?table=areas&q=荔湾")
    assert page.get_by_role("button", name=re.compile("^编辑 440103")).count() == 0
    assert page.get_by_text("您的令牌只能修改 441400").is_visible()
    goto(page, web, "roster?table=areas&q=梅县")
    before = web.client("viewer").get("/rosters/current").json()["version"]
    page.get_by_role("button", name=re.compile("^编辑 441403")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("修改说明（可选）").fill("梅州 checks 梅县区")
    source = dialog.get_by_label(re.compile(r"\(source\)$"))
    checked = source.input_value() + "（梅州核对）"
    source.fill(checked)
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text(f"当前版本 {before + 1}").wait_for()
    screenshot(page, "15-scoped-roster")
    audit = web.client("viewer").get("/audit", params={"table": "areas", "id": "441403"}).json()
    assert audit[0]["token_name"] == "梅州市教育局" and audit[0]["detail"]["fields"]["source"][1] == checked
    goto(page, web, "plans")
    assert page.get_by_role("button", name="开始求解").count() == 0
    assert page.get_by_text("方案由全省的协调员生成和取消").is_visible()
    # The server refuses what the page does not offer, through the cookie session too.
    status = page.evaluate(
        """async (csrf) => (await fetch('/plans', {method: 'POST', headers: {'Content-Type':
        'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify({round: '2021-2025'})})).status""",
        page.evaluate("async () => (await (await fetch('/session')).json()).csrf_token"),
    )
    assert status == 403


def test_a_waiting_plan_is_cancelled_from_its_page(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    coordinator = web.client("coordinator")
    # Two plans keep the worker's two slots busy; the third waits, and is cancelled from its page.
    ids = [coordinator.post("/plans", json={"round": "2026-2030"}).json()["id"] for _ in range(3)]
    page.goto(f"{web.url}/#/plans/{ids[2]}")  # not goto(): the page is ready only once the plan has finished
    page.get_by_test_id("cancel-plan").click()
    page.locator("[role=progressbar][data-status=cancelled]").wait_for(timeout=15_000)
    wait_ready(page)
    assert web.client("viewer").get(f"/plans/{ids[2]}").json()["status"] == "cancelled"
    assert "已取消" in page.get_by_role("progressbar").get_attribute("aria-valuetext")
    screenshot(page, "16-plan-cancelled")
    for plan_id in ids[:2]:
        assert coordinator.post(f"/plans/{plan_id}/cancel").status_code in (200, 202, 409)


@pytest.mark.parametrize("hash_path", ["overview", "map", "pairs", "roster", "plans", "diff", "deployments", "actuals"])
def test_every_page_is_labelled_and_keyboard_reachable(page, web: WebService, plan: dict, hash_path: str):
    sign_in(page, web, "coordinator")
    goto(page, web, hash_path)
    assert page.viewport_size == {"width": 1366, "height": 768}
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, "no horizontal scrolling at 1366 px"
    assert accessible_names_missing(page) == []
    assert tab_reaches_every_control(page) == []


def test_english_switch_and_sign_out(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    page.get_by_role("button", name="切换为英文界面").click()
    wait_ready(page)
    assert page.get_by_role("navigation").get_by_role("link", name="Overview").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    screenshot(page, "15-english")
    page.get_by_role("button", name="Switch to Chinese").click()
    page.get_by_role("button", name="退出").click()
    page.get_by_label("访问令牌").wait_for()
    assert page.evaluate("async () => (await fetch('/rosters/current')).status") == 401


def test_docs_load_offline(page, web: WebService):
    page.goto(web.url + "/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() > 20
    screenshot(page, "16-docs")


def test_upload_shows_each_problem_next_to_its_row(page, web: WebService, plan: dict, tmp_path):
    from openpyxl import Workbook

    text = web.client("viewer").get("/rosters/current/cities.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows[5][rows[0].index("capacity")] = "很多"
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "cities.xlsx"
    workbook.save(path)
    sign_in(page, web, "coordinator")
    goto(page, web, "roster?table=cities")
    page.get_by_label("选择文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并替换").click()
    problems = page.get_by_test_id("upload-problems")
    problems.wait_for()
    row = problems.get_by_role("row").filter(has_text="可结对数")
    assert row.count() == 1
    assert (
        row.get_by_role("cell").first.inner_text() == "6"
        and rows[5][0] in row.inner_text()
        and "很多" in row.inner_text()
    )
    screenshot(page, "17-roster-upload-problems")


def test_a_plan_that_cannot_exist_shows_why(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    goto(page, web, "plans")
    # 珠海's units can take 8 counties in all: 梅州 (8) and 茂名 (5) together cannot be its
    page.get_by_label(re.compile("^固定或禁止的结对")).fill("city_city,440400,441400,fix\ncity_city,440400,440900,fix")
    page.get_by_role("button", name="开始求解").click()
    page.wait_for_url(re.compile(r"#/plans/\d+$"))
    explanation = page.get_by_test_id("explanation")
    explanation.wait_for(timeout=180_000)
    assert page.get_by_role("progressbar").get_attribute("data-status") == "infeasible"
    text = explanation.inner_text()
    assert "为什么没有可行方案" in text and "珠海市（440400）" in text and "梅州市（441400）" in text
    screenshot(page, "18-plan-infeasible")


def test_a_plans_page_names_who_is_over_budget(page, web: WebService, plan: dict):
    sign_in(page, web, "viewer")
    goto(page, web, f"plans/{plan['id']}")
    card = page.get_by_test_id("over-budget")
    card.wait_for()
    text = card.inner_text()
    assert "成本超出预算的单位" in text and "广州市 (440100)" in text and "深圳市 (440300)" in text
    assert card.get_by_role("link", name="成本表 CSV").get_attribute("href") == f"/plans/{plan['id']}/costs.csv"
    screenshot(page, "19-over-budget")
    assert accessible_names_missing(page) == []


def test_preview_a_roster_edit_without_saving_it(page, web: WebService, plan: dict):
    sign_in(page, web, "coordinator")
    goto(page, web, "roster?table=cities")
    viewer = web.client("viewer")
    before = viewer.get("/rosters/current").headers["etag"], viewer.get("/plans").json()
    page.get_by_role("button", name=re.compile("^编辑 440100")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("可结对数 (capacity)", exact=True).fill("1")
    dialog.get_by_role("button", name="预览对结对的影响").click()
    summary = dialog.get_by_test_id("preview").get_by_text(re.compile("名册和方案均未改变"))
    summary.wait_for(timeout=180_000)
    # The page shows what the API answers for the same change against the same plan (the latest
    # done plan: earlier tests may already have cut 广州, so the count itself may be zero).
    shown = re.search(r"与方案 (\d+) 相比：新增 ([\d,]+) 对，取消 ([\d,]+) 对", summary.inner_text())
    assert shown is not None, summary.inner_text()
    answer = web.client("coordinator").post(
        "/plans/preview",
        json={
            "base_plan_id": int(shown[1]),
            "changes": [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 1}}],
        },
    )
    assert answer.status_code == 200, answer.text
    counts = (int(shown[2].replace(",", "")), int(shown[3].replace(",", "")))
    assert (answer.json()["added"], answer.json()["removed"]) == counts
    summary.scroll_into_view_if_needed()
    screenshot(page, "20-roster-preview")
    assert (viewer.get("/rosters/current").headers["etag"], viewer.get("/plans").json()) == before
