"""Seeded random operations over any API schema, for differential tests of the cache.

Each query is drawn from a ``random.Random``: one to three root fields, arguments for the
required ones and some optional ones (ids from the data, small page sizes, enum values,
input objects), a random subset of each object's fields down to a depth, aliases now and
then, ``__typename`` now and then. Nothing here knows the fedtasks schema: it reads the
graphql-core schema it is given, so ``me``, nested entities and private fields are drawn
like any other field.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

MAX_DEPTH = 4
TEXTS = ("", "task", "Ada", "zz")
DATES = ("2020-01-01", "2099-12-31")


class OperationDrawer:
    """Draws queries over ``schema``; ``ids`` are the values an ``ID`` argument may take."""

    def __init__(self, schema: GraphQLSchema, rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng
        self.ids: Sequence[str] = ("1",)

    def query(self, ids: Sequence[str]) -> str:
        """One query, as a client would write it."""
        self.ids = [*ids, "0", "999999"]  # a missing id now and then
        root = self.schema.query_type
        assert root is not None
        names = [n for n in root.fields if not n.startswith("_")]
        chosen = self.rng.sample(names, k=self.rng.randint(1, min(3, len(names))))
        parts = [self._field(root, name, 1, alias=f"r{i}") for i, name in enumerate(chosen)]
        return "{ " + " ".join(parts) + " }"

    def _field(self, parent: GraphQLObjectType, name: str, depth: int, alias: str) -> str:
        field = parent.fields[name]
        arguments = self._arguments(field)
        target = get_named_type(field.type)
        prefix = f"{alias}: " if self.rng.random() < 0.3 else ""
        head = f"{prefix}{name}{arguments}"
        if is_leaf_type(target):
            return head
        assert isinstance(target, GraphQLObjectType), target  # no abstract types here
        return f"{head} {{ {self._selection(target, depth + 1)} }}"

    def _selection(self, type_: GraphQLObjectType, depth: int) -> str:
        leaves = [n for n, f in type_.fields.items() if is_leaf_type(get_named_type(f.type))]
        objects = [n for n in type_.fields if n not in leaves]
        picked = self.rng.sample(leaves, k=self.rng.randint(1, len(leaves))) if leaves else []
        if depth < MAX_DEPTH and objects:
            picked += self.rng.sample(objects, k=self.rng.randint(0, min(2, len(objects))))
        if not picked:
            picked = [objects[0]]
        if self.rng.random() < 0.2:
            picked.append("__typename")
        parts = [
            "__typename" if n == "__typename" else self._field(type_, n, depth, alias=f"a{i}")
            for i, n in enumerate(picked)
        ]
        return " ".join(parts)

    def _arguments(self, field: GraphQLField) -> str:
        given: list[str] = []
        for name, argument in field.args.items():
            required = is_non_null_type(argument.type) and argument.default_value is Undefined
            if required or self.rng.random() < 0.4:
                given.append(f"{name}: {self._literal(argument.type)}")
        return f"({', '.join(given)})" if given else ""

    def _literal(self, type_: GraphQLInputType) -> str:
        if isinstance(type_, GraphQLNonNull):
            return self._literal(type_.of_type)
        if is_list_type(type_):
            return f"[{self._literal(type_.of_type)}]"  # type: ignore[attr-defined]
        named: GraphQLNamedType = get_named_type(type_)
        if isinstance(named, GraphQLEnumType):
            return self.rng.choice(list(named.values))
        if isinstance(named, GraphQLInputObjectType):
            fields = list(named.fields.items())
            chosen = self.rng.sample(fields, k=self.rng.randint(0, min(2, len(fields))))
            inner = ", ".join(f"{n}: {self._literal(f.type)}" for n, f in chosen)
            return f"{{{inner}}}"
        assert isinstance(named, GraphQLScalarType), named
        return orjson.dumps(self._scalar(named.name)).decode()

    def _scalar(self, name: str) -> object:
        values: Mapping[str, Sequence[object]] = {
            "ID": self.ids,
            "Int": (1, 2, 3, 5),
            "Float": (0.5, 2.0),
            "Boolean": (True, False),
            "String": TEXTS,
            "Date": DATES,
            "DateTime": ("2020-01-01T00:00:00",),
        }
        return self.rng.choice(values.get(name, TEXTS))
