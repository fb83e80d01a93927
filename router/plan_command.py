"""``fedtasks plan``: print the query plan the router would run for an operation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from router.operation.prepare import OperationError, prepare
from router.planner.build import build_plan
from router.planner.errors import PlanningError
from router.supergraph.errors import SupergraphError
from router.supergraph.reader import read_supergraph


def add_plan(commands: Any) -> None:
    """Register ``fedtasks plan`` on the top-level parser."""
    parser = commands.add_parser("plan", help="print the query plan of an operation")
    parser.add_argument("--supergraph", default="schema/supergraph.graphql")
    parser.add_argument("--query", required=True, help="a file holding the operation")
    parser.add_argument("--operation-name", default=None)
    parser.add_argument(
        "--label", action="append", default=[], help="an override label to turn on (repeatable)"
    )
    parser.set_defaults(run=_plan)


def _plan(args: argparse.Namespace) -> int:
    try:
        supergraph = read_supergraph(Path(args.supergraph).read_text(encoding="utf-8"))
        query = Path(args.query).read_text(encoding="utf-8")
        prepared = prepare(supergraph.api_schema, query, args.operation_name)
        plan = build_plan(supergraph, prepared.document, prepared.name, frozenset(args.label))
    except OSError as error:
        print(f"error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    except SupergraphError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OperationError as error:
        for problem in error.errors:
            print(f"{problem['extensions']['code']}: {problem['message']}", file=sys.stderr)
        return 1
    except PlanningError as error:
        print(f"error: cannot plan the operation: {error}", file=sys.stderr)
        return 1
    print(json.dumps(plan.to_json(), indent=2))
    return 0
