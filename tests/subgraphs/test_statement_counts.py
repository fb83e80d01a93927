"""No N+1: entity lookups and per-user relations cost a constant number of statements.

The count comes from each subgraph's own statement counter, the one /metrics exposes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from subgraphs.common.metrics import ServiceMetrics
from subgraphs.tasks.models import TaskRow
from subgraphs.users.models import UserRow
from tests.support.auth import as_user
from tests.support.graphql import GraphQLClient
from tests.support.rows import insert_rows

USER_TASKS = """
query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on User { id tasks { edges { node { title } } } taskCount }
  }
}
"""
USER_FIELDS = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name email } } }
"""
TASK_FIELDS = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Task { id title assigneeId } }
}
"""
TASK_ASSIGNEES = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Task { id assignee { id name email } } }
}
"""


def reader(client: GraphQLClient) -> GraphQLClient:
    """``client`` signed in: emails are for signed-in callers (no statement for that)."""
    return client.acting_as(as_user("a-reader"))


def _statements(app: FastAPI) -> int:
    metrics: ServiceMetrics = app.state.metrics
    return metrics.statements


async def _count(
    app: FastAPI, client: GraphQLClient, query: str, reps: list[dict[str, str]]
) -> int:
    before = _statements(app)
    data = await client.data(query, {"r": reps})
    assert len(data["_entities"]) == len(reps)
    return _statements(app) - before


def _task_rows(assignees: int, per_assignee: int) -> list[dict[str, object]]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        {
            "id": f"t-{user}-{index}",
            "title": f"task {index} of user {user}",
            "status": "DONE" if index % 3 == 0 else "TODO",
            "priority": 2,
            "assignee_id": f"u{user}",
            "created_at": start + timedelta(minutes=index),
            "updated_at": start + timedelta(minutes=index),
        }
        for user in range(assignees)
        for index in range(per_assignee)
    ]


async def test_user_tasks_for_1_and_500_users_cost_the_same(
    tasks_app: tuple[FastAPI, GraphQLClient], tasks_url: str
) -> None:
    app, client = tasks_app
    await insert_rows(tasks_url, TaskRow, _task_rows(assignees=500, per_assignee=3))
    one = await _count(app, client, USER_TASKS, [{"__typename": "User", "id": "u0"}])
    many = await _count(
        app, client, USER_TASKS, [{"__typename": "User", "id": f"u{i}"} for i in range(500)]
    )
    # One statement pages every user's tasks (a window function), one counts them.
    assert one == many == 2


async def test_each_users_page_is_cut_in_the_same_statement(
    tasks_app: tuple[FastAPI, GraphQLClient], tasks_url: str
) -> None:
    app, client = tasks_app
    await insert_rows(tasks_url, TaskRow, _task_rows(assignees=3, per_assignee=30))
    query = """
    query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
      tasks(first: 5) { edges { node { title } } pageInfo { hasNextPage } totalCount }
      done: tasks(status: DONE, first: 100) { totalCount edges { node { id } } }
    } } }
    """
    before = _statements(app)
    reps = [{"__typename": "User", "id": f"u{i}"} for i in range(3)]
    data = await client.data(query, {"r": reps})
    # Two distinct argument sets page in two statements; two counts (all, DONE).
    assert _statements(app) - before == 4
    for user in data["_entities"]:
        assert len(user["tasks"]["edges"]) == 5
        assert user["tasks"]["pageInfo"]["hasNextPage"] is True
        assert user["tasks"]["totalCount"] == 30
        assert user["done"]["totalCount"] == len(user["done"]["edges"]) == 10


async def test_task_entities_and_their_assignee_ids_cost_one_statement(
    tasks_app: tuple[FastAPI, GraphQLClient], tasks_url: str
) -> None:
    app, client = tasks_app
    rows = _task_rows(assignees=100, per_assignee=5)
    await insert_rows(tasks_url, TaskRow, rows)
    one = await _count(app, client, TASK_FIELDS, [{"__typename": "Task", "id": "t-0-0"}])
    reps = [{"__typename": "Task", "id": str(row["id"])} for row in rows]
    many = await _count(app, client, TASK_FIELDS, reps)
    assert one == many == 1


def _user_rows(count: int) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            "id": f"u{i}",
            "name": f"User {i}",
            "email": f"user{i}@example.com",
            "role": "MEMBER",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]


async def test_user_entities_for_1_and_500_users_cost_one_statement(
    users_app: tuple[FastAPI, GraphQLClient], users_url: str
) -> None:
    app, client = users_app[0], reader(users_app[1])
    await insert_rows(users_url, UserRow, _user_rows(500))
    one = await _count(app, client, USER_FIELDS, [{"__typename": "User", "id": "u0"}])
    reps = [{"__typename": "User", "id": f"u{i}"} for i in range(500)]
    many = await _count(app, client, USER_FIELDS, reps)
    assert one == many == 1


async def test_task_assignees_for_1_and_500_tasks_cost_one_statement(
    users_app: tuple[FastAPI, GraphQLClient], users_url: str
) -> None:
    app, client = users_app[0], reader(users_app[1])
    await insert_rows(users_url, UserRow, _user_rows(300))
    one = await _count(
        app, client, TASK_ASSIGNEES, [{"__typename": "Task", "id": "t0", "assigneeId": "u0"}]
    )
    # 500 tasks: 300 assigned to existing users, 150 to unknown ids, 50 to nobody (no
    # lookup needed); every assignee is looked up in the same statement.
    reps = [
        {
            "__typename": "Task",
            "id": f"t{i}",
            "assigneeId": f"u{i}" if i < 300 else f"gone-{i}" if i < 450 else None,
        }
        for i in range(500)
    ]
    before = _statements(app)
    data = await client.data(TASK_ASSIGNEES, {"r": reps})
    many = _statements(app) - before
    assert one == many == 1
    assignees = [task["assignee"] for task in data["_entities"]]
    assert [a["id"] for a in assignees[:300]] == [f"u{i}" for i in range(300)]
    assert assignees[300:] == [None] * 200


async def test_metrics_endpoint_exposes_the_statement_counter(
    users_app: tuple[FastAPI, GraphQLClient],
) -> None:
    app, client = users_app[0], reader(users_app[1])
    await client.data("{ users { totalCount } }")
    response = await client.http.get("/metrics")
    assert response.status_code == 200
    line = next(
        line
        for line in response.text.splitlines()
        if line.startswith('fedtasks_db_statements_total{service="users"}')
    )
    assert float(line.split()[-1]) == _statements(app) >= 2
    assert 'fedtasks_http_requests_total{method="POST",path="/graphql"' in response.text
    assert "fedtasks_http_request_duration_seconds_bucket" in response.text
