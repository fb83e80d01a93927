"""``fedtasks plan`` and ``fedtasks router`` as processes: output, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.processes import environment, run

REPO = Path(__file__).resolve().parents[2]
SUPERGRAPH = str(REPO / "schema/supergraph.graphql")


def test_plan_prints_apollos_plan_nodes(tmp_path: Path) -> None:
    query = tmp_path / "op.graphql"
    query.write_text("{ tasks(first: 2) { edges { node { title assignee { name } } } } }")
    result = run(
        ["plan", "--supergraph", SUPERGRAPH, "--query", str(query)], cwd=tmp_path, env=environment()
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["node"]["kind"] == "Sequence"
    fetch, flatten = plan["node"]["nodes"]
    # The tasks subgraph gives each task's key and stored assignee id; the users subgraph
    # resolves Task.assignee from them (@requires), in one _entities call for every task.
    assert fetch == {
        "kind": "Fetch",
        "serviceName": "tasks",
        "variableUsages": [],
        "operation": "query{tasks(first:2){edges{node{title __typename id assigneeId}}}}",
        "operationKind": "query",
    }
    assert flatten["path"] == ["tasks", "edges", "@", "node"]
    assert flatten["node"]["serviceName"] == "users"
    assert flatten["node"]["operation"] == (
        "query($representations:[_Any!]!){_entities(representations:$representations)"
        "{...on Task{assignee{name}}}}"
    )
    [requires] = flatten["node"]["requires"]
    assert requires["typeCondition"] == "Task"
    assert [field["name"] for field in requires["selections"]] == [
        "__typename",
        "id",
        "assigneeId",
    ]


def test_plan_reports_an_invalid_operation_with_its_code(tmp_path: Path) -> None:
    query = tmp_path / "op.graphql"
    query.write_text("{ nope }")
    result = run(
        ["plan", "--supergraph", SUPERGRAPH, "--query", str(query)], cwd=tmp_path, env=environment()
    )
    assert result.returncode == 1
    assert "GRAPHQL_VALIDATION_FAILED: Cannot query field 'nope' on type 'Query'." in result.stderr


def test_router_refuses_a_missing_or_unusable_supergraph(tmp_path: Path) -> None:
    missing = run(["router", "--supergraph", "nope.graphql"], cwd=tmp_path, env=environment())
    assert missing.returncode == 2
    assert "cannot read the supergraph nope.graphql" in missing.stderr
    bad = tmp_path / "bad.graphql"
    bad.write_text(
        (
            REPO / "tests/router/composition/fixtures/authorization-directives/supergraph.graphql"
        ).read_text()
    )
    refused = run(["router", "--supergraph", str(bad)], cwd=tmp_path, env=environment())
    assert refused.returncode == 2
    assert "links https://specs.apollo.dev/authenticated/v0.1 for SECURITY" in refused.stderr
