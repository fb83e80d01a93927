"""The default limits let the project's own operations run and refuse the abusive shapes.

The operations are the README's GraphQL examples and the benchmark's queries, as written
there, and nested lists of the default page size (20), which frontends send; each is held
to the limits ``fedtasks router`` applies in production (router/server/safety_config.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, print_ast
from router_latency import QUERIES
from workloads import CREATE, FIRST_USER, LOOKUP, SEEDED_TASKS

from router.operation.prepare import OperationError, prepare
from router.server.safety_config import DEFAULT_MAX_COST, SafetyConfig
from router.supergraph.reader import read_supergraph

REPO = Path(__file__).resolve().parents[2]
SCHEMA = read_supergraph((REPO / "schema/supergraph.graphql").read_text()).api_schema
LIMITS = SafetyConfig.from_env({}, dev_mode=False).limits


def readme_operations() -> list[str]:
    """Each operation of the README's ``graphql`` blocks, printed on its own."""
    blocks = re.findall(r"```graphql\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL)
    operations: list[str] = []
    for block in blocks:
        text = "\n".join(line.split("  #")[0] for line in block.splitlines())
        operations += [
            print_ast(d) for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)
        ]
    return operations


def cost(query: str, variables: dict[str, object]) -> int | None:
    """The operation's cost if the default limits refuse it, else None."""
    try:
        prepared = prepare(SCHEMA, query, None, LIMITS)
    except OperationError as refusal:
        [error] = refusal.errors
        assert error["extensions"]["code"] == "MAX_COST_EXCEEDED", error
        return int(re.findall(r"\d+", error["message"])[0])
    over = prepared.cost.refusal(variables)
    return None if over is None else int(re.findall(r"\d+", over.error["message"])[0])


NESTED_20 = (
    "{ users { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name"
    " email tasks { totalCount edges { node { id title status assignee { id name tasks {"
    " totalCount edges { node { id title status } } } } } } } } } } }"
)
FOUR_NESTED_20 = (
    "{ users { edges { node { tasks { edges { node { assignee { tasks { edges { node {"
    " assignee { tasks { edges { node { title } } } } } } } } } } } } } } }"
)
THREE_NESTED_100 = (
    "{ users(first: 100) { edges { node { tasks(first: 100) { edges { node { assignee {"
    " tasks(first: 100) { edges { node { title } } } } } } } } } } }"
)


def test_the_readme_examples_run() -> None:
    operations = readme_operations()
    assert len(operations) >= 5
    for operation in operations:
        assert cost(operation, {}) is None, operation


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        *((query, {}) for query in QUERIES.values()),
        (LOOKUP, {"id": "1"}),
        (FIRST_USER, {}),
        (SEEDED_TASKS, {"first": 100}),
        (CREATE, {"input": {"title": "t"}}),
    ],
)
def test_the_benchmark_queries_run(query: str, variables: dict[str, object]) -> None:
    assert cost(query, variables) is None


def test_three_nested_lists_of_the_default_size_run() -> None:
    assert cost(NESTED_20, {}) is None
    # Its cost is the 44,165 the limit's documentation gives: a limit just under refuses it.
    refused_at = SafetyConfig.from_env({"FEDTASKS_MAX_COST": "44164"}, dev_mode=False).limits
    with pytest.raises(OperationError, match="Operation cost: 44165"):
        prepare(SCHEMA, NESTED_20, None, refused_at)


@pytest.mark.parametrize(
    ("query", "expected"),
    [(FOUR_NESTED_20, 513_661), (THREE_NESTED_100, 3_040_301)],
    ids=["four-nested-lists-of-20", "three-nested-lists-of-100"],
)
def test_abusive_shapes_are_refused(query: str, expected: int) -> None:
    assert expected > DEFAULT_MAX_COST
    assert cost(query, {}) == expected
