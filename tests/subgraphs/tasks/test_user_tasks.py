"""Federation: the SDL the router composes, Task entities, and the tasks on a User."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from tests.subgraphs.tasks.conftest import TESTER
from tests.subgraphs.tasks.support import create_tasks, update_task
from tests.support.auth import as_user
from tests.support.graphql import GraphQLClient

PUBLISHED_SDL = Path(__file__).parents[3] / "schema" / "tasks.graphql"

USER_TASKS = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      id
      tasks(first: 2) {
        edges { node { title } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
      taskCount
      doneCount: taskCount(status: DONE)
    }
  }
}
"""

USER_TASKS_PAGE = """
query($representations: [_Any!]!, $status: TaskStatus, $first: Int, $after: String) {
  _entities(representations: $representations) {
    ... on User {
      id
      tasks(status: $status, first: $first, after: $after) {
        edges { node { title status } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }
  }
}
"""

TASK_ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Task { id title assigneeId } }
}
"""

TASK_TYPE = 'type Task @cacheControl(maxAge: 60) @key(fields: "id")'
USER_TYPE = 'type User @cacheControl(maxAge: 60) @key(fields: "id")'


def users(*ids: str) -> list[dict[str, str]]:
    """User representations, as the router sends them."""
    return [{"__typename": "User", "id": user_id} for user_id in ids]


async def seed(tasks: GraphQLClient) -> dict[str, dict[str, Any]]:
    """u1: three tasks (one done), u2: one done task, u3: nothing, plus an unassigned task."""
    created = await create_tasks(
        tasks,
        {"title": "u1 oldest", "assigneeId": "u1", "status": "DONE"},
        {"title": "u2 only", "assigneeId": "u2", "status": "DONE"},
        {"title": "u1 middle", "assigneeId": "u1"},
        {"title": "nobody's", "status": "DONE"},
        {"title": "u1 newest", "assigneeId": "u1", "status": "IN_PROGRESS"},
    )
    return {task["title"]: task for task in created}


async def test_service_sdl_declares_the_federation_contract(tasks: GraphQLClient) -> None:
    sdl = (await tasks.data("{ _service { sdl } }"))["_service"]["sdl"]

    assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in sdl
    assert TASK_TYPE in sdl
    assert USER_TYPE in sdl
    assert "type PageInfo @cacheControl(inheritMaxAge: true) @shareable" in sdl
    user_type = sdl.split(USER_TYPE, 1)[1].split("}", 1)[0]
    assert "tasks(" in user_type
    assert "taskCount(" in user_type


async def test_tasks_keep_the_assignee_id_for_the_users_subgraph_to_resolve(
    tasks: GraphQLClient,
) -> None:
    sdl = (await tasks.data("{ _service { sdl } }"))["_service"]["sdl"]

    task_type = sdl.split(TASK_TYPE, 1)[1].split("}", 1)[0]
    # The stored id, hidden from clients; the users subgraph owns Task.assignee.
    assert "assigneeId: ID @inaccessible" in task_type
    assert "assignee:" not in task_type


async def test_service_sdl_is_the_published_schema(tasks: GraphQLClient) -> None:
    sdl = (await tasks.data("{ _service { sdl } }"))["_service"]["sdl"]

    assert sdl.strip() == PUBLISHED_SDL.read_text(encoding="utf-8").strip()


async def test_task_entities_come_back_in_order_and_null_when_unknown(
    tasks: GraphQLClient,
) -> None:
    by_title = await seed(tasks)
    newest, oldest = by_title["u1 newest"], by_title["u1 oldest"]

    data = await tasks.data(
        TASK_ENTITIES,
        {
            "representations": [
                {"__typename": "Task", "id": newest["id"]},
                {"__typename": "Task", "id": "00000000-0000-0000-0000-000000000000"},
                {"__typename": "Task", "id": oldest["id"]},
                {"__typename": "Task", "id": by_title["nobody's"]["id"]},
            ]
        },
    )

    assert data["_entities"] == [
        {"id": newest["id"], "title": "u1 newest", "assigneeId": "u1"},
        None,
        {"id": oldest["id"], "title": "u1 oldest", "assigneeId": "u1"},
        {"id": by_title["nobody's"]["id"], "title": "nobody's", "assigneeId": None},
    ]


async def test_user_entities_get_their_tasks_newest_first_with_counts(
    tasks: GraphQLClient,
) -> None:
    await seed(tasks)

    data = await tasks.data(USER_TASKS, {"representations": users("u1", "u2", "u3")})

    u1, u2, u3 = data["_entities"]
    assert u1["id"] == "u1"
    assert [edge["node"]["title"] for edge in u1["tasks"]["edges"]] == ["u1 newest", "u1 middle"]
    assert u1["tasks"]["pageInfo"]["hasNextPage"] is True
    assert u1["tasks"]["pageInfo"]["endCursor"]
    assert u1["tasks"]["totalCount"] == 3
    assert (u1["taskCount"], u1["doneCount"]) == (3, 1)

    assert u2 == {
        "id": "u2",
        "tasks": {
            "edges": [{"node": {"title": "u2 only"}}],
            "pageInfo": {"hasNextPage": False, "endCursor": u2["tasks"]["pageInfo"]["endCursor"]},
            "totalCount": 1,
        },
        "taskCount": 1,
        "doneCount": 1,
    }
    assert u2["tasks"]["pageInfo"]["endCursor"]

    assert u3 == {
        "id": "u3",
        "tasks": {
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
            "totalCount": 0,
        },
        "taskCount": 0,
        "doneCount": 0,
    }


async def test_paging_through_a_users_tasks_with_after(tasks: GraphQLClient) -> None:
    await seed(tasks)
    representations = users("u1")

    first = (await tasks.data(USER_TASKS_PAGE, {"representations": representations, "first": 2}))[
        "_entities"
    ][0]["tasks"]
    assert [edge["node"]["title"] for edge in first["edges"]] == ["u1 newest", "u1 middle"]

    second = (
        await tasks.data(
            USER_TASKS_PAGE,
            {
                "representations": representations,
                "first": 2,
                "after": first["pageInfo"]["endCursor"],
            },
        )
    )["_entities"][0]["tasks"]
    assert [edge["node"]["title"] for edge in second["edges"]] == ["u1 oldest"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["totalCount"] == 3


async def test_same_after_cursor_for_several_users_pages_each_of_them(
    tasks: GraphQLClient,
) -> None:
    await seed(tasks)
    # A cursor is a position in time: after it, each user gets their own older tasks.
    cursor = (await tasks.data(USER_TASKS_PAGE, {"representations": users("u1"), "first": 1}))[
        "_entities"
    ][0]["tasks"]["pageInfo"]["endCursor"]

    data = await tasks.data(
        USER_TASKS_PAGE, {"representations": users("u1", "u2"), "first": 5, "after": cursor}
    )

    pages = {user["id"]: user["tasks"]["edges"] for user in data["_entities"]}
    assert [edge["node"]["title"] for edge in pages["u1"]] == ["u1 middle", "u1 oldest"]
    assert [edge["node"]["title"] for edge in pages["u2"]] == ["u2 only"]


async def test_a_users_tasks_filtered_by_status(tasks: GraphQLClient) -> None:
    await seed(tasks)

    data = await tasks.data(
        USER_TASKS_PAGE, {"representations": users("u1", "u2", "u3"), "status": "DONE"}
    )

    done = {
        user["id"]: ([edge["node"] for edge in user["tasks"]["edges"]], user["tasks"]["totalCount"])
        for user in data["_entities"]
    }
    assert done == {
        "u1": ([{"title": "u1 oldest", "status": "DONE"}], 1),
        "u2": ([{"title": "u2 only", "status": "DONE"}], 1),
        "u3": ([], 0),
    }

    todo = await tasks.data(USER_TASKS_PAGE, {"representations": users("u1"), "status": "TODO"})
    assert [edge["node"]["title"] for edge in todo["_entities"][0]["tasks"]["edges"]] == [
        "u1 middle"
    ]


async def test_a_users_tasks_follow_reassignment_and_status_changes(tasks: GraphQLClient) -> None:
    by_title = await seed(tasks)
    await update_task(tasks, by_title["u1 middle"]["id"], assigneeId="u3", status="DONE")

    data = await tasks.data(USER_TASKS, {"representations": users("u1", "u3")})

    u1, u3 = data["_entities"]
    assert [edge["node"]["title"] for edge in u1["tasks"]["edges"]] == ["u1 newest", "u1 oldest"]
    assert (u1["taskCount"], u1["doneCount"]) == (2, 1)
    assert [edge["node"]["title"] for edge in u3["tasks"]["edges"]] == ["u1 middle"]
    assert (u3["taskCount"], u3["doneCount"]) == (1, 1)


async def test_a_user_asked_for_twice_gets_the_same_answer(tasks: GraphQLClient) -> None:
    await seed(tasks)

    data = await tasks.data(USER_TASKS, {"representations": users("u1", "u2", "u1")})

    assert data["_entities"][0] == data["_entities"][2]
    assert data["_entities"][0]["id"] == "u1"


async def test_user_tasks_cost_the_same_statements_for_one_user_or_many(
    tasks_app: tuple[FastAPI, GraphQLClient],
) -> None:
    app, anonymous = tasks_app
    tasks = anonymous.acting_as(as_user(TESTER))
    await seed(tasks)

    async def statements_for(*ids: str) -> int:
        before = app.state.metrics.statements
        await tasks.data(USER_TASKS, {"representations": users(*ids)})
        return int(app.state.metrics.statements - before)

    one = await statements_for("u1")
    many = await statements_for("u1", "u2", "u3", "u4", "u5", "u6")

    assert one == many
    # One page query, one count for taskCount/totalCount, one for taskCount(status: DONE).
    assert many <= 3


async def test_a_users_tasks_refuse_a_bad_page_size_or_cursor(tasks: GraphQLClient) -> None:
    await seed(tasks)
    priority_cursor = (
        await tasks.data("{ tasks(first: 1, orderBy: PRIORITY_DESC) { edges { cursor } } }")
    )["tasks"]["edges"][0]["cursor"]

    for arguments in (
        {"first": 101},
        {"first": -1},
        {"after": "garbage"},
        {"after": priority_cursor},
    ):
        error = await tasks.error(USER_TASKS_PAGE, {"representations": users("u1"), **arguments})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (arguments, error)
        assert error["path"] == ["_entities", 0, "tasks"]
        assert next(iter(arguments)) in error["message"]


async def test_a_malformed_representation_fails_alone(tasks: GraphQLClient) -> None:
    by_title = await seed(tasks)

    body = await tasks.execute(
        TASK_ENTITIES,
        {
            "representations": [
                {"__typename": "Task", "id": by_title["u2 only"]["id"]},
                {"__typename": "Project", "id": "p1"},
                {"__typename": "Task", "key": "no id"},
            ]
        },
    )

    assert body["data"]["_entities"][0]["title"] == "u2 only"
    assert body["data"]["_entities"][1:] == [None, None]
    assert sorted(error["path"][1] for error in body["errors"]) == [1, 2]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}
