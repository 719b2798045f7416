"""The service as it is run, in real processes: API processes and solve workers sharing one database.

- `python -m service serve` (the make run path) starts an API and a worker; a plan survives a
  kill -9 of the whole thing, an API started alone does not touch it, and a worker started later
  solves it.
- On PostgreSQL, two API processes and two workers: ten plans are each solved once; a worker
  killed with SIGKILL mid-solve leaves its plan to the other; a running plan is cancelled within
  5 s; a worker sent SIGTERM mid-solve exits within its grace period and its plan is solved by
  the other.
- A solve past its wall-clock limit is stopped and failed with the reason.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from service.core.config import Settings
from service.core.db import make_engine, session_factory
from service.core.security import Role
from service.models import PlanFile
from tests.service.conftest import TIME_LIMIT_S, Backend, ServerThread, add_tokens, free_port, make_settings
from tests.service.processes import Process, settings_env, worker

TOKEN = re.compile(r"gdp_[A-Za-z0-9_-]{20,}")
FINISHED = {"done", "infeasible", "failed", "cancelled"}
# Short leases and polls, so that a takeover after a kill is seconds, not the default 15 s.
FAST = {"LEASE_S": 3.0, "WORKER_POLL_S": 0.3, "STOP_GRACE_S": 2.0, "SOLVE_WORKERS": 1, "MAX_CONCURRENT_SOLVES": 1}


def wait_status(client: httpx.Client, plan_id: int, wanted: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        plan = client.get(f"/plans/{plan_id}").json()
        if plan["status"] in wanted:
            return plan
        assert time.monotonic() < deadline, f"plan {plan_id} still {plan['status']} after {timeout} s: {plan}"
        time.sleep(0.05)


def test_serve_starts_an_api_and_a_worker_and_a_plan_outlives_a_kill(tmp_path: Path):
    # The make run path: nothing set, so the default SQLite file ./var/gd-pairing.sqlite3 is used
    # (PostgreSQL's processes are tested by the cluster below).
    database_url = None
    env = settings_env(DATABASE_URL=database_url, WORKER_POLL_S=0.3, SOLVE_TIME_LIMIT_S=TIME_LIMIT_S)
    port = free_port()
    first = Process([sys.executable, "-m", "service", "serve", "--port", str(port)], tmp_path, env, port)
    try:
        first.wait_ready()
        first.wait_for(" ready: ")  # the worker `serve` started
        tokens = TOKEN.findall(first.output)
        assert len(tokens) == 1, first.output
        # A token sent in a query string is refused, and never logged (the access log is on in serve).
        assert httpx.get(f"{first.url}/rosters/current?token={tokens[0]}").status_code == 401
        assert httpx.get(f"{first.url}/health?access_token={tokens[0]}").status_code == 200
        admin = httpx.Client(base_url=first.url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60)
        assert admin.get("/health").json()["workers"] == 1
        plan_id = admin.post("/plans", json={"round": "2021-2025"}).json()["id"]
        wait_status(admin, plan_id, {"running"})
        first.kill()  # the API and its worker's parent, mid-solve; the worker follows (SIGTERM) and hands the plan back
        admin.close()
    finally:
        first.stop()
    if database_url is None:
        assert (tmp_path / "var" / "gd-pairing.sqlite3").is_file()
    assert first.output.count(tokens[0]) == 1, "the token appears once: where the first start announces it"
    assert '"GET /rosters/current?token=[redacted] HTTP/1.1" 401' in first.output
    assert '"GET /health?access_token=[redacted] HTTP/1.1" 200' in first.output

    port = free_port()
    api = Process([sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(port)], tmp_path, env, port)
    try:
        api.wait_ready()
        assert not TOKEN.search(api.output), "a second start must not create another admin token"
        with httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60) as admin:
            # Start-up of an API process leaves plans to the workers: it is waiting, not failed.
            plan = wait_status(admin, plan_id, {"queued"}, timeout=30)
            assert plan["report"] is None and plan["objective"] is None and plan["pairs_by_kind"] is None
            assert admin.get(f"/plans/{plan_id}/pairs.csv").status_code == 409
            _no_files(database_url, tmp_path, plan_id)
            later = Process([sys.executable, "-m", "service", "worker"], tmp_path, env)
            try:
                plan = wait_status(admin, plan_id, FINISHED, timeout=120)
                assert plan["status"] == "done", plan
                assert admin.get(f"/plans/{plan_id}/pairs.csv").status_code == 200
                assert admin.get("/rosters/current").json()["version"] == 1
                # A preview starts the API's preview process; killing the API must not leave it behind.
                change = {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 1}}
                preview = admin.post("/plans/preview", json={"changes": [change], "base_plan_id": plan_id})
                assert preview.status_code == 200, preview.text
                children = _children(api.pid)
                assert children, "the preview runs in a process of the API's own"
                api.kill()
                deadline = time.monotonic() + 15
                while any(_running(pid) for pid in children):
                    assert time.monotonic() < deadline, "the preview process outlived its API process"
                    time.sleep(0.2)
            finally:
                assert later.stop() == 0
    finally:
        api.stop()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _no_files(database_url: str | None, tmp_path: Path, plan_id: int) -> None:
    settings = Settings(_env_file=None, DATABASE_URL=database_url, DATA_DIR=tmp_path / "var")
    engine = make_engine(settings)
    with session_factory(engine)() as session:
        files = session.scalar(select(func.count()).select_from(PlanFile).where(PlanFile.plan_id == plan_id))
    engine.dispose()
    assert files == 0


# --- a cluster on PostgreSQL ---------------------------------------------------------------


@dataclass
class Cluster:
    settings: Settings
    cwd: Path
    apis: list[Process]
    workers: list[Process]
    admin: list[httpx.Client] = field(default_factory=list)  # one client per API process

    def start_worker(self) -> Process:
        process = worker(self.settings, self.cwd)
        self.workers.append(process)
        return process

    def two_workers(self) -> None:
        """Two live workers, whatever an earlier test left."""
        self.workers = [w for w in self.workers if w.proc.poll() is None]
        while len(self.workers) < 2:
            self.start_worker()

    def holder(self, plan: dict) -> Process:
        """The worker process holding a plan (its id is host:pid:tag)."""
        pid = int(plan["worker"].split(":")[1])
        return next(w for w in self.workers if w.pid == pid)


@pytest.fixture(scope="module")
def cluster(pg_schemas, roster_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cwd = tmp_path_factory.mktemp("cluster")
    backend = Backend("postgresql", lambda _data_dir: pg_schemas.new())
    settings = make_settings(backend, cwd, roster_dir, **FAST)
    env = settings_env(settings)
    ports = [free_port(), free_port()]
    apis = [Process([sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(p)], cwd, env, p) for p in ports]
    for api in apis:
        api.wait_ready()
    assert sum(len(TOKEN.findall(api.output)) for api in apis) == 1, "one admin token for the database"
    started = Cluster(settings, cwd, apis, [])
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: started.start_worker(), range(2)))
    secret = add_tokens(settings, {"admin": Role.ADMIN})["admin"]
    started.admin = [
        httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {secret}"}, timeout=60) for api in apis
    ]
    yield started
    for client in started.admin:
        client.close()
    for process in started.workers:
        process.stop()
    for api in apis:
        api.stop()


def test_two_workers_and_two_apis_solve_ten_plans_each_once(cluster: Cluster):
    cluster.two_workers()
    rounds = ["2021-2025", "2026-2030"]

    def post(index: int) -> int:
        response = cluster.admin[index % 2].post("/plans", json={"round": rounds[index % 2]})
        assert response.status_code == 202, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(10) as pool:
        plan_ids = list(pool.map(post, range(10)))
    assert len(set(plan_ids)) == 10
    plans = [wait_status(cluster.admin[i % 2], plan_id, FINISHED, timeout=240) for i, plan_id in enumerate(plan_ids)]
    assert [p["status"] for p in plans] == ["done"] * 10, plans
    assert [p["attempts"] for p in plans] == [1] * 10
    # Each plan was claimed, and solved, by exactly one worker.
    claims = Counter(int(m) for w in cluster.workers for m in re.findall(r"plan (\d+): claimed \(attempt", w.output))
    assert {plan_id: claims[plan_id] for plan_id in plan_ids} == dict.fromkeys(plan_ids, 1)
    solved = Counter(int(m) for w in cluster.workers for m in re.findall(r"plan (\d+): done in", w.output))
    assert {plan_id: solved[plan_id] for plan_id in plan_ids} == dict.fromkeys(plan_ids, 1)
    holders = {p["worker"] for p in plans}
    assert len(holders) == 2, f"both workers took plans: {holders}"
    health = cluster.admin[0].get("/health").json()
    assert health["workers"] == 2 and health["solves_waiting"] == 0


def test_a_worker_killed_mid_solve_leaves_its_plan_to_another(cluster: Cluster):
    cluster.two_workers()
    admin = cluster.admin[0]
    plan_id = admin.post("/plans", json={"round": "2021-2025"}).json()["id"]
    running = wait_status(admin, plan_id, {"running"})
    victim = cluster.holder(running)
    victim.kill()  # SIGKILL: no goodbye, the lease simply stops being renewed
    cluster.workers.remove(victim)
    done = wait_status(admin, plan_id, FINISHED, timeout=120)
    assert done["status"] == "done", done
    assert done["attempts"] == 2 and done["worker"] != running["worker"]
    cluster.holder(done).wait_for(f"plan {plan_id}: done in", timeout=10)


def test_cancel_of_a_running_plan_within_five_seconds(cluster: Cluster):
    cluster.two_workers()
    admin = cluster.admin[1]
    plan_id = admin.post("/plans", json={"round": "2021-2025"}).json()["id"]
    wait_status(admin, plan_id, {"running"})
    asked = time.monotonic()
    response = admin.post(f"/plans/{plan_id}/cancel")
    assert response.status_code in (200, 202), response.text
    plan = wait_status(admin, plan_id, FINISHED, timeout=5)
    took = time.monotonic() - asked
    assert plan["status"] == "cancelled", plan
    assert plan["error"].startswith("cancelled by") and plan["cancelled_by"] and plan["report"] is None
    assert admin.get(f"/plans/{plan_id}/pairs.csv").status_code == 409
    assert took < 5
    # Cancelling again says the same; a queued plan is cancelled at once.
    assert admin.post(f"/plans/{plan_id}/cancel").json()["status"] == "cancelled"


def test_sigterm_mid_solve_ends_the_worker_in_its_grace_and_the_plan_is_solved_by_another(cluster: Cluster):
    cluster.two_workers()
    admin = cluster.admin[0]
    plan_id = admin.post("/plans", json={"round": "2026-2030"}).json()["id"]
    running = wait_status(admin, plan_id, {"running"})
    leaving = cluster.holder(running)
    asked = time.monotonic()
    assert leaving.stop(timeout=30) == 0
    assert time.monotonic() - asked < cluster.settings.STOP_GRACE_S + 5
    cluster.workers.remove(leaving)
    assert f"plan {plan_id}: handed back to the queue" in leaving.output
    done = wait_status(admin, plan_id, FINISHED, timeout=120)
    assert done["status"] == "done" and done["attempts"] == 1 and done["worker"] != running["worker"]


# --- deadlines ----------------------------------------------------------------------------


def test_a_solve_past_its_wall_clock_limit_is_stopped_and_failed(roster_dir: Path, tmp_path: Path):
    sqlite = Backend("sqlite", lambda data_dir: f"sqlite:///{data_dir / 'overrun.sqlite3'}")
    # A wall-clock limit of 0.5 s: far less than the bundled roster's solve.
    settings = make_settings(sqlite, tmp_path, roster_dir, PLAN_WALL_FACTOR=0.02, PLAN_WALL_MARGIN_S=0.4, **FAST)
    server = ServerThread(settings)
    server.start()
    solver = worker(settings, tmp_path)
    try:
        secret = add_tokens(settings, {"coordinator": Role.COORDINATOR})["coordinator"]
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {secret}"}, timeout=60) as client:
            plan_id = client.post("/plans", json={"round": "2021-2025", "time_limit_s": 5}).json()["id"]
            started = time.monotonic()
            plan = wait_status(client, plan_id, FINISHED, timeout=30)
            assert plan["status"] == "failed", plan
            assert "wall-clock limit of 0.5 s" in plan["error"] and "was stopped" in plan["error"]
            assert plan["report"] is None
            # Stopped, not solved: the bundled roster's round takes several seconds, the limit is 0.5 s
            # (the bound below also covers the worker reading the roster before it forks the solve).
            assert time.monotonic() - started < 20
    finally:
        solver.stop()
        server.stop()
