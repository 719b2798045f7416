"""A database from before the optional roster tables upgrades without losing a version: every
stored version reads back whole, with empty ties and requests (migration 0004)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from service.bootstrap import bootstrap
from service.core.config import Settings
from service.core.db import alembic_config, make_engine, session_factory
from service.roster_cache import RosterCache, version_roster


def test_a_version_stored_before_ties_and_requests_reads_back_whole(tmp_path: Path):
    settings = Settings(DATA_DIR=tmp_path)
    engine = make_engine(settings)
    factory = session_factory(engine)
    version = bootstrap(settings, engine, factory).roster_version
    with engine.begin() as connection:  # as the version was stored before the tables existed
        connection.execute(text("DELETE FROM roster_version_tables WHERE table_name IN ('ties', 'requests')"))
        command.downgrade(alembic_config(connection), "0003")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with factory() as session:
        roster = version_roster(session, RosterCache(), version)
        names = set(
            session.scalars(text("SELECT table_name FROM roster_version_tables WHERE version = :v"), {"v": version})
        )
    assert {"ties", "requests"} <= names
    assert roster.ties == {} and roster.requests == {} and len(roster.areas) == 177
    engine.dispose()


def test_a_version_stored_before_the_annex_tables_reads_back_whole(tmp_path: Path):
    settings = Settings(DATA_DIR=tmp_path)
    engine = make_engine(settings)
    factory = session_factory(engine)
    version = bootstrap(settings, engine, factory).roster_version
    with engine.begin() as connection:  # as the version was stored before issue 12's tables existed
        connection.execute(
            text("DELETE FROM roster_version_tables WHERE table_name IN ('degrees', 'silver', 'budgets')")
        )
        command.downgrade(alembic_config(connection), "0004")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with factory() as session:
        roster = version_roster(session, RosterCache(), version)
        names = set(
            session.scalars(text("SELECT table_name FROM roster_version_tables WHERE version = :v"), {"v": version})
        )
    assert {"degrees", "silver", "budgets"} <= names
    assert roster.degrees == {} and roster.silver == {} and roster.budgets == {} and len(roster.areas) == 177
    engine.dispose()
