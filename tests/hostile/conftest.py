"""``fedtasks router`` as a real process with its production defaults, to be attacked.

No subgraph runs: every attack here is answered (refused) by the router itself, and the
probe's ``{ __typename }`` too. Rate limiting is off so that the attacks reach the limits
they test; the edge timeouts are short so that the slow-client cases end quickly, and
the prepare deadline short so that a document slow to validate meets it.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import FEDTASKS, environment, free_port, wait_until_up

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RouterProcess:
    """Where the router listens."""

    port: int

    @property
    def url(self) -> str:
        """The router's base URL."""
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="package")
def router(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RouterProcess]:
    port = free_port()
    nowhere = f"http://127.0.0.1:{free_port()}/graphql"
    env = environment(
        FEDTASKS_SUBGRAPH_URL_USERS=nowhere,
        FEDTASKS_SUBGRAPH_URL_TASKS=nowhere,
        FEDTASKS_SUPERGRAPH_POLL_SECONDS="0",
        FEDTASKS_HEADER_TIMEOUT="1",
        FEDTASKS_BODY_TIMEOUT="1",
        FEDTASKS_PREPARE_TIMEOUT="0.1",
    )
    for name in ("FEDTASKS_DEV", "REDIS_URL", "FEDTASKS_INTROSPECTION", "FEDTASKS_RATE_LIMIT"):
        env.pop(name, None)
    args = ["router", "--supergraph", str(REPO / "schema/supergraph.graphql"), "--port", str(port)]
    directory = tmp_path_factory.mktemp("router")
    # Its log goes to a file: the attacks log a line each, which would fill a pipe nobody
    # reads and block the router on its next write.
    with (directory / "router.log").open("w") as log:
        process = subprocess.Popen(
            [FEDTASKS, *args], cwd=directory, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health", process)  # type: ignore[arg-type]
            yield RouterProcess(port)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
