"""``fedtasks router`` as a real process, in production mode: its limits and safety over HTTP.

No subgraph runs: every request here is answered by the router itself (refused, or
``__typename``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import environment, free_port, running, wait_until_up

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def router_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    nowhere = f"http://127.0.0.1:{free_port()}/graphql"
    env = environment(
        FEDTASKS_SUBGRAPH_URL_USERS=nowhere,
        FEDTASKS_SUBGRAPH_URL_TASKS=nowhere,
        FEDTASKS_RATE_LIMIT="1",
        FEDTASKS_RATE_LIMIT_BURST="3",
        FEDTASKS_SUPERGRAPH_POLL_SECONDS="0",
    )
    for name in ("FEDTASKS_DEV", "REDIS_URL", "FEDTASKS_INTROSPECTION", "FEDTASKS_CSRF"):
        env.pop(name, None)
    args = ["router", "--supergraph", str(REPO / "schema/supergraph.graphql"), "--port", str(port)]
    with running(args, cwd=tmp_path_factory.mktemp("router"), env=env) as process:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/health", process)
        yield url


def test_production_defaults_over_http(router_url: str) -> None:
    strict = {"accept": "application/graphql-response+json"}  # request errors are 400
    with httpx.Client(base_url=router_url, timeout=10, headers=strict) as http:
        introspection = http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        assert introspection.status_code == 400
        assert introspection.json()["errors"][0]["extensions"] == {"code": "INTROSPECTION_DISABLED"}
        csrf = http.get("/graphql", params={"query": "{ __typename }"})
        assert (csrf.status_code, csrf.json()["errors"][0]["extensions"]["code"]) == (
            400,
            "CSRF_PREVENTED",
        )

        def chunks() -> Iterator[bytes]:
            yield b'{"query": "{ __typename }", "padding": "'
            for _ in range(2000):
                yield b"x" * 1024
            yield b'"}'

        # Sent in chunks, with no Content-Length: refused once past 1 MiB.
        big = http.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
        assert big.status_code == 413
        assert big.json()["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE"}
        # Three requests so far: the burst of this address is spent, and the next token
        # comes within the minute.
        limited = http.post("/graphql", json={"query": "{ __typename }"})
        assert limited.status_code == 429
        assert limited.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert http.get("/health").status_code == 200
