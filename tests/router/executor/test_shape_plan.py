"""Compiled shaping (ShapePlan) answers exactly as the path-tracking shaper does.

Every case shapes the same merged data twice, with :func:`router.executor.shape.shape` (the
reference walk, which carries response paths) and with a :class:`ShapePlan` reused across
requests, and expects the same ``data`` and the same ``errors``. Besides hand-written
cases, random merged data (nulls and missing values in non-null positions, values of the
wrong kind, unknown ``__typename``s, planning-only fields, subgraph errors with and without
paths) is shaped for several operations.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    parse,
    validate,
)
from graphql.execution.values import VariableValues, get_variable_values

from router.executor.shape import shape
from router.executor.shape_plan import MAX_VARIANTS, ShapePlan

SCHEMA = build_schema(
    """
    interface Node { id: ID! }
    type User implements Node {
      id: ID!
      name: String
      email: String!
      tags: [String!]
      tasks: [Task!]!
      friends: [User]
      best: User!
    }
    type Task implements Node {
      id: ID! title: String! done: Boolean assignee: User
      status: Status state: Status! statuses: [Status!]
    }
    enum Status { OPEN CLOSED }
    union Item = User | Task
    type Query {
      me: User
      user(id: ID!): User!
      node(id: ID!): Node
      items: [Item!]!
      maybeItems: [Item]
      tasks: [Task]!
      count: Int!
    }
    type Mutation { rename(name: String!): User }
    """
)

OPERATIONS = {
    "plain": "{ me { id name email tags } count }",
    "aliases": "{ a: me { n: name name } b: user(id: 1) { id best { e: email } } }",
    "lists": "{ tasks { id title assignee { name } } me { tasks { title done } friends { id } } }",
    "abstract": """
        { node(id: 1) { __typename id ... on User { name } ... on Task { title } }
          items { __typename ...U ... on Task { title assignee { id } } }
          maybeItems { ... on User { email } } }
        fragment U on User { id name best { __typename id } }
    """,
    "conditions": """
        query ($a: Boolean!, $b: Boolean = true) {
          me { id name @skip(if: $a) email @include(if: $b) ...F @include(if: $a) }
          count @skip(if: $b)
          user(id: 1) @include(if: true) { ... @skip(if: $a) { tasks { title } } }
        }
        fragment F on User { tags best { id } }
    """,
    "typenames": "{ __typename me { __typename t: __typename } items { __typename } }",
    "introspection": "{ __typename count s: __schema { queryType { name } } }",
    "mutation": 'mutation { rename(name: "x") { id name } }',
}

VARIABLES = [{"a": True, "b": True}, {"a": False, "b": True}, {"a": True, "b": False}, {"a": False}]


class Operation:
    """One client operation, prepared as the pipeline prepares it."""

    def __init__(self, text: str) -> None:
        document = parse(text)
        assert validate(SCHEMA, document) == []
        self.operation = next(
            d for d in document.definitions if isinstance(d, OperationDefinitionNode)
        )
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = SCHEMA.get_root_type(self.operation.operation)
        assert isinstance(root, GraphQLObjectType)
        self.root = root
        self.plan = ShapePlan(SCHEMA, root, self.operation.selection_set, self.fragments)

    def variables(self, values: dict[str, Any]) -> VariableValues:
        used = {d.variable.name.value for d in self.operation.variable_definitions or ()}
        coerced = get_variable_values(
            SCHEMA,
            self.operation.variable_definitions or (),
            {k: v for k, v in values.items() if k in used},
        )
        assert isinstance(coerced, VariableValues)
        return coerced

    def both(
        self,
        data: dict[str, Any],
        errors: list[dict[str, Any]] | None = None,
        variables: dict[str, Any] | None = None,
        introspection: dict[str, Any] | None = None,
    ) -> tuple[Any, Any]:
        """(reference data, errors) and (compiled data, errors) for the same input."""
        coerced = self.variables(variables or {})
        reference_errors = copy.deepcopy(errors or [])
        reference = shape(
            SCHEMA,
            self.root,
            self.operation.selection_set,
            self.fragments,
            coerced,
            copy.deepcopy(data),
            reference_errors,
            introspection,
        )
        compiled_errors = copy.deepcopy(errors or [])
        compiled = self.plan.shape(copy.deepcopy(data), compiled_errors, coerced, introspection)
        return (reference, reference_errors), (compiled, compiled_errors)


def _same(operation: Operation, data: dict[str, Any], **kwargs: Any) -> tuple[Any, Any]:
    reference, compiled = operation.both(data, **kwargs)
    assert compiled == reference
    # Same keys in the same order: the client sees its fields in its own order.
    assert repr(compiled) == repr(reference)
    return compiled


def test_fields_in_client_order_and_planning_fields_dropped() -> None:
    operation = Operation(OPERATIONS["aliases"])
    data = {
        "a": {"__typename": "User", "id": "1", "name": "Ann", "n": "Ann"},
        "b": {"__typename": "User", "id": "2", "best": {"id": "3", "e": "c@x.io"}},
    }
    (shaped, errors) = _same(operation, data)
    assert shaped == {"a": {"n": "Ann", "name": "Ann"}, "b": {"id": "2", "best": {"e": "c@x.io"}}}
    assert errors == []


def test_a_null_in_a_non_null_field_bubbles_with_its_error_and_path() -> None:
    operation = Operation(OPERATIONS["lists"])
    data = {
        "tasks": [{"id": "1", "title": "a"}, {"id": "2", "title": None}],
        "me": {"tasks": [{"title": "t", "done": None}, {"title": None}], "friends": None},
    }
    shaped, errors = _same(operation, data)
    assert shaped == {"tasks": [{"id": "1", "title": "a", "assignee": None}, None], "me": None}
    assert [e["path"] for e in errors] == [["tasks", 1, "title"], ["me", "tasks", 1, "title"]]


def test_an_enum_value_the_api_schema_lacks_is_null_with_an_error() -> None:
    # A subgraph answers an @inaccessible value (SECRET is not in the API schema).
    operation = Operation("{ tasks { id status state statuses } }")
    data = {
        "tasks": [
            {"id": "1", "status": "SECRET", "state": "OPEN", "statuses": ["OPEN", "CLOSED"]},
            {"id": "2", "status": "OPEN", "state": "SECRET", "statuses": None},
            {"id": "3", "status": None, "state": "CLOSED", "statuses": ["OPEN", "SECRET"]},
        ]
    }
    shaped, errors = _same(operation, data)
    assert shaped == {
        "tasks": [
            {"id": "1", "status": None, "state": "OPEN", "statuses": ["OPEN", "CLOSED"]},
            None,
            {"id": "3", "status": None, "state": "CLOSED", "statuses": None},
        ]
    }
    assert [(e["path"], e["message"]) for e in errors] == [
        (["tasks", 0, "status"], 'Enum "Status" cannot represent value: "SECRET"'),
        (["tasks", 1, "state"], 'Enum "Status" cannot represent value: "SECRET"'),
        (["tasks", 2, "statuses", 1], 'Enum "Status" cannot represent value: "SECRET"'),
    ]


def test_an_unchanged_enum_value_is_kept_by_the_fast_walk() -> None:
    operation = Operation("{ tasks { state statuses } }")
    data = {"tasks": [{"state": "OPEN", "statuses": ["CLOSED"]}]}
    errors: list[dict[str, Any]] = []
    shaped = operation.plan.shape(data, errors, operation.variables({}), None)
    assert shaped == {"tasks": [{"state": "OPEN", "statuses": ["CLOSED"]}]}
    assert errors == []


def test_a_subgraph_error_on_the_path_explains_the_null() -> None:
    operation = Operation(OPERATIONS["aliases"])
    subgraph_error = {"message": "boom", "path": ["b", "best"]}
    shaped, errors = _same(operation, {"a": None, "b": {"id": "2"}}, errors=[subgraph_error])
    assert shaped is None
    assert errors == [subgraph_error]


def test_abstract_values_are_typed_by_their_typename() -> None:
    operation = Operation(OPERATIONS["abstract"])
    data = {
        "node": {"__typename": "Task", "id": "1", "title": "t", "name": "ignored"},
        "items": [
            {"__typename": "User", "id": "2", "name": "u", "best": {"__typename": "User", "id": 3}},
            {"__typename": "Task", "title": "x", "assignee": None},
        ],
        "maybeItems": [{"__typename": "Nope", "email": "e"}, {"__typename": "User", "email": "e"}],
    }
    shaped, errors = _same(operation, data)
    assert shaped["node"] == {"__typename": "Task", "id": "1", "title": "t"}
    assert shaped["maybeItems"] == [None, {"email": "e"}]
    assert errors == []


@pytest.mark.parametrize("values", VARIABLES)
def test_skip_and_include_follow_each_request_s_variables(values: dict[str, Any]) -> None:
    operation = Operation(OPERATIONS["conditions"])
    data = {
        "me": {"id": "1", "name": "n", "email": "e", "tags": ["x"], "best": {"id": "2"}},
        "count": 3,
        "user": {"tasks": [{"title": "t"}]},
    }
    # One plan serves every set of values in turn, as the plan cache shares it.
    for each in VARIABLES:
        _same(operation, data, variables=each)
    _same(operation, data, variables=values)


def test_variants_beyond_the_limit_are_still_shaped_correctly() -> None:
    operation = Operation(OPERATIONS["conditions"])
    data = {"me": {"id": "1", "name": "n", "email": "e"}, "count": 1, "user": {}}
    for _ in range(MAX_VARIANTS + 2):
        for values in VARIABLES:
            _same(operation, data, variables=values)


def test_root_introspection_and_typenames_are_the_router_s() -> None:
    operation = Operation(OPERATIONS["introspection"])
    introspection = {"s": {"queryType": {"name": "Query"}}}
    shaped, _ = _same(operation, {"count": 2}, introspection=introspection)
    assert shaped == {"__typename": "Query", "count": 2, "s": {"queryType": {"name": "Query"}}}
    typenames = Operation(OPERATIONS["typenames"])
    shaped, _ = _same(typenames, {"me": {}, "items": [{"__typename": "Task"}]})
    assert shaped == {
        "__typename": "Query",
        "me": {"__typename": "User", "t": "User"},
        "items": [{"__typename": "Task"}],
    }


def test_values_of_the_wrong_kind_become_null() -> None:
    operation = Operation(OPERATIONS["lists"])
    data = {"tasks": {"id": "1"}, "me": {"tasks": "nope", "friends": [None, 3, {"id": "1"}]}}
    _same(operation, data)


# Random merged data ------------------------------------------------------------------------


def _collect(nodes: list[FieldNode], fragments: dict[str, FragmentDefinitionNode]) -> dict:
    """Every sub-field of ``nodes`` by response name, whatever type conditions say."""
    fields: dict[str, list[FieldNode]] = {}

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(name, []).append(selection)
            elif hasattr(selection, "selection_set"):
                walk(selection.selection_set)
            else:
                walk(fragments[selection.name.value].selection_set)

    for node in nodes:
        if node.selection_set is not None:
            walk(node.selection_set)
    return fields


class RandomData:
    """Merged data for an operation, with the faults a subgraph or a failed fetch leaves."""

    def __init__(self, seed: int, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.random = random.Random(seed)
        self.fragments = fragments

    def fault(self) -> bool:
        return self.random.random() < 0.04

    def value(self, type_: GraphQLOutputType, nodes: list[FieldNode]) -> Any:
        if self.fault():
            return self.random.choice(
                [None, "wrong", 7, [], {"__typename": "Nope"}, {"__typename": "Query"}]
            )
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, nodes)
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, nodes) for _ in range(self.random.randint(0, 3))]
        if is_leaf_type(type_):
            return self.random.choice(["s", 1, True, "t"])
        runtime = get_named_type(type_)
        if is_abstract_type(runtime):
            runtime = self.random.choice(list(SCHEMA.get_possible_types(runtime)))
        assert isinstance(runtime, GraphQLObjectType)
        return self.object(runtime, nodes)

    def object(self, runtime: GraphQLObjectType, nodes: list[FieldNode]) -> dict[str, Any]:
        out: dict[str, Any] = {"__typename": runtime.name, "_planning_key": 1}
        for name, field_nodes in _collect(nodes, self.fragments).items():
            definition = runtime.fields.get(field_nodes[0].name.value)
            if definition is None or self.fault():
                continue
            out[name] = self.value(definition.type, field_nodes)
        return out


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_random_merged_data_is_shaped_as_the_reference_does(name: str) -> None:
    operation = Operation(OPERATIONS[name])
    root_node = FieldNode(
        name=NameNode(value="root"), selection_set=operation.operation.selection_set
    )
    outcomes = {"bubbled": 0, "clean": 0}
    for seed in range(300):
        generator = RandomData(seed, operation.fragments)
        data = generator.object(operation.root, [root_node])
        errors: list[dict[str, Any]] = []
        paths = _paths(data)
        if paths and generator.random.random() < 0.2:
            errors.append({"message": "subgraph", "path": list(generator.random.choice(paths))})
        elif generator.random.random() < 0.05:
            errors.append({"message": "no path"})
        variables = generator.random.choice(VARIABLES)
        reference, compiled = operation.both(
            data, errors=errors, variables=variables, introspection={"s": {"x": 1}}
        )
        assert compiled == reference, (seed, data)
        outcomes["bubbled" if len(reference[1]) > len(errors) else "clean"] += 1
    # Both the fast walk and the fall-back to the reference walk were exercised.
    assert outcomes["clean"] > 0
    if name not in ("typenames", "introspection"):
        assert outcomes["bubbled"] > 0
