"""Re-planning: remove one supporter and re-plan from the plan before; only what must change does.
Then plan the next round from the first: the pairs carry forward."""

from __future__ import annotations

import csv
import io

import pytest

from solver.domain.pairs import Kind, read_pairs_csv
from tests.service.conftest import Service, wait_plan

DONGGUAN = "441900"


def _rows(service: Service, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(service.client("viewer").get(path).content.decode("utf-8-sig"))))


def _pairs(service: Service, plan_id: int):
    return read_pairs_csv(service.client("viewer").get(f"/plans/{plan_id}/pairs.csv").content)


KEYS = {"budgets": ("party_id", "year", "purpose"), "silver": ("area_id", "year")}


@pytest.fixture(scope="session")
def replanned(service: Service, first_plan: dict) -> dict:
    """Remove a 东莞 镇街 that supports a county in the first plan, with its schools and the rows that
    name it; re-plan with base."""
    coordinator = service.client("coordinator")
    base_pairs = _pairs(service, first_plan["id"])
    unit = next(
        p.supporter_id for p in base_pairs if p.kind == Kind.COUNTY_COUNTY and p.supporter_id.startswith(DONGGUAN[:4])
    )
    schools = [s["school_id"] for s in _rows(service, "/rosters/current/schools.csv") if s["area_id"] == unit]
    changes = [{"op": "remove", "table": "areas", "id": unit}]
    changes += [{"op": "remove", "table": "schools", "id": s} for s in schools]
    # its budgets and 银龄 participants name it too (budgets.csv, silver.csv): they go with it
    for table, column in (("budgets", "party_id"), ("silver", "area_id")):
        rows = _rows(service, f"/rosters/current/{table}.csv")
        changes += [
            {"op": "remove", "table": table, "id": "/".join(r[k] for k in KEYS[table])}
            for r in rows
            if r[column] == unit
        ]
    etag = coordinator.get("/rosters/current").headers["etag"]
    changed = coordinator.post(
        "/rosters/current/changes",
        headers={"If-Match": etag},
        json={"changes": changes, "message": f"{unit} merged into a neighbour"},
    )
    assert changed.status_code == 201, changed.text
    response = coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": first_plan["id"]})
    assert response.status_code == 202, response.text
    plan = wait_plan(coordinator, response.json()["id"])
    assert plan["status"] == "done", plan
    assert plan["roster_version"] == changed.json()["version"] and plan["base_plan_id"] == first_plan["id"]
    return {"plan": plan, "unit": unit, "schools": set(schools), "base": first_plan}


def test_removing_one_supporter_changes_only_what_it_must(service: Service, replanned: dict):
    plan, unit, removed_schools = replanned["plan"], replanned["unit"], replanned["schools"]
    base = _pairs(service, replanned["base"]["id"])
    new = _pairs(service, plan["id"])
    diff = service.client("viewer").get(f"/plans/{plan['id']}/diff", params={"against": replanned["base"]["id"]})
    assert diff.status_code == 200
    diff = diff.json()["kinds"]

    # The county pairs of the removed unit, and only they, move to other units.
    orphans = {p.receiver_id for p in base if p.kind == Kind.COUNTY_COUNTY and p.supporter_id == unit}
    assert orphans
    assert {(r["supporter_id"], r["receiver_id"]) for r in diff["county_county"]["removed"]} == {
        (unit, r) for r in orphans
    }
    assert {r["receiver_id"] for r in diff["county_county"]["added"]} == orphans
    # Nothing else is forced: the city pairs and the university and intra-region pairs stay.
    for kind in (Kind.CITY_CITY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA, Kind.INTRA_REGION):
        assert diff[kind.value]["added"] == diff[kind.value]["removed"] == [], kind

    # Schools and institutes change only in the counties whose county pairs the change touched:
    # the orphans, and the counties of the units that took them (their schools share the load).
    takers = {p.supporter_id for p in new if p.kind == Kind.COUNTY_COUNTY and p.receiver_id in orphans}
    affected = orphans | {p.receiver_id for p in new if p.kind == Kind.COUNTY_COUNTY and p.supporter_id in takers}
    school_area = {
        s["school_id"]: s["area_id"] for s in _rows(service, f"/rosters/{plan['roster_version']}/schools.csv")
    }
    for entry in diff["school_school"]["removed"]:
        assert entry["supporter_id"] in removed_schools or school_area.get(entry["receiver_id"]) in affected, entry
    for entry in diff["school_school"]["added"]:
        assert school_area[entry["receiver_id"]] in affected, entry
    for entry in diff["institute_institute"]["removed"] + diff["institute_institute"]["added"]:
        assert entry["receiver_id"].removeprefix("jy") in orphans, entry
    assert not any(p.supporter_id == unit or p.supporter_id in removed_schools for p in new)
    changed = sum(len(d["added"]) + len(d["removed"]) for d in diff.values())
    assert changed < 0.1 * len(base)


def test_the_next_round_carries_the_pairs_forward(service: Service, replanned: dict):
    base = replanned["plan"]
    coordinator = service.client("coordinator")
    response = coordinator.post("/plans", json={"round": "2026-2030", "base_plan_id": base["id"]})
    assert response.status_code == 202, response.text
    plan = wait_plan(coordinator, response.json()["id"])
    assert plan["status"] == "done" and plan["round"] == "2026-2030", plan
    new = _pairs(service, plan["id"])
    assert {p.round for p in new} == {"2026-2030"}
    diff = coordinator.get(f"/plans/{plan['id']}/diff", params={"against": base["id"]}).json()
    for kind in (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA):
        kept = diff["kinds"][kind.value]["kept"]
        assert kept >= 0.9 * base["pairs_by_kind"][kind.value], (kind, diff["kinds"][kind.value])
    continuing = [p for p in new if p.kind == Kind.COUNTY_COUNTY and "continuity" in p.score_terms]
    assert continuing
    # A plan cannot start from a later round's plan.
    late = coordinator.post("/plans", json={"round": "2021-2025", "base_plan_id": plan["id"]})
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "base_plan_id"
