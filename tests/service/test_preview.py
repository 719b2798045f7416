"""POST /plans/preview: roster changes tried against a done plan, with nothing stored."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.service.conftest import Service, wait_plan
from tests.service.test_access import _is_problem

GUANGZHOU_CAPACITY_1 = {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 1}}


def _state(client: httpx.Client) -> tuple[str, list[dict]]:
    """The current roster's ETag and the plan list: what a preview must leave as it is."""
    current = client.get("/rosters/current")
    assert current.status_code == 200, current.text
    plans = client.get("/plans", params={"limit": 1000})
    assert plans.status_code == 200, plans.text
    return current.headers["etag"], plans.json()


def _audit_ids(service: Service) -> list[int]:
    response = service.client("admin").get("/audit")
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()]


def test_preview_of_a_capacity_cut_changes_pairs_and_stores_nothing(service: Service, first_plan: dict):
    viewer, coordinator = service.client("viewer"), service.client("coordinator")
    before, audit_before = _state(viewer), _audit_ids(service)
    response = coordinator.post(
        "/plans/preview", json={"changes": [GUANGZHOU_CAPACITY_1], "base_plan_id": first_plan["id"]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["base_plan_id"] == first_plan["id"] and body["round"] == first_plan["round"]
    assert body["status"] in {"optimal", "feasible"}
    assert body["added"] > 0 and body["removed"] > 0
    changed = [
        pair for diff in body["kinds"].values() for pair in diff["added"] + diff["removed"] if pair["supporter_name"]
    ]
    assert changed and all(p["receiver_name"] for p in changed)
    # 广州 supports at most one city now.
    city_pairs = body["kinds"]["city_city"]
    assert sum(1 for p in city_pairs["removed"] if p["supporter_id"] == "440100") >= 1
    # The objective is the sum of the pairs' score terms, so the term changes add up to its change.
    assert body["score"] == body["objective"] and body["base_score"] == first_plan["objective"]
    assert sum(body["score_change"].values()) == body["objective"] - first_plan["objective"]
    assert body["score_change"]["keep"] < 0  # the re-plan keeps the base's pairs where it can
    assert body["kpis"]["pairs"] == sum(body["kpis"]["pairs_by_kind"].values())
    assert body["base_kpis"]["pairs_by_kind"] == first_plan["pairs_by_kind"]
    assert _state(viewer) == before
    assert _audit_ids(service) == audit_before


def test_a_bad_change_is_named_as_by_the_changes_endpoint(service: Service, first_plan: dict):
    viewer, coordinator = service.client("viewer"), service.client("coordinator")
    before = _state(viewer)
    bad = [
        {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 10**30}},
        {"op": "update", "table": "cities", "id": "449900", "fields": {"capacity": 2}},
    ]
    previewed = _is_problem(
        coordinator.post("/plans/preview", json={"changes": bad, "base_plan_id": first_plan["id"]}), 422
    )
    changed = _is_problem(
        coordinator.post("/rosters/current/changes", json={"changes": bad}, headers={"If-Match": before[0]}), 422
    )
    assert previewed["errors"] == changed["errors"] and previewed["detail"] == changed["detail"]
    named = {(e["index"], e["table"], e["id"], e["field"]) for e in previewed["errors"]}
    assert (1, "cities", "449900", "city_id") in named
    assert any(index == 0 and table == "cities" and row == "440100" for index, table, row, _ in named)
    assert _state(viewer) == before


def test_unknown_or_unfinished_base_plans_and_roles(service: Service, first_plan: dict):
    coordinator = service.client("coordinator")
    body = {"changes": [GUANGZHOU_CAPACITY_1], "base_plan_id": 2**62}
    _is_problem(coordinator.post("/plans/preview", json=body), 404)
    _is_problem(service.client("viewer").post("/plans/preview", json=body), 403)
    _is_problem(service.client().post("/plans/preview", json=body), 401)
    _is_problem(coordinator.post("/plans/preview", json={"changes": [], "base_plan_id": first_plan["id"]}), 422)


def test_one_preview_at_a_time(service: Service, first_plan: dict):
    coordinator = service.client("coordinator")
    body = {"changes": [GUANGZHOU_CAPACITY_1], "base_plan_id": first_plan["id"]}
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: coordinator.post("/plans/preview", json=body), range(2)))
    assert sorted(r.status_code for r in responses) == [200, 429], [r.text for r in responses]
    busy = next(r for r in responses if r.status_code == 429)
    _is_problem(busy, 429)
    assert int(busy.headers["retry-after"]) > 0


def test_the_base_plans_pins_hold_in_the_preview(service: Service, first_plan: dict):
    """The preview re-plans with the base plan's pins: a change that removes a pinned party is refused
    (422, nothing stored), while the same change against a plan without pins is answered."""
    coordinator = service.client("coordinator")
    pairs = coordinator.get(f"/plans/{first_plan['id']}/pairs.csv")
    assert pairs.status_code == 200, pairs.text
    kind, supporter = "university_area", "4144010558"  # 中山大学: no tie or other row names it
    rows = csv.DictReader(io.StringIO(pairs.text.removeprefix("\ufeff")))
    receiver = next(r["receiver_id"] for r in rows if r["kind"] == kind and r["supporter_id"] == supporter)
    pin = {"kind": kind, "supporter_id": supporter, "receiver_id": receiver, "action": "fix"}
    queued = coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": first_plan["id"], "pins": [pin]})
    assert queued.status_code == 202, queued.text
    pinned = wait_plan(coordinator, queued.json()["id"])
    assert pinned["status"] == "done", pinned
    remove = [{"op": "remove", "table": "universities", "id": supporter}]
    before = _state(service.client("viewer"))
    refused = _is_problem(
        coordinator.post("/plans/preview", json={"changes": remove, "base_plan_id": pinned["id"]}), 422
    )
    assert "pins" in refused["detail"] and any(supporter in e["message"] for e in refused["errors"])
    answered = coordinator.post("/plans/preview", json={"changes": remove, "base_plan_id": first_plan["id"]})
    assert answered.status_code == 200, answered.text
    assert any(p["supporter_id"] == supporter for p in answered.json()["kinds"][kind]["removed"])
    assert _state(service.client("viewer")) == before
