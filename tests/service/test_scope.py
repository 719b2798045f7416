"""City-scoped coordinator tokens and the audit trail, on SQLite and PostgreSQL.

A token scoped to 梅州 (441400) reads everything, changes only 梅州's rows (its city row, areas,
institutes, schools and universities located there), gets 403 naming any row outside, starts and
cancels no plans; every change is in GET /audit with the token that made it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.service.conftest import Service

MEIZHOU, GUANGZHOU = "441400", "440100"


@pytest.fixture(scope="module")
def meizhou(service: Service) -> httpx.Client:
    response = service.client("admin").post(
        "/tokens", json={"name": "梅州市教育局", "role": "coordinator", "city_id": MEIZHOU}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["city_id"] == MEIZHOU
    client = httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {created['token']}"}, timeout=60)
    client.token_id = created["id"]  # type: ignore[attr-defined]
    yield client
    client.close()


def _rows(client: httpx.Client, table: str) -> list[dict]:
    text = client.get(f"/rosters/current/{table}.csv").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _post(client: httpx.Client, *changes: dict) -> httpx.Response:
    etag = client.get("/rosters/current").headers["etag"]
    return client.post(
        "/rosters/current/changes", json={"changes": list(changes), "message": "scope test"}, headers={"If-Match": etag}
    )


def _source(table: str, row_id: str, note: str) -> dict:
    return {"op": "update", "table": table, "id": row_id, "fields": {"source": note}}


def test_scopes_are_for_coordinators_of_real_cities(service: Service):
    admin = service.client("admin")
    for body, field in (
        ({"name": "x", "role": "viewer", "city_id": MEIZHOU}, "city_id"),
        ({"name": "x", "role": "admin", "city_id": MEIZHOU}, "city_id"),
        ({"name": "x", "role": "coordinator", "city_id": "449900"}, "city_id"),
        ({"name": "x", "role": "coordinator", "city_id": "4414"}, "city_id"),
    ):
        response = admin.post("/tokens", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field


def test_a_scoped_token_reads_everything(service: Service, meizhou: httpx.Client):
    assert meizhou.get("/rosters/current").status_code == 200
    assert len(_rows(meizhou, "cities")) == len(_rows(service.client("viewer"), "cities"))
    assert meizhou.get("/plans").status_code == 200


def test_a_change_to_another_citys_row_is_403_naming_it(service: Service, meizhou: httpx.Client):
    before = meizhou.get("/rosters/current").json()["version"]
    response = _post(meizhou, _source("cities", GUANGZHOU, "changed by 梅州"))
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["errors"] == [
        {
            "index": 0,
            "table": "cities",
            "id": GUANGZHOU,
            "field": None,
            "city_id": GUANGZHOU,
            "message": body["errors"][0]["message"],
        }
    ]
    assert MEIZHOU in body["detail"] and GUANGZHOU in body["errors"][0]["message"]
    # mixed with an allowed change: still all or nothing
    response = _post(meizhou, _source("cities", MEIZHOU, "ok"), _source("areas", "440103", "not ok"))
    assert response.status_code == 403
    assert [(e["index"], e["id"]) for e in response.json()["errors"]] == [(1, "440103")]
    # the province's institute belongs to no city
    response = _post(meizhou, _source("institutes", "jy440000", "not ok"))
    assert response.status_code == 403 and "no city" in response.json()["errors"][0]["message"]
    assert meizhou.get("/rosters/current").json()["version"] == before


def test_its_own_rows_change_and_appear_in_the_audit(service: Service, meizhou: httpx.Client):
    areas = [a for a in _rows(meizhou, "areas") if a["city_id"] == MEIZHOU]
    schools = [s for s in _rows(meizhou, "schools") if s["area_id"] == areas[0]["area_id"]]
    city = next(c for c in _rows(meizhou, "cities") if c["city_id"] == MEIZHOU)
    started = datetime.now(UTC) - timedelta(seconds=5)
    response = _post(
        meizhou,
        _source("cities", MEIZHOU, city["source"] + " (checked by 梅州)"),
        _source("areas", areas[0]["area_id"], areas[0]["source"] + " (checked)"),
        _source("schools", schools[0]["school_id"], schools[0]["source"] + " (checked)"),
    )
    assert response.status_code == 201, response.text
    version = response.json()["version"]
    viewer = service.client("viewer")
    entries = viewer.get("/audit", params={"table": "cities", "id": MEIZHOU, "since": started.isoformat()}).json()
    assert entries, "the change is in the audit trail"
    entry = entries[0]
    assert entry["action"] == "roster.update" and entry["roster_version"] == version
    assert entry["token_name"] == "梅州市教育局" and entry["token_city_id"] == MEIZHOU
    assert entry["token_id"] == meizhou.token_id  # type: ignore[attr-defined]
    assert entry["detail"]["fields"]["source"] == [city["source"], city["source"] + " (checked by 梅州)"]
    by_token = viewer.get("/audit", params={"token_id": meizhou.token_id, "action": "roster.update"}).json()  # type: ignore[attr-defined]
    assert {(e["table"], e["row_id"]) for e in by_token if e["roster_version"] == version} == {
        ("cities", MEIZHOU),
        ("areas", areas[0]["area_id"]),
        ("schools", schools[0]["school_id"]),
    }
    earlier = viewer.get("/audit", params={"table": "cities", "id": MEIZHOU, "until": started.isoformat()}).json()
    assert entry["id"] not in {e["id"] for e in earlier}


def test_a_row_cannot_be_moved_out_of_or_into_the_scope(service: Service, meizhou: httpx.Client):
    school = next(s for s in _rows(meizhou, "schools") if s["area_id"].startswith("4414"))
    guangzhou_area = next(a for a in _rows(meizhou, "areas") if a["city_id"] == GUANGZHOU)
    move = {
        "op": "update",
        "table": "schools",
        "id": school["school_id"],
        "fields": {"area_id": guangzhou_area["area_id"]},
    }
    response = _post(meizhou, move)
    assert response.status_code == 403, response.text
    assert response.json()["errors"][0]["id"] == school["school_id"]


def test_a_scoped_upload_may_change_only_its_rows(service: Service, meizhou: httpx.Client):
    rows = _rows(meizhou, "cities")

    def upload(edit: str) -> httpx.Response:
        changed = [dict(r, source=r["source"] + " (upload)") if r["city_id"] == edit else r for r in rows]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(changed)
        etag = meizhou.get("/rosters/current").headers["etag"]
        return meizhou.put("/rosters/current/cities.csv", content=out.getvalue().encode(), headers={"If-Match": etag})

    refused = upload(GUANGZHOU)
    assert refused.status_code == 403, refused.text
    assert [e["id"] for e in refused.json()["errors"]] == [GUANGZHOU]
    accepted = upload(MEIZHOU)
    assert accepted.status_code == 201, accepted.text
    entries = service.client("viewer").get("/audit", params={"table": "cities", "id": MEIZHOU}).json()
    assert entries[0]["roster_version"] == accepted.json()["version"]


def test_only_coordinators_of_the_province_start_and_cancel_plans(service: Service, meizhou: httpx.Client):
    response = meizhou.post("/plans", json={"round": "2021-2025"})
    assert response.status_code == 403 and MEIZHOU in response.json()["detail"]
    assert meizhou.post("/plans/1/cancel").status_code == 403


def test_plans_and_tokens_are_audited(service: Service, meizhou: httpx.Client):
    viewer = service.client("viewer")
    created = viewer.get("/audit", params={"action": "token.create", "id": str(meizhou.token_id)}).json()  # type: ignore[attr-defined]
    assert created[0]["detail"] == {"name": "梅州市教育局", "role": "coordinator", "city_id": MEIZHOU}
    assert created[0]["token_name"] == "test admin"
    plan = service.client("coordinator").post("/plans", json={"round": "2026-2030"}).json()
    cancelled = service.client("coordinator").post(f"/plans/{plan['id']}/cancel")
    assert cancelled.status_code in (200, 202)
    actions = {e["action"] for e in viewer.get("/audit", params={"table": "plans", "id": str(plan["id"])}).json()}
    assert actions == {"plan.create", "plan.cancel"}
