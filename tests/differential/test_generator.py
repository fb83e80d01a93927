"""The query generator: reproducible, valid, and covering what the differential test claims."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
    print_ast,
)

from tests.differential.generator import ORDERINGS, DataPool, GeneratedQuery, QueryGenerator
from tests.differential.monolith import monolith_schema
from tests.differential.test_router_vs_monolith import GENERATOR_SEED, QUERY_COUNT

POOL = DataPool(
    user_ids=[f"user-{n}" for n in range(8)],
    missing_user_ids=["deleted-user"],
    task_ids=[f"task-{n}" for n in range(40)],
    task_cursors={name: [f"{name}-cursor-{n}" for n in range(3)] for name in ORDERINGS},
    user_cursors=["user-cursor-1", "user-cursor-2"],
    assignee_cursors=["assignee-cursor-1"],
    due_dates=["2024-05-01", "2024-06-30"],
    search_terms=["fix", " ", "%"],
)


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return monolith_schema()


@pytest.fixture(scope="module")
def queries(schema: GraphQLSchema) -> list[GeneratedQuery]:
    return QueryGenerator(POOL, schema, GENERATOR_SEED).queries(QUERY_COUNT)


def selections(
    document: DocumentNode, schema: GraphQLSchema
) -> Iterator[tuple[SelectionSetNode, str, int]]:
    """Every selection set of the document's operations, with its type and entity level.

    The level counts the Task and User objects from the root down (fragments expanded).
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def walk(node: SelectionSetNode, type_name: str, level: int) -> Iterator[Any]:
        yield node, type_name, level
        parent = schema.type_map[type_name]
        assert isinstance(parent, GraphQLObjectType)
        for selection in node.selections:
            if isinstance(selection, FieldNode) and selection.selection_set is not None:
                child = get_named_type(parent.fields[selection.name.value].type).name
                deeper = level + (child in ("Task", "User"))
                yield from walk(selection.selection_set, child, deeper)
            elif isinstance(selection, InlineFragmentNode):
                yield from walk(selection.selection_set, type_name, level)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                yield from walk(fragment.selection_set, type_name, level)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield from walk(definition.selection_set, "Query", 0)


def test_the_same_seed_draws_the_same_queries(
    schema: GraphQLSchema, queries: list[GeneratedQuery]
) -> None:
    again = QueryGenerator(POOL, schema, GENERATOR_SEED).queries(QUERY_COUNT)
    other = QueryGenerator(POOL, schema, GENERATOR_SEED + 1).queries(QUERY_COUNT)

    assert again == queries
    assert [q.document for q in other] != [q.document for q in queries]


def test_the_queries_are_distinct(queries: list[GeneratedQuery]) -> None:
    assert len({(q.document, str(q.variables)) for q in queries}) == len(queries)


def test_the_queries_cover_the_api_and_the_language(
    schema: GraphQLSchema, queries: list[GeneratedQuery]
) -> None:
    seen: Counter[str] = Counter()
    for query in queries:
        document = parse(query.document)
        text = query.document
        seen["multiple operations"] += query.operation_name is not None
        seen["variables sent"] += bool(query.variables)
        seen["null variable"] += None in query.variables.values()
        seen["variable default"] += " = " in text
        seen["named fragment"] += "\nfragment " in text
        seen["@include"] += "@include(" in text
        seen["@skip"] += "@skip(" in text
        seen["filter"] += "filter: " in text
        seen["after"] += "after: " in text
        seen["orderBy"] += "orderBy: " in text
        levels = [0]
        for node, type_name, level in selections(document, schema):
            levels.append(level)
            fields = [s for s in node.selections if isinstance(s, FieldNode)]
            names = {f.name.value for f in fields}
            if type_name == "Query":
                seen.update(f"root {name}" for name in names)
            seen["__typename"] += "__typename" in names and type_name != "Query"
            seen["root __typename"] += "__typename" in names and type_name == "Query"
            seen["alias"] += any(f.alias for f in fields)
            inline = [s for s in node.selections if isinstance(s, InlineFragmentNode)]
            seen["inline fragment on a type"] += any(i.type_condition for i in inline)
            seen["inline fragment without a type"] += any(not i.type_condition for i in inline)
            by_name: dict[str, set[str]] = {}
            for f in fields:
                arguments = print_ast(f).split("{")[0].split("(")[1:]
                by_name.setdefault(f.name.value, set()).add(str(arguments))
            seen["one field, two aliases, other arguments"] += any(
                len(args) > 1 for args in by_name.values()
            )
            seen[f"{type_name}.assignee"] += "assignee" in names
            seen[f"{type_name}.tasks"] += "tasks" in names
            seen[f"{type_name}.taskCount"] += "taskCount" in names
            seen[f"{type_name}.pageInfo"] += "pageInfo" in names
            seen[f"{type_name}.totalCount"] += "totalCount" in names
        seen[f"depth {max(levels)}"] += 1

    expected = [
        "multiple operations",
        "variables sent",
        "null variable",
        "variable default",
        "named fragment",
        "@include",
        "@skip",
        "filter",
        "after",
        "orderBy",
        "root task",
        "root tasks",
        "root user",
        "root users",
        "__typename",
        "root __typename",
        "alias",
        "inline fragment on a type",
        "inline fragment without a type",
        "one field, two aliases, other arguments",
        "Task.assignee",
        "User.tasks",
        "User.taskCount",
        "TaskConnection.pageInfo",
        "TaskConnection.totalCount",
        "UserConnection.totalCount",
        "depth 4",
    ]
    assert [name for name in expected if seen[name] < 2] == [], seen
    assert not any(name.startswith("depth 5") for name in seen), seen
