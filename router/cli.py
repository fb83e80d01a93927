"""The ``fedtasks`` command.

Subgraph commands (``subgraph``, ``db``, ``seed``, ``schema export``) run in
``python -m subgraphs``, a process of their own, because the router never imports
subgraph code (DESIGN.md); ``dev`` starts every service as a separate process.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

from router import schema_commands

SUBGRAPH_COMMANDS = frozenset({"subgraph", "db", "seed", "schema"})

HELP = """\
commands:
  dev                       run the whole stack on embedded defaults (SQLite, in-process cache)
  compose                   compose schema/supergraph.yaml into schema/supergraph.graphql
  schema check              fail if the graph does not compose, a schema file is stale, or a
                            change breaks clients (--allow-breaking: warn only)
  subgraph users|tasks      serve one subgraph (--host, --port, --no-migrate)
  db upgrade [users|tasks]  apply database migrations
  seed --users N --tasks M  load demo data
  schema export [--check]   write schema/users.graphql and schema/tasks.graphql from the code

Run `fedtasks COMMAND --help` for a command's options.
"""


def _subgraph_command(argv: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "subgraphs", *argv]


def _dev(args: argparse.Namespace) -> int:
    """Run both subgraphs until interrupted; stop all if one exits."""
    ports = {"users": args.users_port, "tasks": args.tasks_port}
    processes = [
        subprocess.Popen(
            _subgraph_command(["subgraph", name, "--host", args.host, "--port", str(port)])
        )
        for name, port in ports.items()
    ]
    listening = ", ".join(
        f"{name} on http://{args.host}:{port}/graphql" for name, port in ports.items()
    )
    print(f"fedtasks dev: {listening} (Ctrl-C stops)", flush=True)
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.2)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=15)
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
    return 0 if stopping or not failed else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fedtasks`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["schema", "check"]:
        return schema_commands.check(argv[2:])
    if argv and argv[0] in SUBGRAPH_COMMANDS:
        # Replace this process, so that signals and the exit code are the subgraph's own.
        command = _subgraph_command(argv)
        os.execv(command[0], command)
    parser = argparse.ArgumentParser(
        prog="fedtasks",
        description="fedtasks: federated GraphQL in Python.",
        epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    dev = commands.add_parser("dev", help="run the whole stack on embedded defaults")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--users-port", type=int, default=4001)
    dev.add_argument("--tasks-port", type=int, default=4002)
    dev.set_defaults(run=_dev)
    schema_commands.add_compose(commands)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
