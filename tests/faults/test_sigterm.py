"""SIGTERM during load: the process stops accepting, and every request in flight finishes.

To know requests are in flight when the signal arrives (without sleeping and hoping),
each test holds them where they wait: the router's at a subgraph that answers only when
the test says so, the subgraph's on a table lock in its own Postgres database. The signal
is sent while they wait; the listening socket closes; then they are let go, and each gets
its full 200 answer before the process exits. (Uvicorn exits by the signal it handled,
once shut down, as a process should: the exit status is -SIGTERM.) A request that outlives
``FEDTASKS_SHUTDOWN_GRACE_SECONDS`` is cancelled instead, so shutdown stays bounded.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults.processes import (
    BOUND,
    SUBGRAPH_SECRET,
    Process,
    base_environment,
    refuses_connections,
    wait_until,
)
from tests.faults.stack import SUPERGRAPH, subgraph
from tests.router.transport.servers import HoldingHttpServer, Script, graphql_ok
from tests.support.processes import free_port
from tests.support.services import (
    POSTGRES_HOST,
    POSTGRES_PORT,
    POSTGRES_USER,
    create_postgres_database,
    drop_postgres_database,
    postgres_url,
)

IN_FLIGHT = 8
ROUTER_SECRET_HEADER = "x-fedtasks-router-secret"


def task_query(number: int) -> dict[str, str]:
    # A different task each, so the router's in-flight dedupe sends each one on.
    return {"query": f'{{ task(id: "{number}") {{ title }} }}'}


@pytest.fixture
async def held_tasks() -> AsyncIterator[HoldingHttpServer]:
    async with HoldingHttpServer(Script(graphql_ok({"task": {"title": "done"}}))) as server:
        yield server


def start_router(directory: Path, tasks_url: str, **env: str) -> tuple[Process, int]:
    port = free_port()
    process = Process(
        ["router", "--supergraph", str(SUPERGRAPH), "--port", str(port)],
        cwd=directory,
        env=base_environment(
            FEDTASKS_SUBGRAPH_URL_TASKS=tasks_url, FEDTASKS_ENTITY_CACHE="off", **env
        ),
        log=directory / "router.log",
    )
    process.start()
    process.wait_until_up(f"http://127.0.0.1:{port}/health")
    return process, port


async def test_the_router_finishes_every_request_in_flight_on_sigterm(
    tmp_path: Path, held_tasks: HoldingHttpServer
) -> None:
    router, port = await asyncio.to_thread(start_router, tmp_path, held_tasks.url)
    try:
        async with httpx.AsyncClient(timeout=BOUND) as client:
            url = f"http://127.0.0.1:{port}/graphql"
            sent = [
                asyncio.create_task(client.post(url, json=task_query(n))) for n in range(IN_FLIGHT)
            ]
            await held_tasks.wait_for(IN_FLIGHT)  # every request is inside the router

            router.signal(signal.SIGTERM)
            await asyncio.to_thread(
                wait_until, lambda: refuses_connections(port), "the router stops accepting"
            )
            assert router.alive()  # still finishing the requests in flight
            held_tasks.release()
            answers = await asyncio.gather(*sent)

        assert [a.status_code for a in answers] == [200] * IN_FLIGHT
        assert [a.json() for a in answers] == [{"data": {"task": {"title": "done"}}}] * IN_FLIGHT
        assert await asyncio.to_thread(router.wait) == -signal.SIGTERM
        assert "timeout graceful shutdown exceeded" not in router.output()
    finally:
        router.stop()


async def test_a_request_past_the_grace_period_is_cancelled_and_the_router_exits(
    tmp_path: Path, held_tasks: HoldingHttpServer
) -> None:
    router, port = await asyncio.to_thread(
        start_router, tmp_path, held_tasks.url, FEDTASKS_SHUTDOWN_GRACE_SECONDS="1"
    )
    try:
        async with httpx.AsyncClient(timeout=BOUND) as client:
            stuck = asyncio.create_task(
                client.post(f"http://127.0.0.1:{port}/graphql", json=task_query(1))
            )
            await held_tasks.wait_for(1)

            router.signal(signal.SIGTERM)
            # Never released: the grace period bounds the shutdown.
            assert await asyncio.to_thread(router.wait) == -signal.SIGTERM
            stuck.cancel()

        assert "timeout graceful shutdown exceeded" in router.output()
    finally:
        router.stop()


@pytest.fixture
def tasks_database() -> Iterator[str]:
    name = create_postgres_database("fedtasks_test_sigterm")
    yield name
    drop_postgres_database(name)


async def waiting_on_locks(database: str) -> int:
    """Backends of ``database`` waiting for a lock.

    Asked on a connection of its own: within a transaction (the one holding the lock),
    Postgres would answer from the snapshot of the activity it took first.
    """
    connection = await asyncpg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database=database
    )
    try:
        count: int = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            database,
        )
    finally:
        await connection.close()
    return count


@pytest.mark.postgres
async def test_a_subgraph_finishes_every_request_in_flight_on_sigterm(
    tmp_path: Path, tasks_database: str
) -> None:
    port = free_port()
    tasks = subgraph(
        "tasks",
        directory=tmp_path,
        port=port,
        database_url=postgres_url(tasks_database),
        env=base_environment(DB_POOL_SIZE=str(IN_FLIGHT)),
    ).start()
    lock = await asyncpg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database=tasks_database
    )
    try:
        await asyncio.to_thread(tasks.wait_until_up, f"http://127.0.0.1:{port}/health")
        locked = lock.transaction()
        await locked.start()
        await lock.execute("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE")
        async with httpx.AsyncClient(
            timeout=BOUND, headers={ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}
        ) as client:
            sent = [
                asyncio.create_task(
                    client.post(
                        f"http://127.0.0.1:{port}/graphql",
                        json={"query": "{ tasks(first: 1) { totalCount } }"},
                    )
                )
                for _ in range(IN_FLIGHT)
            ]
            for _ in range(int(BOUND / 0.05)):  # until every request waits on the lock
                if await waiting_on_locks(tasks_database) >= IN_FLIGHT:
                    break
                await asyncio.sleep(0.05)
            assert await waiting_on_locks(tasks_database) >= IN_FLIGHT

            tasks.signal(signal.SIGTERM)
            await asyncio.to_thread(
                wait_until, lambda: refuses_connections(port), "the subgraph stops accepting"
            )
            assert tasks.alive()
            await locked.commit()
            answers = await asyncio.gather(*sent)

        assert [a.status_code for a in answers] == [200] * IN_FLIGHT
        assert [a.json() for a in answers] == [{"data": {"tasks": {"totalCount": 0}}}] * IN_FLIGHT
        assert await asyncio.to_thread(tasks.wait) == -signal.SIGTERM
        assert "timeout graceful shutdown exceeded" not in tasks.output()
    finally:
        await lock.close()
        tasks.stop()
