"""The entity and root-field cache under the router, over the real users and tasks subgraphs.

Each test runs on the in-process backend and on the real Redis, and on SQLite and Postgres.
What the subgraphs were asked is recorded by a transport around the in-process one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from fastapi import FastAPI

from router.auth.identity import Identity
from router.cache.policy import CachePolicy
from tests.router.cache.conftest import CacheUnderTest
from tests.router.cache.router_stack import (
    TASKS,
    USER_TASKS,
    USERS,
    Replica,
    Stack,
    running_stack,
    seed,
)

ADMIN = frozenset({"member", "admin"})


@pytest.fixture
async def stack(users_url: str, tasks_url: str) -> AsyncIterator[Stack]:
    async with running_stack(users_url, tasks_url) as stack:
        yield stack


async def test_a_repeated_query_is_answered_without_asking_the_subgraphs(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend)
    [user, _] = await seed(router)
    first = await router.report(USER_TASKS, {"id": user})
    router.recording.sent.clear()

    second = await router.report(USER_TASKS, {"id": user})

    assert router.recording.sent == []
    assert (first["hits"], first["misses"]) == (0, 2)
    assert (second["hits"], second["misses"]) == (2, 0)
    assert [f["kind"] for f in second["fetches"]] == ["root", "entities"]


async def test_entities_are_cached_one_by_one(stack: Stack, cache: CacheUnderTest) -> None:
    router = await stack.replica(cache.backend)
    [first, second] = await seed(router)
    await router.run(USER_TASKS, {"id": first})
    router.recording.sent.clear()

    await router.run(USERS)

    # The users list is new, and so is the second user; the first one's tasks are cached.
    assert router.recording.representations("tasks") == [{"__typename": "User", "id": second}]


async def test_entries_expire_after_their_ttl(stack: Stack, cache: CacheUnderTest) -> None:
    router = await stack.replica(cache.backend, CachePolicy(default_ttl=0.3))
    [user, _] = await seed(router)
    await router.run(USER_TASKS, {"id": user})
    await router.run(USER_TASKS, {"id": user})
    assert len(router.recording.sent) > 0
    router.recording.sent.clear()

    await asyncio.sleep(0.5)
    await router.run(USER_TASKS, {"id": user})

    assert [name for name, _ in router.recording.sent] == ["users", "tasks"]


async def test_a_field_ttl_shortens_the_entries_that_hold_it(
    stack: Stack, cache: CacheUnderTest
) -> None:
    policy = CachePolicy(default_ttl=60, fields={"User.taskCount": 0.3})
    router = await stack.replica(cache.backend, policy)
    [user, _] = await seed(router)
    await router.run(USER_TASKS, {"id": user})
    await asyncio.sleep(0.5)
    router.recording.sent.clear()

    await router.run(USER_TASKS, {"id": user})

    # The tasks entry (taskCount) expired; the users root entry (name) did not.
    assert [name for name, _ in router.recording.sent] == ["tasks"]


async def test_mutations_are_never_cached(stack: Stack, cache: CacheUnderTest) -> None:
    router = await stack.replica(cache.backend)
    mutation = "mutation($i: CreateUserInput!) { createUser(input: $i) { name } }"

    await router.mutate(mutation, {"i": {"name": "A", "email": "a@example.com"}})
    await router.mutate(mutation, {"i": {"name": "B", "email": "b@example.com"}})

    assert [name for name, _ in router.recording.sent] == ["users", "users"]


def with_cache_control(value: str) -> Callable[[FastAPI], Any]:
    """Wrap a subgraph app so every response carries ``Cache-Control: value``."""

    def wrap(app: FastAPI) -> Any:
        async def wrapped(scope: Any, receive: Any, send: Any) -> None:
            async def sending(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    headers = [*message.get("headers", []), (b"cache-control", value.encode())]
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, sending)

        return wrapped

    return wrap


async def sent_after_two_runs(
    router: Replica, user: str, identity: Identity | None = None
) -> list[str]:
    router.recording.sent.clear()
    await router.run(USER_TASKS, {"id": user}, identity=identity)
    await router.run(USER_TASKS, {"id": user}, identity=identity)
    return [name for name, _ in router.recording.sent]


async def test_no_store_from_a_subgraph_stores_nothing(stack: Stack, cache: CacheUnderTest) -> None:
    router = await stack.replica(cache.backend, wrap=with_cache_control("no-store"))
    [user, _] = await seed(router)

    assert await sent_after_two_runs(router, user) == ["users", "tasks", "users", "tasks"]


async def test_a_subgraph_max_age_shortens_the_ttl(stack: Stack, cache: CacheUnderTest) -> None:
    router = await stack.replica(cache.backend, wrap=with_cache_control("public, max-age=1"))
    [user, _] = await seed(router)
    assert await sent_after_two_runs(router, user) == ["users", "tasks"]

    await asyncio.sleep(1.3)

    assert await sent_after_two_runs(router, user) == ["users", "tasks"]


async def test_private_data_is_cached_only_per_identity(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend, wrap=with_cache_control("private, max-age=60"))
    [user, _] = await seed(router)

    anonymous = await sent_after_two_runs(router, user)
    ann = await sent_after_two_runs(router, user, identity=Identity("ann"))
    ann_again = await sent_after_two_runs(router, user, identity=Identity("ann"))
    ann_as_admin = await sent_after_two_runs(router, user, identity=Identity("ann", ADMIN))
    bob = await sent_after_two_runs(router, user, identity=Identity("bob"))

    assert anonymous == ["users", "tasks", "users", "tasks"]
    assert ann == ["users", "tasks"]
    assert ann_again == []
    assert ann_as_admin == ["users", "tasks"]
    assert bob == ["users", "tasks"]


async def test_concurrent_misses_of_one_key_make_one_subgraph_call(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend)
    [user, _] = await seed(router)
    router.recording.sent.clear()

    answers = await asyncio.gather(*(router.run(USER_TASKS, {"id": user}) for _ in range(8)))

    assert all(a == answers[0] for a in answers)
    assert [name for name, _ in router.recording.sent] == ["users", "tasks"]


# -- invalidation: after each mutation, the next query sees the change ----------------------


async def test_creating_a_task_refreshes_the_users_tasks_and_the_task_list(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend)
    [user, _] = await seed(router)
    before = await router.run(USER_TASKS, {"id": user})
    await router.run(TASKS)

    await router.mutate(
        "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
        {"i": {"title": "Fresh", "assigneeId": user}},
    )

    after = await router.run(USER_TASKS, {"id": user})
    assert after["user"]["taskCount"] == before["user"]["taskCount"] + 1
    assert "Fresh" in [e["node"]["title"] for e in after["user"]["tasks"]["edges"]]
    assert "Fresh" in [e["node"]["title"] for e in (await router.run(TASKS))["tasks"]["edges"]]


async def test_updating_and_deleting_a_task_refresh_every_view_of_it(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend)
    [user, other] = await seed(router)
    tasks = (await router.run(TASKS))["tasks"]["edges"]
    task = next(e["node"] for e in tasks if e["node"]["title"] == "Task 0.0")
    await router.run(USER_TASKS, {"id": user})
    await router.run(USER_TASKS, {"id": other})

    await router.mutate(
        "mutation($id: ID!, $i: UpdateTaskInput!) { updateTask(id: $id, input: $i) { id } }",
        {"id": task["id"], "i": {"title": "Renamed", "assigneeId": other}},
    )
    moved_from = await router.run(USER_TASKS, {"id": user})
    moved_to = await router.run(USER_TASKS, {"id": other})
    assert moved_from["user"]["taskCount"] == 1
    assert "Renamed" in [e["node"]["title"] for e in moved_to["user"]["tasks"]["edges"]]

    await router.mutate("mutation($id: ID!) { deleteTask(id: $id) }", {"id": task["id"]})
    assert (await router.run(USER_TASKS, {"id": other}))["user"]["taskCount"] == 2
    titles = [e["node"]["title"] for e in (await router.run(TASKS))["tasks"]["edges"]]
    assert "Renamed" not in titles


async def test_updating_and_deleting_a_user_refresh_every_view_of_it(
    stack: Stack, cache: CacheUnderTest
) -> None:
    router = await stack.replica(cache.backend)
    [user, _] = await seed(router)
    await router.run(USER_TASKS, {"id": user})
    await router.run(USERS)

    await router.mutate(
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
        {"id": user, "i": {"name": "Renamed"}},
    )
    assert (await router.run(USER_TASKS, {"id": user}))["user"]["name"] == "Renamed"
    names = [e["node"]["name"] for e in (await router.run(USERS))["users"]["edges"]]
    assert "Renamed" in names

    await router.mutate("mutation($id: ID!) { deleteUser(id: $id) }", {"id": user})
    assert (await router.run(USER_TASKS, {"id": user}))["user"] is None
    names = [e["node"]["name"] for e in (await router.run(USERS))["users"]["edges"]]
    assert "Renamed" not in names


async def test_a_renamed_or_deleted_user_is_fresh_where_it_is_embedded(
    stack: Stack, cache: CacheUnderTest
) -> None:
    # Task.assignee { name } is cached as a Task entry of the users subgraph, which holds
    # no user id: the entry is tagged as embedding Users.
    router = await stack.replica(cache.backend)
    [user, _] = await seed(router)
    query = "{ tasks(first: 10) { edges { node { title assignee { name } } } } }"

    def assignees(data: dict[str, Any]) -> set[Any]:
        return {
            (e["node"]["assignee"] or {}).get("name")
            for e in data["tasks"]["edges"]
            if e["node"]["title"].startswith("Task 0.")
        }

    assert assignees(await router.run(query)) == {"User 0"}
    await router.mutate(
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
        {"id": user, "i": {"name": "Renamed"}},
    )
    assert assignees(await router.run(query)) == {"Renamed"}

    await router.mutate("mutation($id: ID!) { deleteUser(id: $id) }", {"id": user})
    assert assignees(await router.run(query)) == {None}
