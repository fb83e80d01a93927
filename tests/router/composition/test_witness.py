"""Witness queries print Apollo's made-up argument values (FED validate.ts generateWitnessValue).

The fixture corpus and the fuzzer only meet ID and String arguments; these cover the rest.
"""

from __future__ import annotations

from graphql import parse_type

from router.composition.supergraph_model import (
    MergedEnumValue,
    MergedField,
    MergedInput,
    MergedSupergraph,
    MergedType,
)
from router.composition.witness import witness_operation, witness_step, witness_value


def _supergraph() -> MergedSupergraph:
    status = MergedType("Status", "enum")
    status.values = {
        "HIDDEN": MergedEnumValue("HIDDEN", directives=["@inaccessible"]),
        "OPEN": MergedEnumValue("OPEN"),
    }
    filters = MergedType("Filter", "input")
    filters.input_fields = {
        "text": MergedInput("text", parse_type("String!")),
        "limit": MergedInput("limit", parse_type("Int")),
        "status": MergedInput("status", parse_type("Status!")),
    }
    types = {"Status": status, "Filter": filters, "Date": MergedType("Date", "scalar")}
    return MergedSupergraph(graphs=[], join_version=(0, 3), roots={}, types=types)


def test_values_by_type() -> None:
    supergraph = _supergraph()
    expected = {
        "Int!": "0",
        "Float": "3.14",
        "Boolean": "true",
        "String": '"A string value"',
        "ID!": '"<any id>"',
        "Date": '"<some value>"',
        "[Int!]!": "[]",
        "Status": "OPEN",
        "Filter!": '{text: "A string value", status: OPEN}',
    }
    for type_text, value in expected.items():
        assert witness_value(supergraph, parse_type(type_text)) == value, type_text


def test_every_visible_argument_gets_a_value() -> None:
    field = MergedField("search", parse_type("[String]"))
    field.args = {
        "first": MergedInput("first", parse_type("Int")),
        "secret": MergedInput("secret", parse_type("Int"), directives=["@inaccessible"]),
    }
    assert witness_step(_supergraph(), field) == "search(first: 0)"


def test_operation_nests_steps_and_marks_open_ends() -> None:
    assert witness_operation("mutation", ["a", "... on T", "b"], True) == (
        "mutation {\n  a {\n    ... on T {\n      b {\n        ...\n      }\n    }\n  }\n}"
    )
    assert witness_operation("query", ["a"], False) == "{\n  a\n}"
