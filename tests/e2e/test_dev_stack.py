"""``fedtasks dev`` as a newcomer runs it: subgraphs, router and demo data, over real HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import environment, free_port, running, wait_until_up


def _graphql(
    url: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        url, json={"query": query, "variables": variables}, headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _data(
    url: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    body = _graphql(url, query, variables, token)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_dev_serves_the_federated_graph_with_demo_data(tmp_path: Path) -> None:
    ports = [free_port() for _ in range(3)]
    args = ["dev", "--port", str(ports[0]), "--users-port", str(ports[1])]
    args += ["--tasks-port", str(ports[2])]
    router = f"http://127.0.0.1:{ports[0]}/graphql"
    with running(args, cwd=tmp_path, env=environment()) as process:
        wait_until_up(f"http://127.0.0.1:{ports[0]}/ready", process, timeout=90)

        # Demo data was seeded on the first run; one query joins tasks and users.
        joined = _data(
            router,
            "{ tasks(first: 5) { totalCount edges { node { title assignee { name } } } } }",
        )["tasks"]
        assert joined["totalCount"] == 200
        assert any(edge["node"]["assignee"] for edge in joined["edges"])

        # Newcomers sign up; demo users sign in with the README's demo password (emails
        # are for signed-in callers: the newcomer reads one).
        signed_up = _data(
            router,
            'mutation { signUp(input: {name: "Grace", email: "grace@example.com", '
            'password: "hopper-1906"}) { token user { id } } }',
        )["signUp"]
        user, token = signed_up["user"], signed_up["token"]
        email = _data(router, "{ users(first: 1) { edges { node { email } } } }", token=token)
        joined_email = email["users"]["edges"][0]["node"]["email"]
        demo = _data(
            router,
            'mutation($e: String!) { login(email: $e, password: "fedtasks-demo") { token } }',
            {"e": joined_email},
        )["login"]
        assert _data(router, "{ me { email } }", token=demo["token"])["me"]["email"] == joined_email
        create = (
            'mutation($a: ID!) { createTask(input: {title: "Ship", assigneeId: $a}) '
            "{ id title assignee { id name } } }"
        )
        anonymous = _graphql(router, create, {"a": user["id"]})
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        task = _data(router, create, {"a": user["id"]}, token)["createTask"]
        assert task["assignee"] == {"id": user["id"], "name": "Grace"}
        counted = _data(
            router,
            "query($id: ID!) { user(id: $id) { name taskCount "
            "tasks { edges { node { title } } } } }",
            {"id": user["id"]},
        )["user"]
        assert counted == {
            "name": "Grace",
            "taskCount": 1,
            "tasks": {"edges": [{"node": {"title": "Ship"}}]},
        }

        # A deleted assignee resolves to null through federation, whatever is asked of it:
        # the users subgraph resolves Task.assignee, even for its id alone.
        _data(router, "mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]}, token)
        orphan = _data(
            router,
            "query($id: ID!) { task(id: $id) { title assignee { name } } "
            "same: task(id: $id) { assignee { id } } }",
            {"id": task["id"]},
        )
        assert orphan == {"task": {"title": "Ship", "assignee": None}, "same": {"assignee": None}}

        # GraphiQL is served to a browser by the router.
        page = httpx.get(router, headers={"Accept": "text/html"}, timeout=10)
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()
    assert process.returncode == 0
    assert (tmp_path / "data" / "supergraph.graphql").exists()
    assert (tmp_path / "data" / ".seeded").exists()
