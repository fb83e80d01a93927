"""Helpers the tasks subgraph tests share: creating tasks and paging through lists."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from tests.support.graphql import GraphQLClient

TASK_FIELDS = """
    id title description status priority dueDate createdAt updatedAt assigneeId
"""

TASK_QUERY = f"query($id: ID!) {{ task(id: $id) {{ {TASK_FIELDS} }} }}"

CREATE_TASK = f"""
mutation($input: CreateTaskInput!) {{ createTask(input: $input) {{ {TASK_FIELDS} }} }}
"""

UPDATE_TASK = f"""
mutation($id: ID!, $input: UpdateTaskInput!) {{
  updateTask(id: $id, input: $input) {{ {TASK_FIELDS} }}
}}
"""

DELETE_TASK = "mutation($id: ID!) { deleteTask(id: $id) }"

TASK_PAGE = """
query($filter: TaskFilter, $first: Int, $after: String, $orderBy: TaskOrder) {
  tasks(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""


async def create_task(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """Create one task from camelCase input fields; return all its fields."""
    data = await client.data(CREATE_TASK, {"input": fields})
    task: dict[str, Any] = data["createTask"]
    return task


async def create_tasks(client: GraphQLClient, *inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Create tasks in the order given, in one request (mutation fields run one by one)."""
    declarations = ", ".join(f"$input{i}: CreateTaskInput!" for i in range(len(inputs)))
    fields = " ".join(
        f"task{i}: createTask(input: $input{i}) {{ {TASK_FIELDS} }}" for i in range(len(inputs))
    )
    variables = {f"input{i}": value for i, value in enumerate(inputs)}
    data = await client.data(f"mutation({declarations}) {{ {fields} }}", variables)
    return [data[f"task{i}"] for i in range(len(inputs))]


async def update_task(client: GraphQLClient, task_id: str, **changes: Any) -> dict[str, Any]:
    """Apply camelCase changes to a task; return all its fields."""
    data = await client.data(UPDATE_TASK, {"id": task_id, "input": changes})
    task: dict[str, Any] = data["updateTask"]
    return task


async def get_task(client: GraphQLClient, task_id: str) -> dict[str, Any] | None:
    """The task with this id, or None."""
    task: dict[str, Any] | None = (await client.data(TASK_QUERY, {"id": task_id}))["task"]
    return task


async def list_tasks(client: GraphQLClient, **arguments: Any) -> dict[str, Any]:
    """One page of ``Query.tasks`` (arguments: filter, first, after, orderBy)."""
    connection: dict[str, Any] = (await client.data(TASK_PAGE, arguments))["tasks"]
    return connection


async def titles(client: GraphQLClient, **arguments: Any) -> list[str]:
    """The titles on one page of ``Query.tasks``."""
    page = await list_tasks(client, **arguments)
    return [edge["node"]["title"] for edge in page["edges"]]


async def page_through(client: GraphQLClient, *, first: int = 2, **arguments: Any) -> list[str]:
    """Every title of a list, following ``endCursor`` a page of ``first`` at a time."""
    seen: list[str] = []
    after = None
    for _ in range(100):
        page = await list_tasks(client, first=first, after=after, **arguments)
        seen += [edge["node"]["title"] for edge in page["edges"]]
        info = page["pageInfo"]
        if not info["hasNextPage"]:
            return seen
        assert len(page["edges"]) == first
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        after = info["endCursor"]
    raise AssertionError(f"paging never ended; seen so far: {seen}")


def forged_cursor(*values: object) -> str:
    """A cursor in the API's format, with values it never issued."""
    return base64.urlsafe_b64encode(orjson.dumps(list(values))).decode()
