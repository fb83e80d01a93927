"""The list-size-aware cost model (router/operation/limits_cost.py) on the fedtasks schema."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, get_introspection_query, parse, validate

from router.operation.limits_cost import compile_cost, evaluate
from tests.router.limits.schema import API_SCHEMA, prepared


def cost(query: str, variables: dict[str, Any] | None = None, default_list_size: int = 20) -> int:
    operation = prepared(query)
    expr = compile_cost(
        API_SCHEMA,
        operation.operation,
        operation.fragments,
        default_list_size=default_list_size,
    )
    return evaluate(expr, variables or {})


def test_the_documented_example() -> None:
    # users (1) + totalCount (1) + 10 x (edges + node + name).
    assert cost("{ users(first: 10) { totalCount edges { node { name } } } }") == 32


def test_a_connection_without_first_takes_the_schema_default() -> None:
    # Query.users(first: Int = 20): 1 + 20 x (edges + node + name).
    assert cost("{ users { edges { node { name } } } }") == 61


def test_nested_connections_multiply() -> None:
    query = """{ users(first: 10) { edges { node { name
                   tasks(first: 5) { edges { node { title } } } } } } }"""
    # tasks: 1 + 5 x 3 = 16; node: 1 + name + tasks = 18; edges: 10 x (1 + 18); users: 1 + 190.
    assert cost(query) == 191


def test_page_info_and_total_count_are_resolved_once() -> None:
    assert cost("{ users(first: 100) { totalCount pageInfo { hasNextPage endCursor } } }") == 5


def test_first_zero_costs_no_list() -> None:
    assert cost("{ users(first: 0) { totalCount edges { node { name } } } }") == 2


def test_a_size_read_from_a_variable_when_the_request_runs() -> None:
    query = "query($n: Int) { users(first: $n) { edges { cursor } } }"
    assert cost(query, {"n": 3}) == 1 + 3 * 2
    assert cost(query, {"n": 50}) == 1 + 50 * 2
    # No value (or null): the argument's default in the schema.
    assert cost(query, {}) == 1 + 20 * 2
    assert cost(query, {"n": None}) == 1 + 20 * 2
    # A negative size counts as none.
    assert cost(query, {"n": -5}) == 1


def test_fragments_count_at_each_spread_and_inherit_the_connection_size() -> None:
    query = """{ a: users(first: 3) { ...Page } b: users(first: 4) { ...Page } }
               fragment Page on UserConnection { edges { node { id } } }"""
    assert cost(query) == (1 + 3 * 3) + (1 + 4 * 3)


def test_introspection_at_the_root_costs_nothing() -> None:
    assert cost(get_introspection_query()) == 0
    assert cost("{ __typename }") == 1


def test_a_fragment_bomb_is_counted_without_expanding_it() -> None:
    # Each level spreads the next twice: 2^30 spreads of the innermost field.
    levels = 30
    fragments = " ".join(
        f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = f"{{ user(id: 1) {{ ...F0 }} }} {fragments} fragment F{levels} on User {{ name }}"
    assert cost(query) == 1 + 2**levels


def test_a_bomb_that_reads_variables_is_evaluated_once_per_fragment() -> None:
    levels = 30
    fragments = " ".join(
        f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = (
        f"query($n: Int) {{ user(id: 1) {{ ...F0 }} }} {fragments} "
        f"fragment F{levels} on User {{ tasks(first: $n) {{ edges {{ cursor }} }} }}"
    )
    assert cost(query, {"n": 2}) == 1 + 2**levels * (1 + 2 * 2)


LISTS = build_schema(
    """
    type Query { shelves: [Shelf!]! shelf(limit: Int): [Shelf] }
    type Shelf { books(last: Int = 7): [Book!]! label: String }
    type Book { title: String tags: [String!]! }
    """
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A list without a size argument, under no sized field: the default list size.
        ("{ shelves { label } }", 5 * 2),
        ("{ shelves { books { title } } }", 5 * (1 + 7 * 2)),
        # limit on a list field sizes that list itself; tags, a list of scalars, has the
        # default size.
        ("{ shelf(limit: 2) { books(last: 3) { tags } } }", 2 * (1 + 3 * (1 + 5))),
        ("{ shelf { label } }", 5 * 2),
    ],
)
def test_lists_without_a_size_take_the_default_list_size(query: str, expected: int) -> None:
    document = parse(query)
    assert not validate(LISTS, document)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert evaluate(compile_cost(LISTS, operation, {}, default_list_size=5), {}) == expected
