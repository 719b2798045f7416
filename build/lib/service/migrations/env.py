"""Alembic environment, configured in code (service.core.db.alembic_config): no alembic.ini.

The caller passes an open connection in config.attributes["connection"]; without one (the
`alembic` command run by hand with -x url=...), an engine is built from the settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from service.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    # Imported here so that importing env.py from the service never builds a second engine.
    from service.core.config import Settings
    from service.core.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url")
    settings = Settings(DATABASE_URL=url) if url else Settings()
    engine = make_engine(settings)
    with engine.connect() as conn:
        run_on(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
run_online()
