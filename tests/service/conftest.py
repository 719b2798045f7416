"""Fixtures of the API tests: a real uvicorn server on 127.0.0.1 and a free port, and a real solve
worker process (`python -m service worker`) beside it, per backend.

Every test runs against SQLite and PostgreSQL (`backend` is parametrized). The PostgreSQL URL
is TEST_DATABASE_URL, by default postgresql+psycopg://postgres@127.0.0.1:5432/test; each test
session works in a fresh schema of its own, dropped at the end. PostgreSQL tests run whenever
the server answers; when it does not, they fail under CI (CI set) and are skipped elsewhere.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from service.app import create_app
from service.core.config import Settings
from service.core.db import make_engine, session_factory, write_session
from service.core.security import Role
from service.crud import tokens as token_crud
from tests.service.processes import Process, worker

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "guangdong"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FINISHED = {"done", "infeasible", "failed"}
# Per sub-model. The bundled roster's parts are optimal in well under a second each; the limit
# only bounds a slow run.
TIME_LIMIT_S = float(os.environ.get("TEST_SOLVE_TIME_LIMIT_S", "5"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_reachable() -> str | None:
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        return str(exc.orig)
    finally:
        engine.dispose()
    return None


class PgSchemas:
    """Fresh schemas in the test database, each reached through search_path in the URL."""

    def __init__(self) -> None:
        self.engine = create_engine(PG_URL)
        self.names: list[str] = []

    def new(self) -> str:
        name = f"gdp_test_{uuid.uuid4().hex[:10]}"
        with self.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        self.names.append(name)
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.engine.begin() as connection:
            for name in self.names:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PgSchemas]:
    problem = _pg_reachable()
    if problem is not None:
        message = f"PostgreSQL at {PG_URL} is not reachable: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI requires the PostgreSQL run)")
        pytest.skip(message)
    schemas = PgSchemas()
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def roster_dir() -> Path:
    assert (BUNDLED / "schools.csv").is_file(), f"the bundled roster is missing from {BUNDLED}"
    return BUNDLED


@dataclass
class Backend:
    name: str
    new_database: Callable[[Path], str]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", lambda data_dir: f"sqlite:///{data_dir / 'test.sqlite3'}")
    schemas: PgSchemas = request.getfixturevalue("pg_schemas")
    return Backend("postgresql", lambda _data_dir: schemas.new())


class ServerThread:
    """uvicorn serving an app in a thread of the test process: real HTTP on a free port."""

    def __init__(self, settings: Settings):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=120)


@dataclass
class Service:
    url: str
    settings: Settings
    backend: str
    tokens: dict[str, str]
    worker: Process | None = None
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def client(self, role: str | None = None) -> httpx.Client:
        """A client with the token of `role` (viewer, coordinator, admin), or none."""
        key = role or "anonymous"
        if key not in self.clients:
            headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
            self.clients[key] = httpx.Client(base_url=self.url, headers=headers, timeout=120)
        return self.clients[key]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def add_tokens(settings: Settings, names: dict[str, Role]) -> dict[str, str]:
    engine = make_engine(settings)
    secrets = {}
    with write_session(session_factory(engine)) as session:
        for key, role in names.items():
            _, secrets[key] = token_crud.create_token(session, f"test {key}", role, "tests")
    engine.dispose()
    return secrets


def make_settings(backend: Backend, data_dir: Path, roster_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "DATABASE_URL": backend.new_database(data_dir),
        "DATA_DIR": data_dir,
        "ROSTER_DIR": roster_dir,
        "SOLVE_TIME_LIMIT_S": TIME_LIMIT_S,
        "SOLVE_WORKERS": 2,
        "MAX_CONCURRENT_SOLVES": 2,
        "PROGRESS_INTERVAL_S": 0.05,
        "WORKER_POLL_S": 0.2,
        "LEASE_S": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def service(backend: Backend, roster_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data_dir = tmp_path_factory.mktemp(f"service-{backend.name}")
    settings = make_settings(backend, data_dir, roster_dir)
    server = ServerThread(settings)
    server.start()
    solver_process = worker(settings, data_dir)
    tokens = add_tokens(settings, {r.value: r for r in Role})
    svc = Service(server.url, settings, backend.name, tokens, solver_process)
    yield svc
    svc.close()
    solver_process.stop()
    server.stop()


def wait_plan(client: httpx.Client, plan_id: int, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/plans/{plan_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in FINISHED:
            return body
        assert time.monotonic() < deadline, f"plan {plan_id} still {body['status']} after {timeout} s"
        time.sleep(0.1)


@pytest.fixture(scope="session")
def first_plan(service: Service) -> dict:
    """One solved 2021-2025 plan of the bundled roster (version 1), shared by the tests.

    Its statuses (and whether progress was shown) as seen while polling and the time POST /plans took are kept under "_watch".
    """
    started = time.monotonic()
    response = service.client("coordinator").post("/plans", json={"round": "2021-2025"})
    answered_s = time.monotonic() - started
    assert response.status_code == 202, response.text
    seen: list[tuple[str, bool]] = []
    plan_id = response.json()["id"]
    deadline = time.monotonic() + 180
    while True:
        plan = service.client("viewer").get(f"/plans/{plan_id}").json()
        seen.append((plan["status"], plan["progress"] is not None))
        if plan["status"] in FINISHED:
            break
        assert time.monotonic() < deadline, plan
        time.sleep(0.02)
    assert plan["status"] == "done", plan
    plan["_watch"] = {
        "response": response.json(),
        "location": response.headers.get("location"),
        "answered_s": answered_s,
        "seen": seen,
    }
    return plan
