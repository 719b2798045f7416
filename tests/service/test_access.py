"""Tokens and roles: 401 without or with a bad token, 403 for a role too low; problem details."""

from __future__ import annotations

import httpx

from tests.service.conftest import Service

PROBLEM = "application/problem+json"


def _is_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status and body["detail"]
    return body


def test_health_needs_no_token(service: Service):
    response = service.client().get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["roster_version"] >= 1


def test_reads_need_a_token(service: Service):
    anonymous = service.client()
    for path in (
        "/rosters/current",
        "/rosters",
        "/rosters/1",
        "/rosters/current/cities.csv",
        "/plans",
        "/plans/1",
        "/tokens",
    ):
        response = anonymous.get(path)
        body = _is_problem(response, 401)
        assert "Bearer" in body["detail"]
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_bad_token_is_401(service: Service):
    with httpx.Client(base_url=service.url, headers={"Authorization": "Bearer gdp_not-a-token"}) as client:
        _is_problem(client.get("/rosters/current"), 401)
        _is_problem(client.post("/plans", json={"round": "2021-2025"}), 401)
    with httpx.Client(base_url=service.url, headers={"Authorization": "Basic dXNlcjpwYXNz"}) as client:
        _is_problem(client.get("/rosters/current"), 401)


def test_writes_need_a_token(service: Service):
    anonymous = service.client()
    _is_problem(anonymous.post("/plans", json={"round": "2021-2025"}), 401)
    _is_problem(anonymous.post("/rosters/current/changes", json={"changes": []}), 401)
    _is_problem(anonymous.put("/rosters/current/cities.csv", content=b"x"), 401)
    _is_problem(anonymous.post("/tokens", json={"name": "x", "role": "viewer"}), 401)
    _is_problem(anonymous.delete("/tokens/1"), 401)


def test_a_viewer_reads_but_cannot_write(service: Service):
    viewer = service.client("viewer")
    assert viewer.get("/rosters/current").status_code == 200
    assert viewer.get("/plans").status_code == 200
    etag = viewer.get("/rosters/current").headers["etag"]
    change = {"changes": [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity_source": "x"}}]}
    body = _is_problem(viewer.post("/rosters/current/changes", json=change, headers={"If-Match": etag}), 403)
    assert "coordinator" in body["detail"]
    _is_problem(viewer.put("/rosters/current/cities.csv", content=b"x", headers={"If-Match": etag}), 403)
    _is_problem(viewer.post("/plans", json={"round": "2021-2025"}), 403)
    _is_problem(viewer.get("/tokens"), 403)


def test_a_coordinator_cannot_manage_tokens(service: Service):
    coordinator = service.client("coordinator")
    _is_problem(coordinator.get("/tokens"), 403)
    _is_problem(coordinator.post("/tokens", json={"name": "x", "role": "admin"}), 403)
    _is_problem(coordinator.delete("/tokens/1"), 403)


def test_admin_creates_lists_and_revokes_tokens(service: Service):
    admin = service.client("admin")
    created = admin.post("/tokens", json={"name": "梅州市教育局", "role": "coordinator"})
    assert created.status_code == 201, created.text
    token = created.json()
    assert token["token"].startswith("gdp_") and token["role"] == "coordinator"
    listed = admin.get("/tokens").json()
    mine = [t for t in listed if t["id"] == token["id"]]
    assert mine and mine[0]["name"] == "梅州市教育局" and "token" not in mine[0]
    assert all("token_hash" not in t for t in listed)
    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {token['token']}"}) as client:
        assert client.get("/rosters/current").status_code == 200
        assert admin.delete(f"/tokens/{token['id']}").status_code == 204
        _is_problem(client.get("/rosters/current"), 401)
    revoked = next(t for t in admin.get("/tokens").json() if t["id"] == token["id"])
    assert revoked["revoked_at"] is not None


def test_token_errors(service: Service):
    admin = service.client("admin")
    _is_problem(admin.delete("/tokens/999999"), 404)
    body = _is_problem(admin.post("/tokens", json={"name": "", "role": "superuser"}), 422)
    assert {e["field"] for e in body["errors"]} == {"name", "role"}


def test_the_last_admin_token_cannot_be_revoked(service: Service):
    admin = service.client("admin")
    admins = [t for t in admin.get("/tokens").json() if t["role"] == "admin" and t["revoked_at"] is None]
    assert len(admins) == 2  # the first-start token and the tests' one
    # Revoking the first-start admin leaves ours; ours then is the last one and stays.
    first = next(t for t in admins if t["name"] == "admin")
    ours = next(t for t in admins if t["name"] != "admin")
    assert admin.delete(f"/tokens/{first['id']}").status_code == 204
    _is_problem(admin.delete(f"/tokens/{ours['id']}"), 409)


def test_unknown_paths_are_problems(service: Service):
    _is_problem(service.client("viewer").get("/no/such/thing"), 404)
