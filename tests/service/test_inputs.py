"""Input that used to wedge, crash or bloat the service (issue 11), on SQLite and PostgreSQL: every
one is a 4xx problem naming the field, never a 500, a hang or a half-written record."""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from service.core.security import Role
from tests.service.conftest import Backend, ServerThread, Service, add_tokens, make_settings

PROBLEM = "application/problem+json"
BIG = 2**31  # past PostgreSQL's integer
HUGE = 2**63  # past any 64-bit id
FORMULA = "=cmd|' /C calc'!A0"


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def _change(service: Service, *changes: dict, message: str = "", role: str = "coordinator") -> httpx.Response:
    client = service.client(role)
    etag = client.get("/rosters/current").headers["etag"]
    body = {"changes": list(changes), "message": message}
    return client.post("/rosters/current/changes", json=body, headers={"If-Match": etag})


def _update(table: str, row_id: str, **fields: object) -> dict:
    return {"op": "update", "table": table, "id": row_id, "fields": fields}


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", 10**30), ("capacity", 2**63), ("capacity", True), ("capacity", -1), ("send_capacity", 10**40)],
)
def test_roster_numbers_out_of_range_are_422_naming_the_field(service: Service, field: str, value: object):
    before = service.client("viewer").get("/rosters/current").json()["version"]
    body = _problem(_change(service, _update("cities", "440100", **{field: value})), 422)
    assert any(e["field"] == field and e["id"] == "440100" for e in body["errors"]), body
    assert service.client("viewer").get("/rosters/current").json()["version"] == before


def test_a_capacity_above_the_receivers_names_the_limit(service: Service):
    body = _problem(_change(service, _update("cities", "440100", capacity=16)), 422)
    error = next(e for e in body["errors"] if e["field"] == "capacity")
    assert "16" in error["message"] and "15" in error["message"], error


def test_ids_outside_the_64_bit_range_are_404_or_422(service: Service, first_plan: dict):
    viewer, admin = service.client("viewer"), service.client("admin")
    plan_id = first_plan["id"]
    for path in (f"/plans/{BIG}", f"/plans/{HUGE - 1}", f"/rosters/{BIG}", f"/rosters/{BIG}/cities.csv"):
        _problem(viewer.get(path), 404)
    for path in (
        f"/plans/{HUGE}",
        f"/plans/{10**40}",
        "/plans/0",
        "/plans/-1",
        f"/rosters/{HUGE}",
        f"/plans?offset={HUGE}",
        f"/rosters?offset={10**30}",
        f"/plans/{plan_id}/diff?against={HUGE}",
        f"/plans/{plan_id}/pairs?offset={HUGE}",
    ):
        _problem(viewer.get(path), 422)
    _problem(viewer.get(f"/plans/{plan_id}/diff?against={BIG}"), 404)
    _problem(viewer.get(f"/rosters/1/diff?against={BIG}"), 404)
    _problem(viewer.get(f"/web/rosters/{BIG}/cities"), 404)
    _problem(viewer.get(f"/web/rosters/{10**19}/cities"), 404)
    _problem(viewer.get(f"/web/rosters/{10**25}/cities"), 422)
    assert viewer.get(f"/plans?offset={BIG}").json() == []
    assert viewer.get(f"/rosters?offset={HUGE - 1}").json() == []
    assert viewer.get(f"/plans/{plan_id}/pairs?offset={BIG}").json()["items"] == []
    _problem(admin.delete(f"/tokens/{BIG}"), 404)
    _problem(admin.delete(f"/tokens/{HUGE}"), 422)
    coordinator = service.client("coordinator")
    for base in (BIG, HUGE - 1):
        body = _problem(coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": base}), 422)
        assert body["errors"][0]["field"] == "base_plan_id"
    body = _problem(coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": HUGE}), 422)
    assert body["errors"][0]["field"] == "base_plan_id"


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m"])
def test_control_characters_in_any_text_are_422(service: Service, bad: str):
    text = f"a{bad}b"
    # roster text (the solver's validation path)
    body = _problem(_change(service, _update("cities", "440100", name=text)), 422)
    assert body["errors"][0]["field"] == "name"
    # a change's message and id
    body = _problem(_change(service, _update("cities", "440100", capacity=3), message=text), 422)
    assert body["errors"][0]["field"] == "message"
    _problem(_change(service, _update("cities", f"4401{bad}", capacity=3)), 422)
    # token names, and sign-in
    body = _problem(service.client("admin").post("/tokens", json={"name": text, "role": "viewer"}), 422)
    assert body["errors"][0]["field"] == "name"
    _problem(service.client().post("/session", json={"token": text}), 422)
    # pins
    pin = {"kind": "city_city", "supporter_id": text, "receiver_id": "441400"}
    body = _problem(service.client("coordinator").post("/plans", json={"round": "2021-2025", "pins": [pin]}), 422)
    assert body["errors"][0]["field"] == "supporter_id" and body["errors"][0]["index"] == 0
    # query strings and paths
    viewer = service.client("viewer")
    body = _problem(viewer.get("/web/rosters/current/areas", params={"q": text}), 422)
    assert body["errors"][0]["field"] == "q"
    _problem(viewer.get("/audit", params={"id": text}), 422)
    _problem(viewer.get(f"/rosters/current/cit{quote(bad)}ies.csv"), 422)
    # a CSV cell
    cities = viewer.get("/rosters/current/cities.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(cities)))
    rows[1][rows[0].index("name")] = text
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    etag = viewer.get("/rosters/current").headers["etag"]
    body = _problem(
        service.client("coordinator").put(
            "/rosters/current/cities.csv", content=out.getvalue().encode(), headers={"If-Match": etag}
        ),
        422,
    )
    assert any(e["field"] == "name" and e["row"] == 2 for e in body["errors"]), body


def test_roster_downloads_are_formula_safe_with_numbers_unquoted(service: Service):
    viewer = service.client("viewer")
    original = next(
        row
        for row in csv.DictReader(io.StringIO(viewer.get("/rosters/current/cities.csv").content.decode("utf-8-sig")))
        if row["city_id"] == "441400"
    )
    response = _change(service, _update("cities", "441400", name=FORMULA, source="+1 " + original["source"]))
    assert response.status_code == 201, response.text
    version = response.json()["version"]
    try:
        for path in ("/rosters/current/cities.csv", f"/rosters/{version}/cities.csv"):
            text = viewer.get(path).content.decode("utf-8-sig")
            row = next(r for r in csv.DictReader(io.StringIO(text)) if r["city_id"] == "441400")
            assert row["name"] == "'" + FORMULA and row["source"].startswith("'+1 ")
            line = next(line for line in text.splitlines() if line.startswith("441400,"))
            assert re.search(r",\d+,\d+\.\d+,\d+\.\d+,", line), line  # capacity, lat, lon: plain numbers
            assert not any(cell.startswith(("=", "+", "-", "@")) for r in csv.reader(io.StringIO(text)) for cell in r)
        # Read back, the guard comes off: the row is the one we sent.
        rows = viewer.get("/web/rosters/current/cities", params={"city_id": "441400"}).json()["items"]
        assert rows[0]["name"] == FORMULA
    finally:
        restored = _change(service, _update("cities", "441400", name=original["name"], source=original["source"]))
        assert restored.status_code == 201, restored.text


@pytest.fixture
def queue_only(backend: Backend, roster_dir: Path, tmp_path: Path):
    """A server with a queue of 20 and no worker: plans stay queued."""
    settings = make_settings(backend, tmp_path, roster_dir, MAX_QUEUED_PLANS=20)
    server = ServerThread(settings)
    server.start()
    token = add_tokens(settings, {"coordinator": Role.COORDINATOR})["coordinator"]
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    yield client
    client.close()
    server.stop()


def test_the_queue_limit_holds_under_30_concurrent_posts(queue_only: httpx.Client):
    def post(_: int) -> int:
        return queue_only.post("/plans", json={"round": "2021-2025"}).status_code

    with ThreadPoolExecutor(30) as pool:
        statuses = sorted(pool.map(post, range(30)))
    assert statuses.count(202) == 20 and statuses.count(503) == 10, statuses
    assert queue_only.get("/health").json()["solves_queued"] == 20


def test_bodies_past_their_limit_are_413(service: Service):
    coordinator = service.client("coordinator")
    etag = coordinator.get("/rosters/current").headers["etag"]
    big = b'{"changes": [], "message": "' + b"x" * (service.settings.MAX_BODY_BYTES + 1) + b'"}'
    headers = {"If-Match": etag, "Content-Type": "application/json"}
    _problem(coordinator.post("/rosters/current/changes", content=big, headers=headers), 413)

    def chunks():  # no Content-Length: cut off as the bytes arrive
        yield big[:1024]
        yield big[1024:]

    _problem(coordinator.post("/plans", content=chunks(), headers={"Content-Type": "application/json"}), 413)
    too_big_upload = b"x" * (service.settings.MAX_UPLOAD_BYTES + 1)
    _problem(coordinator.put("/rosters/current/cities.csv", content=too_big_upload, headers={"If-Match": etag}), 413)
    # Under the limit, the same routes answer as usual.
    assert coordinator.post("/plans", json={"round": "1999-2003"}).status_code == 422
