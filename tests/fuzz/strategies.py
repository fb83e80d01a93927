"""Hypothesis strategies for bad (and good) input to the router's GraphQL endpoint.

Queries are drawn from the real API schema's vocabulary, so that some of them parse,
validate and run against the subgraphs, while others break at every stage: arguments of
the wrong type, unknown fields and types, variables of any JSON shape, fragments, deep
nesting, and documents with characters inserted or removed at random.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_composite_type,
)
from hypothesis import strategies as st

from tests.router.limits.schema import API_SCHEMA

NAME = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,8}", fullmatch=True)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value."""

LITERAL = st.sampled_from(
    ["1", "0", "-5", "2147483648", "99999999999999999999", "1.5", '"x"', '"""b"""', "true",
     "null", "TODO", "DONE", "[1, 2]", "{ status: TODO }", "{}", "$n", "$id", "$missing"]
)  # fmt: skip
"""GraphQL literals of every kind, variables included."""


def _fields(schema: GraphQLSchema, type_name: str) -> list[str]:
    named = schema.get_type(type_name)
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return sorted(named.fields)
    return []


@st.composite
def selection_set(
    draw: st.DrawFn, type_name: str, depth: int, strict: bool
) -> tuple[str, set[str]]:
    """A selection set on ``type_name`` and the variables it uses.

    ``strict``: only the type's fields, with size and id arguments of the right type, so
    that the operation validates and runs; otherwise also unknown fields, arguments and
    types, and literals of every kind.
    """
    known = _fields(API_SCHEMA, type_name)
    definition = API_SCHEMA.get_type(type_name)
    parts: list[str] = []
    used: set[str] = set()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.integers(min_value=0, max_value=9))
        if kind == 0 or not known:
            parts.append("__typename")
            continue
        if kind == 1 and not strict:
            inner = draw(st.sampled_from(sorted(API_SCHEMA.type_map)))
            if depth > 0:
                text, inner_used = draw(selection_set(inner, depth - 1, strict))
                parts.append(f"... on {inner} {text}")
                used |= inner_used
            continue
        name = draw(st.sampled_from(known)) if strict or kind > 2 else draw(NAME)
        field = f"{draw(NAME)}: {name}" if draw(st.booleans()) and kind < 6 else name
        assert isinstance(definition, GraphQLObjectType | GraphQLInterfaceType)
        declared = definition.fields.get(name)
        arguments: list[str] = []
        if declared is not None and strict:
            if any(
                a.type.__class__.__name__ == "GraphQLNonNull"
                and a.default is None
                and a.default_value is Undefined
                and n not in ("id",)
                for n, a in declared.args.items()
            ):
                continue  # a required input object: left to the non-strict operations
            for argument in sorted(declared.args):
                if argument == "id":
                    arguments.append(
                        f"id: {draw(st.sampled_from(['1', chr(34) + '2' + chr(34), '$id']))}"
                    )
                elif argument in ("first", "last") and draw(st.booleans()):
                    arguments.append(f"{argument}: {draw(st.sampled_from(['0', '1', '3', '$n']))}")
        elif not strict:
            names = sorted(declared.args) if declared else []
            for argument in names + draw(st.lists(NAME, max_size=1)):
                if draw(st.booleans()):
                    arguments.append(f"{argument}: {draw(LITERAL)}")
        used |= {word[1:] for argument in arguments for word in argument.split() if word[0] == "$"}
        if arguments:
            field += "(" + ", ".join(arguments) + ")"
        if draw(st.integers(min_value=0, max_value=7)) == 0:
            field += " @skip(if: $flag)"
            used.add("flag")
        if declared is not None:
            named = get_named_type(declared.type)
            if is_composite_type(named) and depth > 0:
                text, inner_used = draw(selection_set(named.name, depth - 1, strict))
                field += " " + text
                used |= inner_used
            elif is_composite_type(named):
                field += " { __typename }"
        parts.append(field)
    return "{ " + " ".join(parts) + " }", used


VARIABLE_TYPES = {"n": "Int", "id": "ID!", "flag": "Boolean = false"}


@st.composite
def operation(draw: st.DrawFn) -> str:
    """A document from the schema's vocabulary: one that runs, or one broken somewhere."""
    strict = draw(st.booleans())
    kind = "query" if strict else draw(st.sampled_from(["query", "mutation", ""]))
    root = "Mutation" if kind == "mutation" else "Query"
    body, used = draw(selection_set(root, draw(st.integers(min_value=0, max_value=8)), strict))
    if strict:
        declared = ", ".join(f"${name}: {VARIABLE_TYPES[name]}" for name in sorted(used))
        return f"query Op({declared}) {body}" if declared else f"query Op {body}"
    variables = draw(
        st.sampled_from(
            ["", "($n: Int)", "($n: Int, $id: ID!)", "($flag: Boolean!)", "($i: CreateUserInput!)",
             "($n: [Int], $flag: Boolean = true, $id: ID)"]
        )
    )  # fmt: skip
    document = (f"{kind} Op{variables} " if kind else "") + body
    if draw(st.booleans()):
        document += " fragment F on User { name ...G } fragment G on User { id }"
    return document


@st.composite
def damaged(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    """``text`` with characters removed, repeated or inserted at random places."""
    value = draw(text)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(value)))
        edit = draw(st.integers(min_value=0, max_value=2))
        if edit == 0:
            value = value[:position] + value[position + 1 :]
        elif edit == 1:
            value = value[:position] + value[position : position + 3] * 3 + value[position:]
        else:
            value = (
                value[:position]
                + draw(st.sampled_from(list('{}()[]:$@!."#\\\x00\u2028')))
                + value[position:]
            )
    return value


def nested(prefix: str, opening: str, middle: str, closing: str, suffix: str) -> Any:
    """Text nested ``n`` levels, from a few to far beyond any parser's recursion limit."""
    return st.integers(min_value=1, max_value=5000).map(
        lambda n: prefix + opening * n + middle + closing * n + suffix
    )


def _huge_string_argument(length: int) -> str:
    return '{ user(id: "' + "x" * length + '") { id } }'


QUERY_TEXT = (
    operation()
    | damaged(operation())
    | st.text(max_size=200)
    | nested("", "{ users { edges { node { tasks ", "{ totalCount }", " } } } }", "")
    | nested("", "{a", "", "}", "")
    | nested("{ user(id: ", "[", "1", "]", ") { name } }")
    | nested("{ tasks(filter: ", "{ a: ", "1", " }", ") { totalCount } }")
    | st.integers(min_value=0, max_value=300_000).map(_huge_string_argument)
    | st.integers(min_value=1, max_value=3000).map(lambda n: "{ " + "a: __typename " * n + "}")
)  # fmt: skip
"""Documents: from the schema, damaged, random text, deeply nested, huge."""

VARIABLES = st.dictionaries(
    st.sampled_from(["n", "id", "flag", "i", "x"]),
    st.integers(min_value=-3, max_value=40) | st.booleans() | st.sampled_from(["1", "2"]) | JSON,
)

# Each parameter is mostly of its right type, and sometimes of any.
_OPTIONAL_PARAMETERS = {
    "operationName": st.one_of(st.none(), st.sampled_from(["Op", "F", "", "Nope"]), JSON),
    "variables": st.one_of(VARIABLES, VARIABLES, VARIABLES, JSON),
    "extensions": st.one_of(
        st.none(),
        st.none(),
        st.just({"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}),
        st.builds(lambda v, h: {"persistedQuery": {"version": v, "sha256Hash": h}}, JSON, JSON),
        JSON,
    ),
}

MUTATIONS = st.sampled_from(
    [
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id name email role } }",
        "mutation($i: CreateTaskInput!) { createTask(input: $i) { id title assignee { name } } }",
        "mutation($id: ID!, $i: UpdateTaskInput!) { updateTask(id: $id, input: $i) { id status } }",
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
        "mutation($id: ID!) { deleteTask(id: $id) deleteUser(id: $id) }",
        "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }",
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    ]
)
"""Mutations whose inputs come from the variables, well-typed or not."""

TEXT = st.text(max_size=30) | st.sampled_from(["", "a@example.com", "x" * 300])
INPUT = st.fixed_dictionaries(
    {},
    optional={
        "name": TEXT,
        "email": TEXT,
        "password": TEXT,
        "title": TEXT,
        "description": st.none() | TEXT,
        "role": st.sampled_from(["MEMBER", "ADMIN", "ROOT"]) | JSON,
        "status": st.sampled_from(["TODO", "DONE", "IN_PROGRESS", "todo"]),
        "priority": st.sampled_from(["LOW", "HIGH", 3]),
        "dueDate": st.sampled_from(["2030-01-31", "2030-02-30", "yesterday", None]),
        "assigneeId": st.sampled_from(["1", "2", "999999", "abc", None]) | JSON,
    },
)
MUTATION_VARIABLES = st.fixed_dictionaries(
    {},
    optional={
        "i": INPUT | JSON,
        "id": st.sampled_from(["1", "2", "0", "-1", "abc", 7]),
        "e": TEXT,
        "p": TEXT,
    },
)

PARAMETERS = st.one_of(
    # Mostly a document, so that most requests reach parsing, validation and execution.
    *[st.fixed_dictionaries({"query": QUERY_TEXT}, optional=_OPTIONAL_PARAMETERS)] * 3,
    st.fixed_dictionaries({"query": MUTATIONS, "variables": MUTATION_VARIABLES}),
    st.fixed_dictionaries({}, optional={"query": JSON, **_OPTIONAL_PARAMETERS}),
)
"""The parameters of one GraphQL request, each of any type."""


def _json(value: Any) -> str:
    # The standard library writes any int (orjson stops at 64 bits) and lone surrogates.
    return json.dumps(value)


BODY = st.one_of(
    *[PARAMETERS.map(_json)] * 3,
    st.lists(PARAMETERS | JSON, max_size=12).map(_json),
    JSON.map(_json),
    damaged(PARAMETERS.map(_json)),
).map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=300)
"""A POST body: a request, a batch, any JSON, damaged JSON, or bytes."""

GET_PARAMETERS = st.fixed_dictionaries(
    {},
    optional={
        # URLs stay under 64 kB, as clients (httpx among them) refuse longer ones.
        "query": QUERY_TEXT.map(lambda text: text[:20_000]),
        "operationName": st.text(max_size=10),
        "variables": JSON.map(_json) | st.text(max_size=30),
        "extensions": JSON.map(_json) | st.text(max_size=30),
    },
)
"""The query string of a GET."""
