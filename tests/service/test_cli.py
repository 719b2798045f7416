"""`python -m service token create` and `migrate`, and the schema: migrations match the models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.core.config import Settings
from service.core.db import make_engine, session_factory
from service.core.security import Role
from service.crud import tokens as token_crud
from service.models import Base
from tests.service.conftest import ROOT, Service
from tests.service.processes import settings_env


def test_token_create_prints_a_working_token_once(service: Service):
    env = settings_env(DATABASE_URL=service.settings.database_url, DATA_DIR=service.settings.DATA_DIR)
    done = subprocess.run(
        [sys.executable, "-m", "service", "token", "create", "--role", "coordinator", "--name", "河源市教育局"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    secret = done.stdout.strip()
    assert secret.startswith("gdp_") and "\n" not in secret
    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {secret}"}) as client:
        assert client.get("/rosters/current").status_code == 200
        assert client.get("/tokens").status_code == 403
    engine = make_engine(service.settings)
    with session_factory(engine)() as session:
        token = token_crud.find_active(session, secret)
        assert token is not None and token.role == Role.COORDINATOR and token.name == "河源市教育局"
        assert token.token_hash != secret
    engine.dispose()
    listed = subprocess.run(
        [sys.executable, "-m", "service", "token", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "河源市教育局" in listed.stdout and secret not in listed.stdout


def test_migrations_match_the_models(service: Service):
    engine = make_engine(service.settings)
    with engine.connect() as connection:
        assert (
            compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata) == []
        )
    engine.dispose()


def test_migrate_on_an_empty_database(tmp_path: Path):
    env = settings_env(DATA_DIR=tmp_path)
    subprocess.run([sys.executable, "-m", "service", "migrate"], cwd=tmp_path, env=env, check=True, capture_output=True)
    engine = make_engine(Settings(_env_file=None, DATA_DIR=tmp_path))
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_token_create_with_a_city_scope(service: Service):
    env = settings_env(DATABASE_URL=service.settings.database_url, DATA_DIR=service.settings.DATA_DIR)

    def create(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "service", "token", "create", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    done = create("--role", "coordinator", "--name", "梅州市教育局", "--city", "441400")
    assert done.returncode == 0, done.stderr
    assert "city 441400" in done.stderr
    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {done.stdout.strip()}"}) as client:
        assert client.post("/plans", json={"round": "2021-2025"}).status_code == 403
    for args, why in (
        (("--role", "viewer", "--name", "x", "--city", "441400"), "only coordinator"),
        (("--role", "coordinator", "--name", "x", "--city", "4414"), "not a city id"),
        (("--role", "coordinator", "--name", "a\x07b"), "control character"),
    ):
        refused = create(*args)
        assert refused.returncode == 2 and why in refused.stderr, refused.stderr
