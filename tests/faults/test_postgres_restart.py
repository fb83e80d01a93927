"""A subgraph's Postgres restarted under load: the subgraph recovers without a restart.

The Postgres here is a private server (tests/faults/postgres_server.py), stopped and
started again on the same port while clients keep querying the tasks subgraph process.
While it is down every answer is a clean GraphQL response (200, ``data: null`` and one
SERVICE_UNAVAILABLE error, never a 500 or a stack trace) and ``/ready`` says 503; once it
is back, the same subgraph process (same pid) answers in full again: pre-ping drops the
pool's dead connections and opens new ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.load import Answer, Load
from tests.faults.postgres_server import PostgresServer
from tests.faults.processes import SUBGRAPH_SECRET, base_environment
from tests.faults.stack import seed, sqlite_urls, subgraph
from tests.support.processes import free_port

QUERY = "{ tasks(first: 5) { totalCount edges { node { title } } } }"
ROUTER_SECRET_HEADER = "x-fedtasks-router-secret"


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.init()
        server.start()
        server.create_database("fedtasks_tasks")
        yield server
    finally:
        server.remove()


def complete(answer: Answer) -> bool:
    return (
        answer.status == 200
        and isinstance(answer.body, dict)
        and "errors" not in answer.body
        and answer.body["data"]["tasks"]["totalCount"] == 20
        and len(answer.body["data"]["tasks"]["edges"]) == 5
    )


def unavailable(answer: Answer) -> bool:
    return (
        answer.status == 200
        and isinstance(answer.body, dict)
        and answer.body.get("data") is None
        and answer.codes == ["SERVICE_UNAVAILABLE"]
        and "Traceback" not in str(answer.body)
    )


@pytest.mark.parametrize("mode", ["fast", "immediate"], ids=["restart", "crash"])
def test_the_subgraph_recovers_when_its_postgres_comes_back(
    tmp_path: Path, postgres: PostgresServer, mode: str
) -> None:
    env = base_environment(DB_TIMEOUT_SECONDS="2")
    urls = {**sqlite_urls(tmp_path), "tasks": postgres.url("fedtasks_tasks")}
    seed(tmp_path, urls, env)
    port = free_port()
    with subgraph(
        "tasks", directory=tmp_path, port=port, database_url=urls["tasks"], env=env
    ) as tasks:
        tasks.start().wait_until_up(f"http://127.0.0.1:{port}/health")
        pid = tasks.pid
        ready = f"http://127.0.0.1:{port}/ready"
        headers = {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}
        with Load(f"http://127.0.0.1:{port}/graphql", {"query": QUERY}, headers=headers) as load:
            load.wait_for(20)
            down = load.mark()

            postgres.stop(mode)
            load.wait_until(
                lambda a: any(unavailable(x) for x in a[down:]), "an answer while it is down"
            )
            assert httpx.get(ready, timeout=10).status_code == 503

            postgres.start()
            up = load.mark()
            load.wait_until(
                lambda a: sum(complete(x) for x in a[up:]) >= 20, "20 complete answers again"
            )
            assert httpx.get(ready, timeout=10).status_code == 200

        assert tasks.alive()
        assert tasks.pid == pid

    answers = load.answers
    assert all(a.failure is None for a in answers), "a request failed"
    assert all(complete(a) for a in answers[:down])
    assert all(complete(a) or unavailable(a) for a in answers[down:]), [
        a.body for a in answers[down:] if not (complete(a) or unavailable(a))
    ][:3]
