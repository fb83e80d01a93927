"""``fedtasks compose`` and ``fedtasks schema check``: the team's schema workflow.

When you change a subgraph:

1. ``fedtasks schema export``  writes the subgraph SDLs (schema/*.graphql) from the code;
2. ``fedtasks compose``        composes them into schema/supergraph.graphql;
3. ``fedtasks schema check``   (run by CI) fails if the graph does not compose, if a
   committed file is stale, or if the new API schema breaks the committed one; review
   the listed changes, and pass ``--allow-breaking`` only when clients are ready.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from router.composition.compose import compose
from router.composition.config import ConfigError, load_config, read_sources
from router.composition.schema_check import CheckReport, api_changes

DEFAULT_CONFIG = "schema/supergraph.yaml"
DEFAULT_OUTPUT = "schema/supergraph.graphql"


def add_compose(commands: Any) -> None:
    """Register ``fedtasks compose`` on the top-level parser."""
    parser = commands.add_parser(
        "compose",
        help="compose the subgraphs of supergraph.yaml into a supergraph",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", default=DEFAULT_CONFIG, help=f"default: {DEFAULT_CONFIG}")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.set_defaults(run=_compose)


def _compose(args: argparse.Namespace) -> int:
    try:
        sources = read_sources(load_config(Path(args.config)))
    except ConfigError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    result = compose(sources)
    if result.supergraph is None:
        for error in result.errors:
            print(f"{error.code}: {error.message}", file=sys.stderr)
        print(
            f"composition failed with {len(result.errors)} error(s); nothing written",
            file=sys.stderr,
        )
        return 1
    Path(args.output).write_text(result.supergraph + "\n", encoding="utf-8")
    print(f"wrote {args.output} ({len(sources)} subgraphs)")
    return 0


def _exported_sdls() -> dict[str, str]:
    """Subgraph SDLs freshly exported from the code (in a separate process)."""
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(
            [sys.executable, "-m", "subgraphs", "schema", "export", "--dir", directory],
            check=True,
            capture_output=True,
        )
        return {p.stem: p.read_text(encoding="utf-8") for p in Path(directory).glob("*.graphql")}


def run_check(config: Path, output: Path, fresh: dict[str, str]) -> CheckReport:
    """Check the committed schema files against ``fresh`` subgraph SDLs (name -> SDL)."""
    report = CheckReport()
    entries = load_config(config)
    for entry in entries:
        if entry.name in fresh and entry.file is not None:
            committed = entry.file.read_text(encoding="utf-8") if entry.file.exists() else None
            if committed != fresh[entry.name]:
                report.stale.append(f"{entry.file} (run `fedtasks schema export`)")
    result = compose(read_sources(entries, overrides=fresh))
    if result.supergraph is None:
        report.errors = result.errors
        return report
    committed_supergraph = output.read_text(encoding="utf-8") if output.exists() else None
    if committed_supergraph is None or committed_supergraph.rstrip("\n") != result.supergraph:
        report.stale.append(f"{output} (run `fedtasks compose`)")
    if committed_supergraph is not None:
        report.breaking, report.dangerous = api_changes(committed_supergraph, result.supergraph)
    return report


def check(argv: list[str]) -> int:
    """``fedtasks schema check``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="fedtasks schema check",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    parser.add_argument("--supergraph", default=DEFAULT_OUTPUT, help="the committed supergraph")
    parser.add_argument(
        "--allow-breaking", action="store_true", help="report breaking changes as warnings"
    )
    args = parser.parse_args(argv)
    try:
        report = run_check(Path(args.config), Path(args.supergraph), _exported_sdls())
    except ConfigError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    for error in report.errors:
        print(f"composition error {error.code}: {error.message}")
    for path in report.stale:
        print(f"stale: {path}")
    label = "warning (allowed) breaking change" if args.allow_breaking else "breaking change"
    for change in report.breaking:
        print(f"{label}: {change}")
    for change in report.dangerous:
        print(f"dangerous change: {change}")
    if report.failed(allow_breaking=args.allow_breaking):
        return 1
    print("schema check passed: the graph composes, files are fresh, no breaking change")
    return 0
