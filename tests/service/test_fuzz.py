"""Schemathesis against the running app, on SQLite and PostgreSQL: every operation of the OpenAPI
document fuzzed (its examples, boundary values, then random and invalid input), with 0 server
errors and 0 answers outside the document (statuses, content types, bodies, headers).

Bounded: FUZZ_EXAMPLES cases per operation and phase (default 10), a fixed seed, and a time
limit on the whole run. The server is one of its own (fuzzing changes its roster and fills its
queue); on SQLite one plan is solved before the run so that the plan pages have something to
show, then its worker is stopped so the fuzzer's plans stay queued.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service.core.db import make_engine, session_factory, write_session
from service.core.security import Role, hash_secret
from service.models import ApiToken
from tests.service.conftest import Backend, ServerThread, add_tokens, make_settings, wait_plan
from tests.service.processes import worker

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("FUZZ_SEED", "20211116"))
RUN_LIMIT_S = 600
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# An admin token with an id the fuzzer will not revoke by chance (DELETE /tokens/{id} is fuzzed too).
SECRET = "gdp_schemathesis-fuzzing-admin-token"


def test_fuzzing_finds_no_server_error_and_no_schema_violation(
    backend: Backend, roster_dir: Path, tmp_path: Path
) -> None:
    # A queue that never fills: a 503 would count as a server error (the limit is tested elsewhere).
    settings = make_settings(backend, tmp_path, roster_dir, MAX_QUEUED_PLANS=100_000)
    server = ServerThread(settings)
    server.start()
    try:
        engine = make_engine(settings)
        with write_session(session_factory(engine)) as session:
            session.add(ApiToken(id=2**62, name="fuzz", role="admin", token_hash=hash_secret(SECRET), created_by="t"))
        engine.dispose()
        if backend.name == "sqlite":  # (on PostgreSQL the plan pages answer 404: the suite's time is bounded)
            coordinator = add_tokens(settings, {"coordinator": Role.COORDINATOR})["coordinator"]
            solver = worker(settings, tmp_path)
            with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {coordinator}"}) as client:
                plan_id = client.post("/plans", json={"round": "2021-2025"}).json()["id"]
                assert wait_plan(client, plan_id)["status"] == "done"
            solver.stop()
        started = time.monotonic()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                f"{server.url}/openapi.json",
                "--header",
                f"Authorization: Bearer {SECRET}",
                "--checks",
                CHECKS,
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                str(SEED),
                "--generation-deterministic",
                # One worker: schemathesis's threads hit CPython 3.11's "AST constructor recursion
                # depth mismatch" (an error inside the fuzzer, not the server) when two parse at once.
                "--workers",
                "1",
                "--request-timeout",
                "60",
                "--no-color",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=RUN_LIMIT_S,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-20000:]
        assert "0 failures" in output or "passed" in output, output[-5000:]
        print(f"schemathesis on {backend.name}: {time.monotonic() - started:.1f} s\n{output[-1500:]}")
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q", "-s"]))
