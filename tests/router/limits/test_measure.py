"""Depth, aliases, root fields and introspection as the limits measure them."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query

from router.operation import limits_measure as measure
from tests.router.limits.schema import prepared

USERS = "{ users(first: 2) { edges { node { name } } } }"


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("{ __typename }", 1),
        (USERS, 4),
        ("{ user(id: 1) { tasks { edges { node { assignee { name } } } } } }", 6),
        # Fragments count where they are spread, inline or named.
        ("{ users { edges { node { ...U } } } } fragment U on User { tasks { totalCount } }", 5),
        ("{ users { edges { ... on UserEdge { node { id } } } } }", 4),
        # A root fragment's fields are root fields.
        ("{ ...Q } fragment Q on Query { user(id: 1) { name } }", 2),
    ],
)
def test_depth(query: str, depth: int) -> None:
    operation = prepared(query)
    assert measure.depth(operation.operation, operation.fragments) == depth


def test_root_introspection_counts_for_no_depth() -> None:
    # GraphiQL's introspection query nests 15 levels; the router answers it itself.
    introspection = prepared(get_introspection_query())
    assert measure.depth(introspection.operation, introspection.fragments) == 0
    mixed = prepared("{ __schema { types { name } } user(id: 1) { name } }")
    assert measure.depth(mixed.operation, mixed.fragments) == 2
    in_fragment = prepared('{ ...I } fragment I on Query { __type(name: "User") { name } }')
    assert measure.depth(in_fragment.operation, in_fragment.fragments) == 0


def test_aliases_count_at_every_spread() -> None:
    operation = prepared(
        "{ a: user(id: 1) { ...N } b: user(id: 2) { ...N } }"
        " fragment N on User { first: name second: name email }"
    )
    assert measure.aliases(operation.operation, operation.fragments) == 2 + 2 * 2


def test_root_fields_include_root_fragments_and_typename() -> None:
    operation = prepared(
        "{ __typename a: user(id: 1) { id } ... on Query { b: user(id: 2) { id } } ...R }"
        " fragment R on Query { users { totalCount } tasks { totalCount } }"
    )
    assert measure.root_field_count(operation.operation, operation.fragments) == 5


@pytest.mark.parametrize(
    ("query", "uses"),
    [
        ("{ __schema { queryType { name } } }", True),
        ('{ __type(name: "User") { name } }', True),
        ('{ ...I } fragment I on Query { __type(name: "User") { name } }', True),
        ("{ __typename user(id: 1) { __typename name } }", False),
        (USERS, False),
    ],
)
def test_uses_introspection(query: str, uses: bool) -> None:
    operation = prepared(query)
    assert measure.uses_introspection(operation.operation, operation.fragments) is uses
