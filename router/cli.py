"""The ``fedtasks`` command.

Subgraph commands (``subgraph``, ``db``, ``seed``, ``schema export``) run in
``python -m subgraphs``, a process of their own, because the router never imports
subgraph code (DESIGN.md); ``dev`` starts every service as a separate process.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from router import dev_command, persisted_command, plan_command, router_command, schema_commands

SUBGRAPH_COMMANDS = frozenset({"subgraph", "db", "seed", "schema"})

HELP = """\
commands:
  dev                       run the whole stack on embedded defaults: subgraphs, router, demo data
  compose                   compose schema/supergraph.yaml into schema/supergraph.graphql
  router                    serve the supergraph on :4000 (--supergraph, --port, --dev, --workers)
  plan --query FILE         print the query plan of an operation (--supergraph FILE)
  persisted register FILE.. register operations for the safelist in Redis (--manifest OUT)
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
    dev_command.add_dev(commands)
    schema_commands.add_compose(commands)
    plan_command.add_plan(commands)
    router_command.add_router(commands)
    persisted_command.add_persisted(commands)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
