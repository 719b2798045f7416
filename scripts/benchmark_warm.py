"""Benchmark of warm re-plans: one roster change after another, each planned against the same base.

    python scripts/benchmark_warm.py [--changes 12] [--skip-service] [--database-url URL]

1. In the solver (one process, as the worker and the preview's process keep it): the bundled
   roster's 2021-2025 plan is the base; each change below is then planned against it cold (no
   memo), warm structural (solver.plan_pairs with the process's solver.Memo) and warm whole
   (solver.plan_round with it: pairs, five years of deployments, both checkers, the files as
   bytes). The changes: a supporter unit's capacity cut to 1 or raised by 2, in turn over the
   units, and a pinned county pair. Each warm result is compared with the cold one (pairs,
   objective): a mismatch is printed, and would be a bug.

2. Through the service (real processes, real HTTP, SQLite in a temporary directory unless
   --database-url): an API process and a worker (WORKER_POLL_S 0.05). A first plan is made, then for
   each change: POST /rosters/current/changes, then POST /plans with the first plan as base, timed
   from the POST until GET /plans/{id} says done (the result is stored); and POST /plans/preview of
   the next change against the first plan, timed from request to answer.

Prints the median and p95 of each. Figures are printed, never asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import solver  # noqa: E402
from scripts.benchmark_service import environment, start_api, start_worker, stop, token  # noqa: E402
from service.core.security import Role  # noqa: E402

ROUND = "2021-2025"
OPTIONS = solver.SolveOptions(time_limit_s=30, num_workers=2)


def median_p95(samples: list[float]) -> tuple[float, float]:
    if len(samples) < 2:
        return samples[0], samples[0]
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


def show(name: str, samples: list[float]) -> None:
    med, p95 = median_p95(samples)
    print(f"  {name:34s} {len(samples):3d} re-plans  median {med:6.3f} s  p95 {p95:6.3f} s")


def changes(
    roster: solver.Roster, base: list[solver.Pair], count: int
) -> list[tuple[str, str, dict[str, Any], list[solver.Pin]]]:
    """Single changes over the supporter units: capacity cut to 1, raised by 2; one pinned county pair."""
    units = [a for a in roster.supporter_areas() if a.teachers]
    found: list[tuple[str, str, dict[str, Any], list[solver.Pin]]] = []
    county = next(p for p in base if p.kind == solver.Kind.COUNTY_COUNTY)
    other = next(a.area_id for a in units if a.area_id != county.supporter_id)
    pin = solver.Pin(kind=solver.Kind.COUNTY_COUNTY, supporter_id=other, receiver_id=county.receiver_id)
    found.append((f"pin {other}→{county.receiver_id}", other, {}, [pin]))
    for index, area in enumerate(units):
        if len(found) >= count:
            break
        own = sum(1 for p in base if p.kind == solver.Kind.COUNTY_COUNTY and p.supporter_id == area.area_id)
        capacity = 1 if index % 2 == 0 else own + 2
        found.append((f"{area.area_id} capacity {capacity}", area.area_id, {"capacity": capacity}, []))
    return found


def changed_roster(roster: solver.Roster, area_id: str, fields: dict[str, Any]) -> solver.Roster:
    if not fields:
        return roster
    area = roster.areas[area_id].model_copy(update=fields)
    return roster.model_copy(update={"areas": {**roster.areas, area_id: area}})


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def in_solver(count: int) -> None:
    roster = solver.load_roster(ROOT / "data" / "guangdong")
    base = solver.plan_pairs(solver.PairingRequest(roster, ROUND, options=OPTIONS)).pairs
    memo = solver.Memo()
    prime, _ = timed(
        lambda: solver.plan_round(solver.PairingRequest(roster, ROUND, base=base, options=OPTIONS, memo=memo))
    )
    cold, warm, whole, mismatches = [], [], [], []
    for what, area_id, fields, pins in changes(roster, base, count):
        changed = changed_roster(roster, area_id, fields)

        def request(
            memo: solver.Memo | None, changed: solver.Roster = changed, pins: list[solver.Pin] = pins
        ) -> solver.PairingRequest:
            return solver.PairingRequest(changed, ROUND, base=base, pins=pins, options=OPTIONS, memo=memo)

        t_cold, cold_result = timed(lambda: solver.plan_pairs(request(None)))
        t_warm, warm_result = timed(lambda: solver.plan_pairs(request(memo)))
        t_whole, _ = timed(lambda: _whole(request(memo)))
        cold.append(t_cold)
        warm.append(t_warm)
        whole.append(t_whole)
        if (warm_result.pairs, warm_result.objective) != (cold_result.pairs, cold_result.objective):
            mismatches.append(what)
    print(f"in the solver: bundled roster, round {ROUND}, {os.cpu_count()} cores, {OPTIONS.num_workers} CP-SAT workers")
    print(f"  first plan with a new memo (whole round)    {prime:6.3f} s")
    show("cold structural (no memo)", cold)
    show("warm structural (plan_pairs)", warm)
    show("warm whole (plan_round, files)", whole)
    print(
        f"  warm equals cold: {len(cold) - len(mismatches)} of {len(cold)}"
        + (f"; differ: {mismatches}" if mismatches else "")
    )


def _whole(request: solver.PairingRequest) -> None:
    planned = solver.plan_round(request)
    planned.pairs_csv(), planned.deployments_csv(), planned.costs_csv(), planned.report_json()


def through_service(count: int, database_url: str | None) -> None:
    import httpx

    roster = solver.load_roster(ROOT / "data" / "guangdong")
    with tempfile.TemporaryDirectory(prefix="gdp-warm-") as tmp:
        cwd = Path(tmp)
        env = environment(cwd / "var", database_url, WORKER_POLL_S="0.05", SOLVE_TIME_LIMIT_S=30)
        api, url = start_api(cwd, env)
        worker = start_worker(cwd, env)
        try:
            secret = token(env, Role.ADMIN)
            client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=300)

            def plan(body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
                started = time.perf_counter()
                plan_id = client.post("/plans", json=body).json()["id"]
                while (found := client.get(f"/plans/{plan_id}").json())["status"] in ("queued", "running"):
                    time.sleep(0.01)
                return time.perf_counter() - started, found

            first_s, first = plan({"round": ROUND})
            base = solver.read_pairs_csv(client.get(f"/plans/{first['id']}/pairs.csv").content)
            stored, previews, statuses = [], [], []
            for _, area_id, fields, pins in changes(roster, base, count):
                if pins:
                    continue  # the service's pins go with the plan, not the roster: timed by the solver part
                etag = client.get("/rosters/current").headers["ETag"]
                change = {"op": "update", "table": "areas", "id": area_id, "fields": fields}
                started = time.perf_counter()
                response = client.post("/plans/preview", json={"changes": [change], "base_plan_id": first["id"]})
                previews.append(time.perf_counter() - started)
                statuses.append(response.status_code)
                client.post("/rosters/current/changes", json={"changes": [change]}, headers={"If-Match": etag})
                seconds, done = plan({"round": ROUND, "base_plan_id": first["id"]})
                stored.append(seconds)
                statuses.append(200 if done["status"] == "done" else 500)
                client.post(
                    "/rosters/current/changes",
                    json={"changes": [{**change, "fields": {"capacity": roster.areas[area_id].capacity}}]},
                    headers={"If-Match": client.get("/rosters/current").headers["ETag"]},
                )
            client.close()
        finally:
            stop(worker)
            stop(api)
    backend = "PostgreSQL" if database_url else "SQLite"
    print(f"through the service on {backend}: one API process, one worker (poll 0.05 s)")
    print(f"  first plan, request to stored result        {first_s:6.3f} s")
    show("re-plan, request to stored result", stored)
    show("preview, request to answer", previews)
    print(f"  answers: {sorted(set(statuses))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--skip-service", action="store_true")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    in_solver(args.changes)
    if not args.skip_service:
        through_service(args.changes, args.database_url)


if __name__ == "__main__":
    main()
