"""The web app's HTTP side, on SQLite and PostgreSQL: the cookie session and its CSRF guard, the
JSON views, the why of a pair, the Excel downloads, uploads, and what the root and /docs serve."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from tests.service.conftest import Service, wait_plan


@pytest.fixture(scope="module")
def plan(service: Service) -> dict:
    response = service.client("coordinator").post("/plans", json={"round": "2021-2025"})
    assert response.status_code == 202, response.text
    done = wait_plan(service.client("viewer"), response.json()["id"])
    assert done["status"] == "done", done
    return done


def browser(service: Service, role: str) -> tuple[httpx.Client, str]:
    """A cookie-only client signed in as `role`, and its CSRF token."""
    client = httpx.Client(base_url=service.url, timeout=120)
    response = client.post("/session", json={"token": service.tokens[role]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["role"] == role and body["name"] == f"test {role}"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    return client, body["csrf_token"]


def test_cookie_session_reads_and_writes_only_with_its_csrf_token(service: Service):
    client, csrf = browser(service, "coordinator")
    secret = client.cookies.get("gdp_session")
    try:
        assert client.get("/rosters/current").status_code == 200
        assert client.get("/session").json()["csrf_token"] == csrf
        body = {"round": "2021-2025", "rules": {"nope": {"x": 1}}}  # refused by validation, after auth
        missing = client.post("/plans", json=body)
        assert missing.status_code == 403 and missing.json()["type"].endswith("/csrf")
        wrong = client.post("/plans", json=body, headers={"X-CSRF-Token": csrf[:-1] + "x"})
        assert wrong.status_code == 403
        cross_site = client.post("/plans", json=body, headers={"X-CSRF-Token": csrf, "Origin": "http://evil.example"})
        assert cross_site.status_code == 403
        same_site = client.post("/plans", json=body, headers={"X-CSRF-Token": csrf, "Origin": service.url})
        assert same_site.status_code == 422  # through auth and CSRF, then validated
        assert client.delete("/session").status_code == 403  # signing out is a write too
        assert client.delete("/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    finally:
        client.close()
    # The old cookie no longer works: sign-out deleted the session.
    stale = httpx.get(f"{service.url}/rosters/current", cookies={"gdp_session": secret})
    assert stale.status_code == 401


def test_sign_in_refuses_bad_tokens_and_a_revoked_token_ends_its_sessions(service: Service):
    assert httpx.post(f"{service.url}/session", json={"token": "gdp_nope"}).status_code == 401
    assert httpx.post(f"{service.url}/session", json={}).status_code == 422
    assert httpx.get(f"{service.url}/session").status_code == 401
    created = service.client("admin").post("/tokens", json={"role": "viewer", "name": "short-lived"}).json()
    with httpx.Client(base_url=service.url) as client:
        assert client.post("/session", json={"token": created["token"]}).status_code == 200
        assert client.get("/plans").status_code == 200
        assert service.client("admin").delete(f"/tokens/{created['id']}").status_code == 204
        assert client.get("/plans").status_code == 401


def test_bearer_tokens_need_no_csrf_token(service: Service):
    response = service.client("coordinator").post("/plans", json={"round": "2021-2025", "rules": {"nope": {"x": 1}}})
    assert response.status_code == 422


def test_root_serves_the_app_and_docs_load_nothing_from_outside(service: Service):
    root = httpx.get(service.url + "/")
    assert root.status_code == 200 and '<script type="module" src="/static/js/app.js">' in root.text
    assert "default-src 'self'" in root.headers["content-security-policy"]
    docs = httpx.get(service.url + "/docs").text
    assert not re.search(r"(src|href)=\"https?://", docs), "the docs page must use the vendored files"
    for path in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", docs + root.text):
        assert httpx.get(service.url + path).status_code == 200, path
    assert httpx.get(service.url + "/redoc").status_code == 404
    assert httpx.get(service.url + "/static/map/guangdong.json").json()["features"]


def test_pairs_view_filters_sorts_pages_and_refuses_bad_input(service: Service, plan: dict):
    viewer = service.client("viewer")
    page = viewer.get(f"/plans/{plan['id']}/pairs", params={"kind": "school_school", "offset": 100, "limit": 25}).json()
    assert page["total"] == plan["pairs_by_kind"]["school_school"] and len(page["items"]) == 25
    found = viewer.get(f"/plans/{plan['id']}/pairs", params={"q": "梅县区", "kind": "county_county"}).json()
    assert [p["receiver_id"] for p in found["items"]] == ["441403"]
    ranked = viewer.get(f"/plans/{plan['id']}/pairs", params={"sort": "-total", "limit": 500}).json()["items"]
    assert [p["total"] for p in ranked] == sorted((p["total"] for p in ranked), reverse=True)
    city = viewer.get(f"/plans/{plan['id']}/pairs", params={"city": "441400", "kind": "county_county"}).json()
    assert city["total"] == 8 and all(p["receiver_city"] == "梅州市" for p in city["items"])
    for params in ({"sort": "nope"}, {"limit": 0}, {"limit": 100000}, {"kind": "nope"}, {"offset": -1}):
        bad = viewer.get(f"/plans/{plan['id']}/pairs", params=params)
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json", params
    assert viewer.get("/plans/999999/pairs").status_code == 404
    assert viewer.get("/plans/1/pairs", headers={"Authorization": ""}).status_code == 401


def test_why_lists_alternatives_that_never_beat_an_optimal_plan(service: Service, plan: dict):
    viewer = service.client("viewer")
    county = viewer.get(f"/plans/{plan['id']}/pairs", params={"kind": "county_county", "q": "441403"}).json()["items"][
        0
    ]
    why = viewer.get(
        f"/plans/{plan['id']}/why",
        params={"kind": "county_county", "supporter_id": county["supporter_id"], "receiver_id": "441403"},
    ).json()
    assert sum(term["value"] for term in why["terms"]) == why["total"] == county["total"]
    assert {term["term"]: term["weight"] for term in why["terms"]}["distance"] == "distance"
    assert len(why["alternatives"]) == 3 and not why["derived"]
    # Each alternative is the round solved again without the pair (and the ones before it): with
    # the plan proven optimal none does better, and each forbids more, so none beats the one before.
    assert all(alt["delta"] >= 0 and alt["exact"] and alt["changed"] >= 1 for alt in why["alternatives"])
    assert [a["delta"] for a in why["alternatives"]] == sorted(a["delta"] for a in why["alternatives"])
    supporters = [county["supporter_id"]] + [a["supporter_id"] for a in why["alternatives"]]
    assert len(set(supporters)) == 4
    for alt in why["alternatives"]:
        assert sum(t["value"] for t in alt["terms"]) == alt["total"]
    for kind in ("city_city", "normal_university_city", "university_area"):
        pair = viewer.get(f"/plans/{plan['id']}/pairs", params={"kind": kind, "limit": 1}).json()["items"][0]
        answer = viewer.get(
            f"/plans/{plan['id']}/why",
            params={"kind": kind, "supporter_id": pair["supporter_id"], "receiver_id": pair["receiver_id"], "limit": 1},
        ).json()
        assert len(answer["alternatives"]) == 1, kind
        # only a pair kept by a hard tie (R23) can have cheaper alternatives: they set the tie aside
        assert answer["hard_tie"] or all(a["delta"] >= 0 for a in answer["alternatives"]), kind
    school = viewer.get(f"/plans/{plan['id']}/pairs", params={"kind": "school_school", "limit": 1}).json()["items"][0]
    derived = viewer.get(
        f"/plans/{plan['id']}/why",
        params={"kind": "school_school", "supporter_id": school["supporter_id"], "receiver_id": school["receiver_id"]},
    ).json()
    assert derived["derived"] and derived["alternatives"] == []
    missing = viewer.get(
        f"/plans/{plan['id']}/why", params={"kind": "county_county", "supporter_id": "x", "receiver_id": "y"}
    )
    assert missing.status_code == 404


def test_map_and_county_detail(service: Service, plan: dict):
    viewer = service.client("viewer")
    data = viewer.get(f"/plans/{plan['id']}/map").json()
    assert len(data["receivers"]) == 84
    assert all(r["supporter_city_id"] == r["supporter_id"][:4] + "00" for r in data["receivers"])
    assert len(data["lines"]["county_county"]) == 84
    assert sum(line["count"] for line in data["lines"]["school_school"]) == plan["pairs_by_kind"]["school_school"]
    for line in data["lines"]["county_county"]:
        assert line["from"] in data["points"] and line["to"] in data["points"]
    detail = viewer.get(f"/plans/{plan['id']}/areas/441403").json()
    kinds = {p["kind"] for p in detail["partners"]}
    assert {"city_city", "county_county", "normal_university_city", "institute_institute"} <= kinds
    assert sorted(detail["deployments_by_year"]) == ["2021", "2022", "2023", "2024", "2025"]
    assert detail["deployments_by_year"]["2021"]["teaching_team"]["teams"] >= 3  # R07's floor
    supporter = next(p["supporter_id"] for p in detail["partners"] if p["kind"] == "county_county")
    assert any(
        p["receiver_id"] == "441403"
        for p in viewer.get(f"/plans/{plan['id']}/areas/{supporter}").json()["as_supporter"]
    )
    assert viewer.get(f"/plans/{plan['id']}/areas/999999").status_code == 404


def test_deployments_view_and_xlsx(service: Service, plan: dict):
    viewer = service.client("viewer")
    page = viewer.get(
        f"/plans/{plan['id']}/deployments", params={"year": 2022, "flow": "teaching_team", "q": "梅县区"}
    ).json()
    assert page["total"] > 0 and all(r["year"] == "2022" and r["flow"] == "teaching_team" for r in page["items"])
    assert page["summary"]["teaching_team"]["2022"]["teams"] >= 3
    response = viewer.get(f"/plans/{plan['id']}/deployments.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert viewer.get(f"/plans/{plan['id']}/deployments.xlsx").content == response.content  # stored, same bytes
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    assert header[:3] == ("轮次", "年度", "类别")
    first = next(rows)
    assert isinstance(first[header.index("年度")], int) and isinstance(first[header.index("人数")], int)


def test_pairs_csv_in_chinese_sums_in_a_spreadsheet(service: Service, plan: dict):
    viewer = service.client("viewer")
    english = viewer.get(f"/plans/{plan['id']}/pairs.csv").content
    assert b",'-" not in english and re.search(rb",-\d+,", english)
    response = viewer.get(f"/plans/{plan['id']}/pairs.csv", params={"header": "zh", "kind": "normal_university_city"})
    assert response.status_code == 200 and "-zh.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["轮次", "结对类型", "支援方代码"] and rows[0][-2:] == ["支援方所在市", "受援方所在市"]
    assert len(rows) == 1 + plan["pairs_by_kind"]["normal_university_city"]
    total = sum(int(r[rows[0].index("得分合计")]) for r in rows[1:])
    assert total < 0  # tie bonuses: negative, and still numbers
    assert {r[1] for r in rows[1:]} == {"师范类院校与市"}
    assert viewer.get(f"/plans/{plan['id']}/pairs.csv", params={"header": "fr"}).status_code == 422


def test_diff_downloads(service: Service, plan: dict):
    viewer = service.client("viewer")
    meizhou = viewer.get(f"/plans/{plan['id']}/pairs", params={"kind": "city_city", "q": "441400"}).json()["items"][0]
    replan = service.client("coordinator").post(
        "/plans",
        json={
            "round": "2021-2025",
            "base_plan_id": plan["id"],
            "pins": [
                {
                    "kind": "city_city",
                    "supporter_id": meizhou["supporter_id"],
                    "receiver_id": "441400",
                    "action": "forbid",
                }
            ],
        },
    )
    assert replan.status_code == 202, replan.text
    other = wait_plan(viewer, replan.json()["id"])
    assert other["status"] == "done", other
    diff = viewer.get(f"/plans/{other['id']}/diff", params={"against": plan["id"]}).json()
    assert diff["added"] > 0
    english = viewer.get(f"/plans/{other['id']}/diff.csv", params={"against": plan["id"]}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(english)))
    assert rows[0] == ["change", "kind", "supporter_id", "supporter_name", "receiver_id", "receiver_name"]
    assert len(rows) - 1 == diff["added"] + diff["removed"]
    assert ["removed", "city_city", meizhou["supporter_id"], meizhou["supporter_name"], "441400", "梅州市"] in rows
    chinese = viewer.get(f"/plans/{other['id']}/diff.csv", params={"against": plan["id"], "header": "zh"}).content
    assert chinese.decode("utf-8-sig").startswith("变化,结对类型,")
    workbook = load_workbook(
        io.BytesIO(viewer.get(f"/plans/{other['id']}/diff.xlsx", params={"against": plan["id"]}).content)
    )
    assert workbook.worksheets[0].max_row == 1 + diff["added"] + diff["removed"]
    assert viewer.get(f"/plans/{other['id']}/diff.csv", params={"against": 999999}).status_code == 404


def test_roster_rows_view(service: Service):
    viewer = service.client("viewer")
    page = viewer.get(
        "/web/rosters/current/areas", params={"role": "receiver", "city_id": "441400", "sort": "-teachers"}
    )
    body = page.json()
    assert body["total"] == 8 and page.headers["etag"] == body["etag"]
    assert [r["teachers"] for r in body["items"]] == sorted((r["teachers"] for r in body["items"]), reverse=True)
    schools = viewer.get("/web/rosters/1/schools", params={"limit": 10, "offset": 20000}).json()
    assert schools["total"] == 23424 and len(schools["items"]) == 10
    assert viewer.get("/web/rosters/current/nope").status_code == 404
    assert viewer.get("/web/rosters/abc/areas").status_code == 422
    assert viewer.get("/web/rosters/current/areas", params={"sort": "nope"}).status_code == 422


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_upload_xlsx_shows_each_problem_with_its_row(service: Service):
    viewer, coordinator = service.client("viewer"), service.client("coordinator")
    current = viewer.get("/rosters/current")
    text = viewer.get("/rosters/current/cities.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    broken = [list(r) for r in rows]
    broken[3][header.index("capacity")] = "many"
    bad = coordinator.put(
        "/web/rosters/current/cities", content=_xlsx(broken), headers={"If-Match": current.headers["etag"]}
    )
    assert bad.status_code == 422, bad.text
    error = next(e for e in bad.json()["errors"] if e["field"] == "capacity")
    assert error["row"] == 4 and error["cells"]["city_id"] == rows[3][0] and error["cells"]["capacity"] == "many"
    assert (
        coordinator.put(
            "/web/rosters/current/cities", content=b"PK\x03\x04broken", headers={"If-Match": current.headers["etag"]}
        ).status_code
        == 422
    )
    same = coordinator.put(
        "/web/rosters/current/cities", content=_xlsx(rows), headers={"If-Match": current.headers["etag"]}
    )
    assert same.status_code == 200, same.text  # the same table: nothing changed
    assert (
        viewer.put(
            "/web/rosters/current/cities", content=_xlsx(rows), headers={"If-Match": current.headers["etag"]}
        ).status_code
        == 403
    )


def test_overview_figures_agree_with_the_plan(service: Service, plan: dict):
    viewer = service.client("viewer")
    overview = viewer.get("/web/overview").json()
    assert overview["roster"]["version"] == viewer.get("/rosters/current").json()["version"]
    entry = next(r for r in overview["rounds"] if r["round"] == "2021-2025")
    done = entry["latest_done"]
    figures = entry["figures"]
    assert figures["receivers"] == 84
    shortfalls = viewer.get(f"/plans/{done['id']}/deployments", params={"flow": "shortfall", "limit": 500}).json()[
        "items"
    ]
    report = viewer.get(f"/plans/{done['id']}").json()["report"]
    yearly_failures = {
        i
        for r in report["rules"]
        if r["status"] == "fail"
        and r["id"] not in ("R01", "R02", "R03", "R04", "R05", "R06", "R21", "PIN", "ROUND", "DEPLOY")
        for v in r["violations"]
        for i in v["ids"]
    }
    missing = {r["to_id"] for r in shortfalls} | yearly_failures
    receivers = {r["area_id"] for r in viewer.get(f"/plans/{done['id']}/map").json()["receivers"]}
    assert figures["receivers_meeting_floors"] == len(receivers - missing)
    assert figures["rules_failed"] == [r["id"] for r in report["rules"] if r["status"] == "fail"]
    county = viewer.get(f"/plans/{done['id']}/pairs", params={"kind": "county_county", "limit": 500}).json()["items"]
    loads = {}
    for pair in county:
        loads[pair["supporter_id"]] = loads.get(pair["supporter_id"], 0) + 1
    assert figures["most_loaded"]["receivers"] == max(loads.values())
    assert loads[figures["most_loaded"]["supporter_id"]] == max(loads.values())
    pairs = viewer.get(f"/plans/{done['id']}/pairs", params={"limit": 500, "kind": "city_city"}).json()["items"]
    assert figures["distance_km_by_kind"]["city_city"] == pytest.approx(sum(p["distance_km"] for p in pairs), abs=0.2)
    if done["base_plan_id"]:
        base = viewer.get(f"/plans/{done['id']}/diff", params={"against": done["base_plan_id"]}).json()
        assert figures["kept_from_base"]["kept"] == base["kept"]
    else:
        assert figures["kept_from_base"] is None
