"""Read-your-writes across two routers sharing the real Redis, and Redis dying under load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from router.cache.config import CacheSettings, build_backend
from router.cache.redis_backend import RedisBackend
from tests.router.cache.router_stack import (
    TASKS,
    USER_TASKS,
    USERS,
    Stack,
    running_stack,
    seed,
)
from tests.support.redis_server import RedisServer


@pytest.fixture
async def stack(users_url: str, tasks_url: str) -> AsyncIterator[Stack]:
    async with running_stack(users_url, tasks_url) as stack:
        yield stack


def titles(data: dict[str, object], *path: str) -> list[str]:
    node: object = data
    for name in path:
        assert isinstance(node, dict)
        node = node[name]
    assert isinstance(node, dict)
    return [edge["node"]["title"] for edge in node["edges"]]


async def test_a_write_through_one_replica_is_read_through_the_other(
    stack: Stack, two_connections: tuple[RedisBackend, RedisBackend]
) -> None:
    reader = await stack.replica(two_connections[0])
    writer = await stack.replica(two_connections[1])
    [ann, bob] = await seed(writer)

    async def warm() -> None:
        for user in (ann, bob):
            await reader.run(USER_TASKS, {"id": user})
        await reader.run(TASKS)
        await reader.run(USERS)
        reader.recording.sent.clear()
        await reader.run(USER_TASKS, {"id": ann})
        assert reader.recording.sent == [], "the reader's cache should be warm"

    # Create a task.
    await warm()
    created = await writer.mutate(
        "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
        {"i": {"title": "Fresh", "assigneeId": ann}},
    )
    task = created["createTask"]["id"]
    assert "Fresh" in titles(await reader.run(USER_TASKS, {"id": ann}), "user", "tasks")
    assert "Fresh" in titles(await reader.run(TASKS), "tasks")

    # Update it (and move it to another assignee).
    await warm()
    await writer.mutate(
        "mutation($id: ID!, $i: UpdateTaskInput!) { updateTask(id: $id, input: $i) { id } }",
        {"id": task, "i": {"title": "Moved", "assigneeId": bob}},
    )
    assert "Moved" not in titles(await reader.run(USER_TASKS, {"id": ann}), "user", "tasks")
    assert "Moved" in titles(await reader.run(USER_TASKS, {"id": bob}), "user", "tasks")
    assert "Moved" in titles(await reader.run(TASKS), "tasks")

    # Delete it.
    await warm()
    await writer.mutate("mutation($id: ID!) { deleteTask(id: $id) }", {"id": task})
    assert "Moved" not in titles(await reader.run(USER_TASKS, {"id": bob}), "user", "tasks")
    assert "Moved" not in titles(await reader.run(TASKS), "tasks")

    # Create, update and delete a user.
    await warm()
    made = await writer.mutate(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        {"i": {"name": "Cy", "email": "cy@example.com"}},
    )
    cy = made["createUser"]["id"]
    names = [e["node"]["name"] for e in (await reader.run(USERS))["users"]["edges"]]
    assert "Cy" in names
    await warm()
    await writer.mutate(
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
        {"id": ann, "i": {"name": "Ann Renamed"}},
    )
    assert (await reader.run(USER_TASKS, {"id": ann}))["user"]["name"] == "Ann Renamed"
    names = [e["node"]["name"] for e in (await reader.run(USERS))["users"]["edges"]]
    assert "Ann Renamed" in names
    await warm()
    await writer.mutate("mutation($id: ID!) { deleteUser(id: $id) }", {"id": cy})
    names = [e["node"]["name"] for e in (await reader.run(USERS))["users"]["edges"]]
    assert "Cy" not in names


async def test_redis_killed_and_restarted_mid_test_fails_no_request(
    stack: Stack, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path)
    server.start()
    backend = build_backend(
        CacheSettings(redis_url=server.url, command_timeout=0.2, connect_timeout=0.2, backoff=0.2)
    )
    try:
        router = await stack.replica(backend)
        [user, _] = await seed(router)
        expected = await router.run(USER_TASKS, {"id": user})
        assert (await router.report(USER_TASKS, {"id": user}))["hits"] == 2

        server.kill()
        for _ in range(5):
            assert await router.run(USER_TASKS, {"id": user}) == expected
        outage = await router.report(USER_TASKS, {"id": user})
        assert outage["hits"] == 0

        server.start()
        await asyncio.sleep(0.3)  # the back-off passes; the next call probes Redis
        recovered = []
        for _ in range(5):
            recovered.append(await router.report(USER_TASKS, {"id": user}))
            await asyncio.sleep(0.05)
        assert recovered[-1]["hits"] == 2, recovered
    finally:
        await backend.aclose()
        server.kill()


async def test_an_invalidation_lost_to_a_hung_redis_is_made_good_when_it_answers(
    stack: Stack, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path)
    server.start()
    settings = CacheSettings(
        redis_url=server.url, command_timeout=0.2, connect_timeout=0.2, backoff=0.2
    )
    writer_backend, reader_backend = build_backend(settings), build_backend(settings)
    try:
        writer = await stack.replica(writer_backend)
        reader = await stack.replica(reader_backend)
        [user, _] = await seed(writer)
        await reader.run(USER_TASKS, {"id": user})
        assert (await reader.report(USER_TASKS, {"id": user}))["hits"] == 2

        server.freeze()  # Redis keeps its data but answers nothing: the invalidation is lost
        await writer.mutate(
            "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
            {"id": user, "i": {"name": "Renamed"}},
        )
        server.thaw()
        await asyncio.sleep(1.0)  # the writer's flush retries until Redis answers

        # The reader never saw an outage, yet it does not serve the old name.
        assert (await reader.run(USER_TASKS, {"id": user}))["user"]["name"] == "Renamed"
    finally:
        server.thaw()
        await writer_backend.aclose()
        await reader_backend.aclose()
        server.kill()
