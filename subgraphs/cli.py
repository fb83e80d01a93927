"""The subgraph side of the ``fedtasks`` command: serve, migrate, seed, export SDL.

``fedtasks`` (router/cli.py) hands these commands to ``python -m subgraphs`` so that
the router never imports subgraph code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from subgraphs.common.logging import configure_logging, log_format
from subgraphs.common.migrations import upgrade
from subgraphs.common.settings import ServiceSettings, TasksSettings, UsersSettings
from subgraphs.schema_export import export_sdl, stale_files

SERVICES = ("users", "tasks")
DEFAULT_PORTS = {"users": 4001, "tasks": 4002}


def settings_of(service: str) -> ServiceSettings:
    """The settings of ``service`` from the environment."""
    return UsersSettings() if service == "users" else TasksSettings()


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    service: str = args.service
    if args.dev:
        # The app factory below reads its settings from the environment.
        os.environ["FEDTASKS_DEV"] = "true"
    try:
        settings = settings_of(service)
    except ValidationError as error:
        print(f"error: {_settings_problem(error)}", file=sys.stderr)
        return 2
    if not settings.dev and not settings.subgraph_secret:
        print(
            "error: FEDTASKS_SUBGRAPH_SECRET is not set. In production mode a subgraph "
            "answers only the router, which sends that shared secret; set it for both, or "
            "run in dev mode (--dev or FEDTASKS_DEV=true) without it.",
            file=sys.stderr,
        )
        return 2
    try:
        configure_logging(log_format(os.environ, dev_mode=settings.dev), settings.log_level)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not args.no_migrate:
        upgrade(service, settings.database_url)
    uvicorn.run(
        f"subgraphs.{service}.app:create_{service}_app",
        factory=True,
        host=args.host,
        port=args.port or DEFAULT_PORTS[service],
        log_level=settings.log_level.lower(),
        # Logging is configured above (LOG_FORMAT); the access log is the subgraph's own.
        log_config=None,
        access_log=False,
        # On SIGTERM: stop accepting, let requests in flight finish (bounded), then the
        # lifespan closes the database pool.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    return 0


def _settings_problem(error: ValidationError) -> str:
    """The first invalid setting, named by its environment variable, and why."""
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"])
    return f"{name}: {first['msg']}"


def _db_upgrade(args: argparse.Namespace) -> int:
    for service in [args.service] if args.service else SERVICES:
        upgrade(service, settings_of(service).database_url, args.revision)
        print(f"{service}: database upgraded to {args.revision}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from subgraphs.seed import seed

    users_settings, tasks_settings = UsersSettings(), TasksSettings()
    if args.users < 1 and args.tasks > 0:
        print("error: tasks need at least one user to be assigned to", file=sys.stderr)
        return 2
    upgrade("users", users_settings.database_url)
    upgrade("tasks", tasks_settings.database_url)
    result = asyncio.run(
        seed(
            users=args.users,
            tasks=args.tasks,
            users_settings=users_settings,
            tasks_settings=tasks_settings,
            random_seed=args.seed,
        )
    )
    print(f"seeded {len(result.user_ids)} users and {result.task_count} tasks")
    return 0


def _schema_export(args: argparse.Namespace) -> int:
    directory = Path(args.dir)
    if args.check:
        stale = stale_files(directory)
        for path in stale:
            print(f"stale: {path} differs from the code; run `fedtasks schema export`")
        return 1 if stale else 0
    for path in export_sdl(directory):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the subgraph commands."""
    parser = argparse.ArgumentParser(prog="fedtasks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("subgraph", help="serve a subgraph over HTTP")
    serve.add_argument("service", choices=SERVICES)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="default: users 4001, tasks 4002")
    serve.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
    serve.add_argument(
        "--dev",
        action="store_true",
        help="dev mode: no router secret required, introspection on (also FEDTASKS_DEV=true)",
    )
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_commands.add_parser("upgrade", help="apply migrations (both by default)")
    db_upgrade.add_argument("service", nargs="?", choices=SERVICES)
    db_upgrade.add_argument("--revision", default="head")
    db_upgrade.set_defaults(run=_db_upgrade)

    seed = commands.add_parser("seed", help="load demo data into both databases")
    seed.add_argument("--users", type=int, default=50)
    seed.add_argument("--tasks", type=int, default=500)
    seed.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")
    seed.set_defaults(run=_seed)

    schema = commands.add_parser("schema", help="subgraph SDL files")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True)
    export = schema_commands.add_parser(
        "export", help="write schema/users.graphql and schema/tasks.graphql from the code"
    )
    export.add_argument("--dir", default="schema")
    export.add_argument("--check", action="store_true", help="only fail if a file is stale")
    export.set_defaults(run=_schema_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subgraph command; returns the exit code."""
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code
