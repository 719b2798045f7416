"""Start-up work, done once per database: migrations, the bundled roster as version 1, and the
first admin token (printed once; only its hash is kept)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import solver
from service.core.config import Settings
from service.core.db import bootstrap_lock, upgrade, write_session
from service.core.security import Role
from service.crud import rosters as roster_crud
from service.crud import tokens as token_crud
from service.roster_edit import row_diff

log = logging.getLogger("service.bootstrap")

BUNDLED_BY = "bundled"
FIRST_ADMIN_NAME = "admin"


@dataclass
class Bootstrapped:
    roster_version: int
    admin_secret: str | None


def bootstrap(settings: Settings, engine: Engine, factory: sessionmaker[Session]) -> Bootstrapped:
    with bootstrap_lock(engine, settings):
        upgrade(engine)
        with factory() as session:
            version = roster_crud.latest_number(session)
        if version is None:
            version = store_bundled(settings, factory)
        admin_secret = None
        with write_session(factory) as session:
            if token_crud.count_tokens(session) == 0:
                _, admin_secret = token_crud.create_token(session, FIRST_ADMIN_NAME, Role.ADMIN, None)
    return Bootstrapped(version, admin_secret)


def store_bundled(settings: Settings, factory: sessionmaker[Session]) -> int:
    """Load the bundled roster directory (raises InputError naming every problem) as version 1."""
    try:
        roster = solver.load_roster(settings.ROSTER_DIR)
    except solver.InputError as exc:
        log.error(
            "the bundled roster in %s cannot be loaded (%d problems):\n%s",
            settings.ROSTER_DIR,
            len(exc.problems),
            "\n".join(f"  {p}" for p in exc.problems[:50]),
        )
        raise
    blobs = roster_tables(roster)
    stored = roster_crud.create_version(
        factory,
        None,
        {b.table: b.sha256 for b in blobs},
        blobs,
        created_by=BUNDLED_BY,
        source="bundled",
        message=f"bundled roster loaded from {settings.ROSTER_DIR}",
        changes=[],
        diff={t.value: row_diff({}, roster.table(t)) for t in solver.Table},
        counts=solver.counts(roster),
    )
    log.info("loaded the bundled roster from %s as version %s", settings.ROSTER_DIR, stored.version)
    return stored.version


def roster_tables(roster: solver.Roster) -> list[roster_crud.NewTable]:
    return [
        roster_crud.new_table(t, solver.table_csv(t, roster.table(t).values()), len(roster.table(t)))
        for t in solver.Table
    ]


def announce_admin(secret: str) -> None:
    print(
        "\nFirst start: an admin token was created. It is shown only this once; keep it safe:\n"
        f"\n    {secret}\n\nUse it as 'Authorization: Bearer <token>'; "
        "create more with POST /tokens or `python -m service token create`.\n",
        flush=True,
    )
