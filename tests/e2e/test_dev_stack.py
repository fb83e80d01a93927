"""``fedtasks dev``: both subgraphs as real HTTP servers on embedded defaults.

Until the router exists, the test plays the router's part for one federated read: the
tasks subgraph hands out the assignee's id, the users subgraph resolves it, and a
deleted user resolves to null.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import environment, free_port, running, wait_until_up

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }
"""


def _data(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(url, json={"query": query, "variables": variables}, timeout=10)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_dev_runs_both_subgraphs_and_a_deleted_assignee_resolves_to_null(tmp_path: Path) -> None:
    users_port, tasks_port = free_port(), free_port()
    args = ["dev", "--users-port", str(users_port), "--tasks-port", str(tasks_port)]
    users = f"http://127.0.0.1:{users_port}"
    tasks = f"http://127.0.0.1:{tasks_port}"
    with running(args, cwd=tmp_path, env=environment()) as process:
        wait_until_up(f"{users}/ready", process)
        wait_until_up(f"{tasks}/ready", process)

        user = _data(
            f"{users}/graphql",
            'mutation { createUser(input: {name: "Grace", email: "grace@example.com"}) { id } }',
        )["createUser"]
        task = _data(
            f"{tasks}/graphql",
            'mutation($a: ID!) { createTask(input: {title: "Ship", assigneeId: $a}) '
            "{ id assignee { id } } }",
            {"a": user["id"]},
        )["createTask"]
        reference = {"__typename": "User", **task["assignee"]}
        found = _data(f"{users}/graphql", ENTITIES, {"r": [reference]})
        assert found["_entities"] == [{"id": user["id"], "name": "Grace"}]

        _data(f"{users}/graphql", "mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]})
        still_assigned = _data(
            f"{tasks}/graphql",
            "query($id: ID!) { task(id: $id) { assignee { id } } }",
            {"id": task["id"]},
        )
        assert still_assigned["task"]["assignee"] == {"id": user["id"]}
        gone = _data(f"{users}/graphql", ENTITIES, {"r": [reference]})
        assert gone["_entities"] == [None]
    assert process.returncode == 0
    assert (tmp_path / "data" / "users.db").exists()
    assert (tmp_path / "data" / "tasks.db").exists()
