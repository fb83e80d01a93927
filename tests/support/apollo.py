"""Run Apollo's real Federation 2 composer (``@apollo/composition`` on Node) as a reference.

The harness lives in ``tools/apollo-composition``: ``compose.mjs`` reads
``{"subgraphs": [{"name", "url", "sdl"}, ...]}`` on stdin and prints the supergraph SDL or
Apollo's errors, plus its hints, as JSON. Install it once with :data:`INSTALL_COMMAND`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APOLLO_DIR = REPO_ROOT / "tools" / "apollo-composition"
"""The Node project holding ``compose.mjs`` and the pinned ``@apollo/composition``."""

INSTALL_COMMAND = "npm ci --prefix tools/apollo-composition"
"""What installs the harness's pinned Node packages, run from the repository root."""

FIXTURES_DIR = REPO_ROOT / "tests" / "router" / "composition" / "fixtures"
"""The composition fixture corpus: one folder per case."""

SUPERGRAPH_FILE = "supergraph.graphql"
"""A case's expected output when Apollo composes it."""

ERRORS_FILE = "errors.json"
"""A case's expected output when Apollo rejects it: a list of ``{"code", "message"}``."""

_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class ApolloResult:
    """What Apollo's composer made of some subgraphs: a supergraph or errors, and hints."""

    supergraph: str | None
    """The supergraph SDL exactly as Apollo prints it, or None when composition failed."""

    errors: list[tuple[str, str]]
    """``(code, message)`` of every composition error, in Apollo's order; empty on success."""

    hints: list[tuple[str, str]]
    """``(code, message)`` of every composition hint, in Apollo's order."""

    @property
    def error_codes(self) -> set[str]:
        """The distinct codes of :attr:`errors`."""
        return {code for code, _ in self.errors}


def apollo_available() -> bool:
    """True when ``node`` is on PATH and the harness's Node packages are installed."""
    installed = (APOLLO_DIR / "node_modules" / "@apollo" / "composition" / "package.json").is_file()
    return shutil.which("node") is not None and installed


def require_apollo() -> None:
    """Skip the calling test when Apollo's composer is unavailable; fail instead on CI."""
    if apollo_available():
        return
    message = (
        "Apollo's composer is not available: needs `node` on PATH and the harness installed "
        f"with `{INSTALL_COMMAND}` (from the repository root)."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _pairs(items: Any) -> list[tuple[str, str]]:
    return [(str(item["code"]), str(item["message"])) for item in items or []]


def _run_harness(payload: dict[str, Any]) -> Any:
    """Feed ``payload`` to ``compose.mjs`` and return its decoded JSON output."""
    node = shutil.which("node")
    if node is None or not apollo_available():
        raise RuntimeError(f"Apollo's composer is not installed: run `{INSTALL_COMMAND}`")
    proc = subprocess.run(
        [node, str(APOLLO_DIR / "compose.mjs")],
        cwd=APOLLO_DIR,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"compose.mjs exited with {proc.returncode}:\n{proc.stderr}")
    return json.loads(proc.stdout)


def _request(subgraphs: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    return {"subgraphs": [{"name": n, "url": u, "sdl": s} for n, u, s in subgraphs]}


def _result(out: dict[str, Any]) -> ApolloResult:
    supergraph = out.get("supergraph")
    return ApolloResult(
        supergraph=str(supergraph) if supergraph is not None else None,
        errors=_pairs(out.get("errors")),
        hints=_pairs(out.get("hints")),
    )


def apollo_compose(subgraphs: Sequence[tuple[str, str, str]]) -> ApolloResult:
    """Compose ``(name, url, sdl)`` subgraphs with Apollo's composer.

    Raises RuntimeError when the harness cannot run or crashes; composition errors are not
    exceptions but part of the result.
    """
    return _result(_run_harness(_request(subgraphs)))


def apollo_compose_many(
    compositions: Sequence[Sequence[tuple[str, str, str]]],
) -> list[ApolloResult]:
    """Like :func:`apollo_compose` for several independent compositions, in one Node process."""
    out = _run_harness({"batch": [_request(subgraphs) for subgraphs in compositions]})
    return [_result(item) for item in out["results"]]


def subgraph_url(name: str) -> str:
    """The routing URL the fixture corpus gives the subgraph ``name``."""
    return f"http://{name}:4000/graphql"


def fixture_cases() -> list[Path]:
    """Every case folder of the fixture corpus, sorted by name."""
    return sorted(p for p in FIXTURES_DIR.iterdir() if p.is_dir())


def fixture_subgraphs(case_dir: Path) -> list[tuple[str, str, str]]:
    """The ``(name, url, sdl)`` subgraphs of a fixture case, sorted by name.

    Every ``.graphql`` file except ``supergraph.graphql`` is a subgraph named after its stem.
    """
    files = sorted(p for p in case_dir.glob("*.graphql") if p.name != SUPERGRAPH_FILE)
    return [(p.stem, subgraph_url(p.stem), p.read_text(encoding="utf-8")) for p in files]
