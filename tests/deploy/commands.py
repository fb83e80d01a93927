"""Parse a ``fedtasks`` command line with the project's own parsers, without running it.

``fedtasks`` (router/cli.py) hands the subgraph commands to ``python -m subgraphs``
(subgraphs/cli.py) and parses the others itself; both parsers read some defaults from the
environment when they are built (``FEDTASKS_SUPERGRAPH``, ``FEDTASKS_DEV``), so a command
is parsed under the environment its container gets. Parsing stops at the parsed
arguments: nothing is served, migrated or written.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn
from unittest import mock

from router import cli as router_cli
from subgraphs import cli as subgraphs_cli


class _Parsed(Exception):
    def __init__(self, namespace: argparse.Namespace) -> None:
        super().__init__("parsed")
        self.namespace = namespace


_parse_args = argparse.ArgumentParser.parse_args


def _stop_after_parsing(
    parser: argparse.ArgumentParser, args: Sequence[str] | None = None, namespace: Any = None
) -> NoReturn:
    raise _Parsed(_parse_args(parser, args, namespace))


def parse_fedtasks(argv: Sequence[str], environ: Mapping[str, str]) -> argparse.Namespace:
    """The arguments ``fedtasks ARGV`` runs with in environment ``environ``.

    Fails the test with argparse's message when the command line is not a valid one.
    """
    words = list(argv)
    main = subgraphs_cli.main if words[0] in router_cli.SUBGRAPH_COMMANDS else router_cli.main
    with (
        mock.patch.dict(os.environ, dict(environ), clear=True),
        mock.patch.object(argparse.ArgumentParser, "parse_args", _stop_after_parsing),
    ):
        try:
            main(words)
        except _Parsed as parsed:
            return parsed.namespace
        except SystemExit as exit_:
            raise AssertionError(f"`fedtasks {' '.join(words)}` does not parse") from exit_
    raise AssertionError(f"`fedtasks {' '.join(words)}` ran instead of being parsed")
