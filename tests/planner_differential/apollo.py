"""Apollo's gateway and query planner as a reference, one Node process for the whole run.

``tools/apollo-gateway/differential.mjs`` reads one JSON request per line and answers one
line each (see its header). Install its pinned packages with :data:`INSTALL_COMMAND`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_DIR = REPO_ROOT / "tools" / "apollo-gateway"
INSTALL_COMMAND = "npm ci --prefix tools/apollo-gateway"
"""What installs the pinned gateway and planner, run from the repository root."""


def apollo_available() -> bool:
    """True when ``node`` is on PATH and the gateway's packages are installed."""
    installed = (GATEWAY_DIR / "node_modules" / "@apollo" / "query-planner").is_dir()
    return shutil.which("node") is not None and installed


def require_apollo() -> None:
    """Skip the calling test when Apollo's gateway is unavailable; fail instead on CI."""
    if apollo_available():
        return
    message = (
        "Apollo's gateway is not available: needs `node` on PATH and "
        f"`{INSTALL_COMMAND}` (from the repository root)."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class LoadedSupergraph:
    """What Apollo made of a supergraph: its subgraphs' schemas and the API schema."""

    subgraphs: dict[str, str]
    api_schema: str


@dataclass(frozen=True)
class ApolloPlan:
    """Apollo's query plan for one operation and its size."""

    text: str
    fetches: int
    depth: int


class ApolloReference:
    """A running ``differential.mjs``; requests are answered one at a time."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not apollo_available():
            raise RuntimeError(f"Apollo's gateway is not installed: run `{INSTALL_COMMAND}`")
        self._process = subprocess.Popen(
            [node, str(GATEWAY_DIR / "differential.mjs")],
            cwd=GATEWAY_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._ids = count(1)

    def _call(self, **request: Any) -> dict[str, Any]:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        request["id"] = next(self._ids)
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"differential.mjs stopped (exit {self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        assert answer["id"] == request["id"]
        if "error" in answer:
            raise ApolloError(str(answer["error"]))
        return answer

    def load(self, key: str, supergraph: str, urls: Mapping[str, str]) -> LoadedSupergraph:
        """Build Apollo's gateway for ``supergraph`` with its subgraphs at ``urls``."""
        answer = self._call(cmd="load", key=key, supergraph=supergraph, urls=dict(urls))
        return LoadedSupergraph(dict(answer["subgraphs"]), str(answer["api"]))

    def execute(
        self, key: str, query: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Apollo's gateway's response to one operation."""
        answer = self._call(cmd="execute", key=key, query=query, variables=dict(variables or {}))
        result: dict[str, Any] = answer["result"]
        return result

    def plan(self, key: str, query: str) -> ApolloPlan:
        """Apollo's query plan for ``query``."""
        answer = self._call(cmd="plan", key=key, query=query)
        return ApolloPlan(str(answer["plan"]), int(answer["fetches"]), int(answer["depth"]))

    def unload(self, key: str) -> None:
        """Stop the gateway of ``key``."""
        self._call(cmd="unload", key=key)

    def close(self) -> None:
        """End the Node process (closing its input) and wait for it."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


class ApolloError(RuntimeError):
    """``differential.mjs`` could not do what it was asked (its message)."""
