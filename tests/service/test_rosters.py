"""Roster versions: reading, changing (If-Match, all or nothing), uploading tables."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import httpx

from solver.roster.models import Table, columns
from tests.service.conftest import Service
from tests.service.test_access import _is_problem


def _current(client: httpx.Client) -> tuple[dict, str]:
    response = client.get("/rosters/current")
    assert response.status_code == 200, response.text
    return response.json(), response.headers["etag"]


def _rows(client: httpx.Client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _snapshot(client: httpx.Client) -> dict[str, bytes]:
    return {t.value: client.get(f"/rosters/current/{t.value}.csv").content for t in Table}


def _post(client: httpx.Client, etag: str | None, *changes: dict) -> httpx.Response:
    headers = {"If-Match": etag} if etag else {}
    return client.post("/rosters/current/changes", json={"changes": list(changes)}, headers=headers)


def test_current_summary_with_etag_and_counts(service: Service):
    summary, etag = _current(service.client("viewer"))
    assert etag == f'"roster-{summary["version"]}"' == summary["etag"]
    assert summary["counts"]["cities"] == 21 and summary["counts"]["receiving_areas"] == 84
    assert summary["counts"]["schools"] > 1000
    assert set(summary["tables"]) == {t.value for t in Table}


def test_version_1_is_the_bundled_roster(service: Service, roster_dir):
    viewer = service.client("viewer")
    first = viewer.get("/rosters/1")
    assert first.status_code == 200 and first.headers["etag"] == '"roster-1"'
    assert first.json()["created_by"] == "bundled" and first.json()["source"] == "bundled"
    assert viewer.get("/rosters").json()[-1]["version"] == 1
    for table in Table:
        response = viewer.get(f"/rosters/1/{table.value}.csv")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="{table.filename}"'
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert list(rows[0]) == columns(table)
        with open(roster_dir / table.filename, encoding="utf-8-sig", newline="") as handle:
            bundled = {r[table.model.id_field] for r in csv.DictReader(handle)}
        assert {r[table.model.id_field] for r in rows} == bundled


def test_current_tables_and_chinese_names(service: Service):
    cities = {r["city_id"]: r["name"] for r in _rows(service.client("viewer"), "/rosters/current/cities.csv")}
    assert cities["440100"] == "广州市" and cities["441400"] == "梅州市"


def test_unknown_versions_and_tables_are_404(service: Service):
    viewer = service.client("viewer")
    _is_problem(viewer.get("/rosters/999999"), 404)
    _is_problem(viewer.get("/rosters/999999/cities.csv"), 404)
    body = _is_problem(viewer.get("/rosters/current/teachers.csv"), 404)
    assert "schools" in body["detail"]
    _is_problem(viewer.get("/rosters/1/teachers.csv"), 404)
    _is_problem(viewer.get("/rosters/abc"), 422)


def test_a_change_needs_if_match(service: Service):
    coordinator = service.client("coordinator")
    change = {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity_source": "x"}}
    body = _is_problem(_post(coordinator, None, change), 428)
    assert "If-Match" in body["detail"]
    _is_problem(_post(coordinator, "yesterday", change), 412)


def test_a_stale_if_match_is_409(service: Service):
    coordinator = service.client("coordinator")
    summary, _ = _current(coordinator)
    change = {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity_source": "x"}}
    stale = f'"roster-{summary["version"] - 1}"' if summary["version"] > 1 else '"roster-0"'
    body = _is_problem(_post(coordinator, stale, change), 409)
    assert body["current_version"] == summary["version"]


def test_bad_changes_are_all_listed_and_nothing_changes(service: Service):
    coordinator = service.client("coordinator")
    summary, etag = _current(coordinator)
    before = _snapshot(coordinator)
    schools = _rows(coordinator, "/rosters/current/schools.csv")
    areas = {r["area_id"]: r for r in _rows(coordinator, "/rosters/current/areas.csv")}
    county = next(s["area_id"] for s in schools if areas[s["area_id"]]["role"] == "receiver")
    changes = [
        {"op": "update", "table": "cities", "id": "440100", "fields": {"lat": 99}},
        {"op": "add", "table": "schools", "id": "2144999999", "fields": {"colour": "red"}},
        {"op": "update", "table": "schools", "id": "2144000000", "fields": {"teachers": 3}},
        {"op": "remove", "table": "areas", "id": county},
        {"op": "update", "table": "schools", "id": schools[0]["school_id"], "fields": {"teachers": 77}},
        {"op": "add", "table": "universities", "id": "4144099999", "fields": {"name": "新大学", "kind": "neither"}},
    ]
    response = _post(coordinator, etag, *changes)
    body = _is_problem(response, 422)
    by_index: dict[int, set] = {}
    for error in body["errors"]:
        by_index.setdefault(error["index"], set()).add(error["field"])
        assert error["message"]
    assert "lat" in by_index[0]
    assert "colour" in by_index[1]
    assert "school_id" in by_index[2]
    # The schools and the institute left in the removed county name the change that removed it.
    assert "area_id" in by_index[3]
    assert 4 not in by_index
    assert {"kind", "city_id", "lat"} <= by_index[5]
    after_summary, after_etag = _current(coordinator)
    assert after_etag == etag and after_summary["version"] == summary["version"]
    assert _snapshot(coordinator) == before


def test_an_accepted_change_makes_a_new_version(service: Service):
    coordinator = service.client("coordinator")
    summary, etag = _current(coordinator)
    school = _rows(coordinator, "/rosters/current/schools.csv")[1]
    new_teachers = int(school["teachers"]) + 5
    response = _post(
        coordinator,
        etag,
        {"op": "update", "table": "schools", "id": school["school_id"], "fields": {"teachers": new_teachers}},
        {"op": "update", "table": "cities", "id": "440300", "fields": {"capacity_source": "协调员核定"}},
    )
    assert response.status_code == 201, response.text
    version = response.json()
    assert version["version"] == summary["version"] + 1
    assert response.headers["etag"] == f'"roster-{version["version"]}"'
    assert response.headers["location"] == f"/rosters/{version['version']}"
    assert version["created_by"] == "test coordinator"
    assert version["diff"]["schools"]["updated_ids"] == [school["school_id"]]
    assert version["diff"]["cities"]["updated_ids"] == ["440300"]
    assert version["changes"][0]["fields"] == {"teachers": new_teachers}
    assert sorted(version["changed_tables"]) == ["cities", "schools"]
    # Unchanged tables are shared with the previous version (content-addressed).
    previous = coordinator.get(f"/rosters/{summary['version']}").json()
    for table in ("areas", "universities", "institutes"):
        assert version["tables"][table]["sha256"] == previous["tables"][table]["sha256"]
    assert version["tables"]["schools"]["sha256"] != previous["tables"]["schools"]["sha256"]
    now = {r["school_id"]: r for r in _rows(coordinator, "/rosters/current/schools.csv")}
    old = {r["school_id"]: r for r in _rows(coordinator, f"/rosters/{summary['version']}/schools.csv")}
    assert now[school["school_id"]]["teachers"] == str(new_teachers)
    assert old[school["school_id"]]["teachers"] == school["teachers"]
    diff = coordinator.get(f"/rosters/{version['version']}/diff", params={"against": summary["version"]}).json()
    assert diff["tables"]["schools"]["updated_ids"] == [school["school_id"]]
    assert diff["tables"]["areas"] == {
        "added": 0,
        "removed": 0,
        "updated": 0,
        "added_ids": [],
        "removed_ids": [],
        "updated_ids": [],
    }
    _is_problem(coordinator.get(f"/rosters/{version['version']}/diff", params={"against": 999999}), 404)
    history = coordinator.get("/rosters").json()
    assert history[0]["version"] == version["version"] and history[0]["created_by"] == "test coordinator"
    # The same change again changes nothing: no new version.
    again = _post(
        coordinator,
        response.headers["etag"],
        {"op": "update", "table": "schools", "id": school["school_id"], "fields": {"teachers": new_teachers}},
    )
    assert again.status_code == 200 and again.json()["version"] == version["version"]


def test_add_and_remove_rows(service: Service):
    coordinator = service.client("coordinator")
    summary, etag = _current(coordinator)
    school = _rows(coordinator, "/rosters/current/schools.csv")[0]
    new = {**school, "school_id": "2144899999", "name": "测试新建小学（合成）", "stage": "primary"}
    new.pop("school_id")
    added = _post(coordinator, etag, {"op": "add", "table": "schools", "id": "2144899999", "fields": new})
    assert added.status_code == 201, added.text
    assert added.json()["diff"]["schools"]["added_ids"] == ["2144899999"]
    removed = _post(coordinator, added.headers["etag"], {"op": "remove", "table": "schools", "id": "2144899999"})
    assert removed.status_code == 201, removed.text
    assert removed.json()["diff"]["schools"]["removed_ids"] == ["2144899999"]
    # Back to the same content: the same stored table as before the add.
    assert removed.json()["tables"]["schools"]["sha256"] == summary["tables"]["schools"]["sha256"]
    ids = {r["school_id"] for r in _rows(coordinator, "/rosters/current/schools.csv")}
    assert "2144899999" not in ids


def test_twenty_concurrent_changes_one_wins(service: Service):
    coordinator = service.client("coordinator")
    summary, etag = _current(coordinator)
    schools = _rows(coordinator, "/rosters/current/schools.csv")[10:30]

    def change(school: dict) -> httpx.Response:
        with httpx.Client(
            base_url=service.url, timeout=120, headers={"Authorization": f"Bearer {service.tokens['coordinator']}"}
        ) as client:
            return _post(
                client,
                etag,
                {
                    "op": "update",
                    "table": "schools",
                    "id": school["school_id"],
                    "fields": {"teachers": int(school["teachers"]) + 1000},
                },
            )

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(change, schools))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, [r.text for r in responses if r.status_code not in (201, 409)]
    (winner,) = [s for s, r in zip(schools, responses, strict=False) if r.status_code == 201]
    after, _ = _current(coordinator)
    assert after["version"] == summary["version"] + 1
    assert coordinator.get(f"/rosters/{after['version']}").json()["diff"]["schools"]["updated_ids"] == [
        winner["school_id"]
    ]
    now = {r["school_id"]: r["teachers"] for r in _rows(coordinator, "/rosters/current/schools.csv")}
    for school in schools:
        expected = int(school["teachers"]) + (1000 if school is winner else 0)
        assert now[school["school_id"]] == str(expected)


def _cities_csv(client: httpx.Client) -> list[dict[str, str]]:
    return _rows(client, "/rosters/current/cities.csv")


def _csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_put_a_table_in_gb18030(service: Service):
    coordinator = service.client("coordinator")
    summary, etag = _current(coordinator)
    rows = _cities_csv(coordinator)
    for row in rows:
        if row["city_id"] == "441400":
            row["coord_source"] = "梅州市自然资源局（协调员更新）"
    body = _csv_text(rows).encode("gb18030")
    _is_problem(coordinator.put("/rosters/current/cities.csv", content=body), 428)
    response = coordinator.put(
        "/rosters/current/cities.csv", content=body, headers={"If-Match": etag, "Content-Type": "text/csv"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["version"] == summary["version"] + 1
    assert response.json()["source"] == "upload:cities.csv"
    assert response.json()["diff"]["cities"]["updated_ids"] == ["441400"]
    now = {r["city_id"]: r for r in _cities_csv(coordinator)}
    assert now["441400"]["coord_source"] == "梅州市自然资源局（协调员更新）"
    # UTF-8 with BOM, as Excel saves "CSV UTF-8": the same content is no change at all.
    same = coordinator.put(
        "/rosters/current/cities.csv",
        content=_csv_text(rows).encode("utf-8-sig"),
        headers={"If-Match": response.headers["etag"]},
    )
    assert same.status_code == 200 and same.json()["version"] == response.json()["version"]


def test_a_bad_upload_names_rows_and_fields(service: Service):
    coordinator = service.client("coordinator")
    _summary, etag = _current(coordinator)
    before = _snapshot(coordinator)
    rows = _cities_csv(coordinator)
    rows[1]["lat"] = "99"  # spreadsheet row 3
    rows[3]["zone"] = "middle"  # spreadsheet row 5
    response = coordinator.put(
        "/rosters/current/cities.csv", content=_csv_text(rows).encode("utf-8"), headers={"If-Match": etag}
    )
    body = _is_problem(response, 422)
    found = {(e["row"], e["field"]) for e in body["errors"]}
    assert {(3, "lat"), (5, "zone")} <= found
    assert all(e["file"] == "cities.csv" for e in body["errors"])
    missing = coordinator.put(
        "/rosters/current/cities.csv", content="city_id,name\n440100,广州市\n".encode(), headers={"If-Match": etag}
    )
    assert {(e["row"], e["field"]) for e in _is_problem(missing, 422)["errors"]} >= {(1, "zone"), (1, "lat")}
    _is_problem(
        coordinator.put("/rosters/current/cities.csv", content=b"\xff\xfe\xff", headers={"If-Match": etag}), 422
    )
    _is_problem(coordinator.put("/rosters/current/cities.csv", content=b"", headers={"If-Match": etag}), 422)
    # Removing a county in areas.csv leaves its schools without one: named by file and row.
    areas = _rows(coordinator, "/rosters/current/areas.csv")
    schools = _rows(coordinator, "/rosters/current/schools.csv")
    used = {s["area_id"] for s in schools}
    kept = [a for a in areas if a["area_id"] != next(iter(sorted(used)))]
    cross = coordinator.put("/rosters/current/areas.csv", content=_csv_text(kept).encode(), headers={"If-Match": etag})
    errors = _is_problem(cross, 422)["errors"]
    assert any(e["file"] == "schools.csv" and e["field"] == "area_id" and e["row"] for e in errors)
    _after, after_etag = _current(coordinator)
    assert after_etag == etag and _snapshot(coordinator) == before


def test_changes_body_is_validated(service: Service):
    coordinator = service.client("coordinator")
    _, etag = _current(coordinator)
    response = coordinator.post(
        "/rosters/current/changes",
        headers={"If-Match": etag},
        json={
            "changes": [
                {"op": "rename", "table": "cities", "id": "440100"},
                {"op": "add", "table": "teachers", "id": "1"},
            ]
        },
    )
    body = _is_problem(response, 422)
    assert {(e["index"], e["field"]) for e in body["errors"]} == {(0, "op"), (1, "table")}
    _is_problem(
        coordinator.post(
            "/rosters/current/changes",
            headers={"If-Match": etag},
            content=b"not json",
        ),
        422,
    )
