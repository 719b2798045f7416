"""Command line of the service.

    python -m service serve [--host 127.0.0.1] [--port 8000]
    python -m service token create --role coordinator --name "梅州市教育局"
    python -m service token list
    python -m service migrate
    python -m service makemigration "add a column"   (for maintainers: autogenerate a revision)

Settings come from the environment (DATABASE_URL, DATA_DIR, ROSTER_DIR, ...; see
service/core/config.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn
from alembic import command

from service.core.config import Settings
from service.core.db import (
    alembic_config,
    bootstrap_lock,
    make_engine,
    session_factory,
    upgrade,
    write_session,
)
from service.core.security import Role
from service.crud import tokens as token_crud


def cmd_serve(args: argparse.Namespace) -> int:
    from service.app import create_app

    uvicorn.run(create_app(Settings()), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    with bootstrap_lock(engine, settings):
        upgrade(engine)
    engine.dispose()
    print("database schema is up to date")
    return 0


def cmd_makemigration(args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=args.message, autogenerate=True)
    engine.dispose()
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    with bootstrap_lock(engine, settings):
        upgrade(engine)
    with write_session(session_factory(engine)) as session:
        token, secret = token_crud.create_token(session, args.name, Role(args.role), "command line")
        token_id = token.id
    engine.dispose()
    print(f"token {token_id} ({args.role}, {args.name!r}); shown only this once:", file=sys.stderr)
    print(secret)
    return 0


def cmd_token_list(_args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    with session_factory(engine)() as session:
        for token in token_crud.list_tokens(session):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            print(f"{token.id}\t{token.role}\t{state}\t{token.name}")
    engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service (migrations and first-start set-up included)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(handler=cmd_serve)
    migrate = commands.add_parser("migrate", help="apply database migrations and exit")
    migrate.set_defaults(handler=cmd_migrate)
    revision = commands.add_parser(
        "makemigration", help="autogenerate a migration from service/models.py against an up-to-date database"
    )
    revision.add_argument("message")
    revision.set_defaults(handler=cmd_makemigration)
    token = commands.add_parser("token", help="manage API tokens").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="create a token and print its secret once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True)
    create.set_defaults(handler=cmd_token_create)
    listing = token.add_parser("list", help="list tokens (never their secrets)")
    listing.set_defaults(handler=cmd_token_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
