"""Engine, sessions and migrations.

SQLite runs in WAL mode with a busy timeout; write transactions that read before they write
start with BEGIN IMMEDIATE (`write_session`), so two writers queue instead of one failing
with "database is locked" when it upgrades its read snapshot.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from service.core.config import Settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
SQLITE_BEGIN = "sqlite_begin"
# An arbitrary constant: the key of the PostgreSQL advisory lock held while bootstrapping.
BOOTSTRAP_LOCK_KEY = 0x6764_7061_6972


def make_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if settings.is_sqlite:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 60, "check_same_thread": False}, pool_size=10, max_overflow=30
        )
        _sqlite_events(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, emit BEGIN (the driver's own is always DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose one transaction takes the write lock up front (SQLite); commits on success."""
    with factory() as session, session.begin():
        session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        yield session


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Apply every Alembic migration up to head."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


@contextmanager
def bootstrap_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """Serialise start-up work (migrations, first roster, first token) across processes."""
    if settings.is_sqlite:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        with open(settings.DATA_DIR / "gd-pairing.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": BOOTSTRAP_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": BOOTSTRAP_LOCK_KEY})
            connection.commit()
