"""Each limit refuses with its own code, the limit in the message, before any planning."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query

from router.operation.limits import OperationLimits
from router.operation.prepare import OperationError
from tests.router.limits.schema import prepared

USERS = "{ users(first: 10) { totalCount edges { node { name } } } }"  # depth 4, cost 32


def refusal(query: str, limits: OperationLimits) -> OperationError:
    with pytest.raises(OperationError) as caught:
        prepared(query, limits)
    return caught.value


@pytest.mark.parametrize(
    ("query", "limits", "code", "message"),
    [
        (
            USERS,
            OperationLimits(max_depth=3),
            "MAX_DEPTH_EXCEEDED",
            "Operation depth: 4, over the limit of 3.",
        ),
        (
            "{ a: user(id: 1) { n: name } b: user(id: 2) { name } }",
            OperationLimits(max_aliases=2),
            "MAX_ALIASES_EXCEEDED",
            "Operation aliases: 3, over the limit of 2.",
        ),
        (
            "{ a: user(id: 1) { id } b: user(id: 2) { id } __typename }",
            OperationLimits(max_root_fields=2),
            "MAX_ROOT_FIELDS_EXCEEDED",
            "Operation root fields: 3, over the limit of 2.",
        ),
        (
            USERS,
            OperationLimits(max_cost=31),
            "MAX_COST_EXCEEDED",
            "Operation cost: 32, over the limit of 31.",
        ),
        (
            "{ __schema { queryType { name } } }",
            OperationLimits(introspection=False),
            "INTROSPECTION_DISABLED",
            "Introspection is disabled on this router",
        ),
        (
            '{ ...I } fragment I on Query { __type(name: "User") { name } }',
            OperationLimits(introspection=False),
            "INTROSPECTION_DISABLED",
            "Introspection is disabled on this router",
        ),
    ],
)
def test_each_limit_has_its_code_and_names_the_limit(
    query: str, limits: OperationLimits, code: str, message: str
) -> None:
    refused = refusal(query, limits)
    assert refused.phase == "validate"
    (error,) = refused.errors
    assert error["extensions"] == {"code": code}
    assert error["message"].startswith(message)


def test_at_the_limit_is_allowed() -> None:
    limits = OperationLimits(max_depth=4, max_aliases=0, max_root_fields=1, max_cost=32)
    assert prepared(USERS, limits).name is None


def test_tokens_are_counted_while_parsing() -> None:
    refused = refusal("{ users { totalCount } }", OperationLimits(max_tokens=5))
    assert refused.phase == "parse"
    assert refused.errors == [
        {
            "message": "Operation tokens: more than the limit of 5.",
            "extensions": {"code": "MAX_TOKENS_EXCEEDED"},
        }
    ]
    # "{ users { totalCount } }" is six tokens (with the start and end of the document).
    assert prepared("{ users { totalCount } }", OperationLimits(max_tokens=6))


def test_comments_count_against_the_token_limit() -> None:
    query = "#\n" * 10 + "{ __typename }"
    refused = refusal(query, OperationLimits(max_tokens=8))
    assert refused.errors[0]["extensions"] == {"code": "MAX_TOKENS_EXCEEDED"}


def test_a_syntax_error_under_the_token_limit_is_a_parse_failure() -> None:
    refused = refusal("{ users {", OperationLimits(max_tokens=100))
    assert refused.errors[0]["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}


def test_typename_works_with_introspection_off() -> None:
    assert prepared("{ __typename }", OperationLimits(introspection=False))
    assert prepared("{ user(id: 1) { __typename } }", OperationLimits(introspection=False))


def test_graphiql_introspection_passes_production_limits_when_introspection_is_on() -> None:
    limits = OperationLimits(
        max_depth=15, max_aliases=30, max_root_fields=20, max_tokens=5000, max_cost=10_000
    )
    assert prepared(get_introspection_query(), limits)


def test_a_cost_that_reads_variables_is_checked_for_each_request() -> None:
    query = "query($n: Int) { users(first: $n) { edges { node { name } } } }"  # 1 + 3n
    operation = prepared(query, OperationLimits(max_cost=100))
    assert operation.cost.refusal({"n": 33}) is None
    over = operation.cost.refusal({"n": 34})
    assert over is not None
    assert over.error == {
        "message": "Operation cost: 103, over the limit of 100.",
        "extensions": {"code": "MAX_COST_EXCEEDED"},
    }
    # No value: the schema's default (20) is used.
    assert operation.cost.refusal({}) is None


def test_validation_comes_before_limits() -> None:
    refused = refusal("{ users { nope } }", OperationLimits(max_depth=1))
    assert refused.errors[0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_nested_introspection_lists_are_refused_by_validation() -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    refused = refusal(query, OperationLimits())
    assert refused.errors[0]["message"] == "Maximum introspection depth exceeded"
    assert refused.errors[0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_suggestions_are_left_out_when_introspection_is_off() -> None:
    typo = "{ users { edges { node { nam } } } }"
    hidden = refusal(typo, OperationLimits(introspection=False)).errors[0]["message"]
    shown = refusal(typo, OperationLimits()).errors[0]["message"]
    assert hidden == "Cannot query field 'nam' on type 'User'."
    assert shown == "Cannot query field 'nam' on type 'User'. Did you mean 'name'?"
