"""Command line of the service.

    python -m service serve [--host 127.0.0.1] [--port 8000] [--solve-workers N]
    python -m service worker
    python -m service token create --role coordinator --name "梅州市教育局" [--city 441400]
    python -m service token list
    python -m service migrate
    python -m service makemigration "add a column"   (for maintainers: autogenerate a revision)

Settings come from the environment (DATABASE_URL, DATA_DIR, ROSTER_DIR, ...; see
service/core/config.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
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
from service.core.logs import install_redaction
from service.core.security import Role
from service.crud import audit
from service.crud import tokens as token_crud
from solver import control_character_problem

GRACEFUL_SHUTDOWN_S = 15
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"


def _start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` worker processes beside the API, each told to stop when this process goes."""
    command = [sys.executable, "-m", "service", "worker", "--parent-pid", str(os.getpid())]
    return [subprocess.Popen(command) for _ in range(count)]


def _stop_workers(workers: list[subprocess.Popen[bytes]], grace_s: float) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=grace_s + 10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    from service.app import create_app

    settings = Settings()
    count = settings.SERVE_SOLVE_WORKERS if args.solve_workers is None else args.solve_workers
    workers = _start_workers(count)
    try:
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            # SIGTERM: requests still running after this long (a big upload being parsed) are
            # abandoned, so that the process ends within a container's stop grace period.
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
    finally:
        _stop_workers(workers, settings.STOP_GRACE_S)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from service.worker import run_worker

    install_redaction()
    logging.basicConfig(level=getattr(logging, args.log_level.upper()), format=LOG_FORMAT)
    return run_worker(Settings(), parent_pid=args.parent_pid)


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


class CommandLine:
    """The audit trail's actor for changes made from the command line."""

    token_id = None
    name = "command line"
    city_id = None


def cmd_token_create(args: argparse.Namespace) -> int:
    from service.api.routes.tokens import scope_problem

    name = args.name.strip()
    problem = control_character_problem(name) or (None if 0 < len(name) <= 100 else "must be 1 to 100 characters")
    problem = problem or scope_problem(Role(args.role), args.city, None)
    if args.city is not None and not (len(args.city) == 6 and args.city.isdigit() and args.city.startswith("44")):
        problem = problem or f"--city {args.city!r} is not a city id of Guangdong (44xx00)"
    if problem:
        print(f"token not created: {problem}", file=sys.stderr)
        return 2
    settings = Settings()
    engine = make_engine(settings)
    with bootstrap_lock(engine, settings):
        upgrade(engine)
    with write_session(session_factory(engine)) as session:
        token, secret = token_crud.create_token(session, name, Role(args.role), "command line", args.city)
        token_id = token.id
        detail = {"name": name, "role": args.role, "city_id": args.city}
        audit.add(session, CommandLine(), [audit.Entry("token.create", "api_tokens", str(token_id), detail)])
    engine.dispose()
    scope = f", city {args.city}" if args.city else ""
    print(f"token {token_id} ({args.role}{scope}, {name!r}); shown only this once:", file=sys.stderr)
    print(secret)
    return 0


def cmd_token_list(_args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    with session_factory(engine)() as session:
        for token in token_crud.list_tokens(session):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            print(f"{token.id}\t{token.role}\t{token.city_id or '-'}\t{state}\t{token.name}")
    engine.dispose()
    return 0


LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service (migrations and first-start set-up included)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=LOG_LEVELS)
    serve.add_argument(
        "--solve-workers",
        type=int,
        default=None,
        help="worker processes to start beside the API (default SERVE_SOLVE_WORKERS, 1; 0 when workers run elsewhere)",
    )
    serve.set_defaults(handler=cmd_serve)
    worker = commands.add_parser(
        "worker", help="run a solve worker: claims queued plans from the database and solves them"
    )
    worker.add_argument("--log-level", default="info", choices=LOG_LEVELS)
    worker.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    worker.set_defaults(handler=cmd_worker)
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
    create.add_argument(
        "--city", default=None, help="coordinators only: the city (e.g. 441400) whose rows it may change"
    )
    create.set_defaults(handler=cmd_token_create)
    listing = token.add_parser("list", help="list tokens (never their secrets)")
    listing.set_defaults(handler=cmd_token_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
