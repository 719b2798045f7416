"""The service as it is run: `python -m service serve` and `uvicorn service.app:app` in processes of
their own. A process killed with SIGKILL in the middle of a solve leaves no half-written plan, and
on restart that plan is marked failed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from service.core.config import Settings
from service.core.db import make_engine, session_factory
from service.models import PlanFile
from tests.service.conftest import ROOT, Backend, free_port

TOKEN = re.compile(r"gdp_[A-Za-z0-9_-]{20,}")
SERVICE_ENV = (
    "DATABASE_URL",
    "DATA_DIR",
    "ROSTER_DIR",
    "SOLVE_TIME_LIMIT_S",
    "SOLVE_WORKERS",
    "MAX_CONCURRENT_SOLVES",
    "MAX_QUEUED_PLANS",
    "PROGRESS_INTERVAL_S",
)


class Process:
    """A service process with its output collected by a thread (so its pipe never fills)."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the service exited:\n{self.output}"
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the service did not start:\n{self.output}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=120)
        self.reader.join(timeout=10)


def _env(database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV}
    if database_url:
        env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_a_kill_mid_solve_leaves_no_half_written_plan(backend: Backend, tmp_path: Path):
    # SQLite: nothing set, so the default file ./var/gd-pairing.sqlite3 is used. PostgreSQL: only DATABASE_URL.
    database_url = None if backend.name == "sqlite" else backend.new_database(tmp_path)
    env = _env(database_url)
    port = free_port()
    first = Process([sys.executable, "-m", "service", "serve", "--port", str(port)], tmp_path, env, port)
    try:
        first.wait_ready()
        tokens = TOKEN.findall(first.output)
        assert len(tokens) == 1, first.output
        admin = httpx.Client(base_url=first.url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60)
        assert admin.get("/rosters/current").json()["version"] == 1
        plan_id = admin.post("/plans", json={"round": "2021-2025"}).json()["id"]
        deadline = time.monotonic() + 120
        while (status := admin.get(f"/plans/{plan_id}").json()["status"]) == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert status == "running"
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=30)
        admin.close()
    finally:
        first.stop()
    if database_url is None:
        assert (tmp_path / "var" / "gd-pairing.sqlite3").is_file()

    port = free_port()
    second = Process([sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(port)], tmp_path, env, port)
    try:
        second.wait_ready()
        assert not TOKEN.search(second.output), "a second start must not create another admin token"
        with httpx.Client(base_url=second.url, headers={"Authorization": f"Bearer {tokens[0]}"}) as admin:
            plan = admin.get(f"/plans/{plan_id}").json()
            assert plan["status"] == "failed", plan
            assert "stopped" in plan["error"]
            assert plan["report"] is None and plan["objective"] is None and plan["pairs_by_kind"] is None
            assert admin.get(f"/plans/{plan_id}/pairs.csv").status_code == 409
            assert admin.get("/rosters/current").json()["version"] == 1
            assert len(admin.get("/rosters").json()) == 1
    finally:
        second.stop()
    settings = Settings(_env_file=None, DATABASE_URL=database_url, DATA_DIR=tmp_path / "var")
    engine = make_engine(settings)
    with session_factory(engine)() as session:
        files = session.scalar(select(func.count()).select_from(PlanFile).where(PlanFile.plan_id == plan_id))
    engine.dispose()
    assert files == 0
