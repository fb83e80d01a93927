"""A seeded generator of valid operations over an API schema.

Each operation selects root query fields down to a few levels (so entity chains cross
subgraphs), with type conditions at every depth (inline fragments on possible types and on
the interfaces they implement, nested ones), named fragments, aliases that reuse other
fields' names, ``@skip``/``@include`` on variables and arguments from variables. Every
operation is validated against the API schema; invalid attempts are dropped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_composite_type,
    parse,
    validate,
)

MAX_DEPTH = 4


@dataclass(frozen=True)
class Operation:
    """One generated operation: its text and the variables to send with it."""

    query: str
    variables: dict[str, Any]


@dataclass
class _Draft:
    """An operation being written: its variables and named fragments so far."""

    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)
    fragments: list[str] = field(default_factory=list)

    def variable(self, type_text: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (type_text, value)
        return f"${name}"


class OperationGenerator:
    """Valid operations over ``schema``, the same ones for the same seed."""

    def __init__(self, schema: GraphQLSchema, seed: int) -> None:
        self.schema = schema
        self.rng = random.Random(seed)

    def operations(self, count: int, attempts: int = 20) -> list[Operation]:
        """Up to ``count`` distinct valid operations (fewer if the schema allows fewer)."""
        found: list[Operation] = []
        seen: set[str] = set()
        for _ in range(count * attempts):
            if len(found) == count:
                break
            operation = self.operation()
            if operation is None or operation.query in seen:
                continue
            seen.add(operation.query)
            found.append(operation)
        return found

    def operation(self) -> Operation | None:
        """One operation, or None when the attempt was not valid."""
        root = self.schema.query_type
        if root is None:
            return None
        draft = _Draft()
        body = self._selection_set(root, 0, draft, root=True)
        header = ""
        if draft.variables:
            header = "(" + ", ".join(f"${n}: {t}" for n, (t, _) in draft.variables.items()) + ")"
        text = f"query Generated{header} {body}"
        if draft.fragments:
            text += "\n" + "\n".join(draft.fragments)
        try:
            document = parse(text)
        except Exception:  # noqa: BLE001 - a malformed attempt is dropped like an invalid one
            return None
        if validate(self.schema, document):
            return None
        return Operation(text, {name: value for name, (_, value) in draft.variables.items()})

    def _selection_set(
        self, parent: GraphQLNamedType, depth: int, draft: _Draft, *, root: bool = False
    ) -> str:
        parts: list[str] = []
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            fields = [n for n in parent.fields if not n.startswith("__")]
            if fields:
                chosen = self.rng.sample(fields, k=min(len(fields), self.rng.randint(1, 3)))
                parts.extend(self._field(parent, name, depth, draft) for name in chosen)
        if isinstance(parent, GraphQLInterfaceType | GraphQLUnionType):
            parts.extend(self._conditions(parent, depth, draft))
        if not root and (not parts or self.rng.random() < 0.2):
            parts.append("__typename")
        if not root and self.rng.random() < 0.12:
            parts.append(self._named_fragment(parent, depth, draft))
        return "{ " + " ".join(parts) + " }"

    def _conditions(
        self, parent: GraphQLInterfaceType | GraphQLUnionType, depth: int, draft: _Draft
    ) -> list[str]:
        possible: list[GraphQLNamedType] = list(self.schema.get_possible_types(parent))
        interfaces = {i.name: i for t in possible for i in getattr(t, "interfaces", ())}
        interfaces.pop(parent.name, None)
        targets = possible + list(interfaces.values())
        parts = []
        for target in self.rng.sample(targets, k=min(len(targets), self.rng.randint(1, 2))):
            inner = self._selection_set(target, depth, draft)
            parts.append(f"... on {target.name}{self._condition(draft)} {inner}")
        return parts

    def _named_fragment(self, parent: GraphQLNamedType, depth: int, draft: _Draft) -> str:
        name = f"F{len(draft.fragments)}"
        draft.fragments.append("")
        body = self._selection_set(parent, depth + 1, draft)
        draft.fragments[int(name[1:])] = f"fragment {name} on {parent.name} {body}"
        return f"...{name}{self._condition(draft)}"

    def _condition(self, draft: _Draft) -> str:
        if self.rng.random() >= 0.12:
            return ""
        directive = self.rng.choice(("skip", "include"))
        return f" @{directive}(if: {draft.variable('Boolean!', self.rng.random() < 0.5)})"

    def _field(
        self, parent: GraphQLObjectType | GraphQLInterfaceType, name: str, depth: int, draft: _Draft
    ) -> str:
        definition = parent.fields[name]
        text = name
        if self.rng.random() < 0.2:
            others = [n for n in parent.fields if n != name and not n.startswith("__")]
            pool = [*others, f"{name}Alias", f"a{depth}"]
            text = f"{self.rng.choice(pool)}: {name}"
        arguments = []
        for arg_name, arg in definition.args.items():
            required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
            if required or self.rng.random() < 0.3:
                value = self._input_value(arg.type, 0)
                if self.rng.random() < 0.2:
                    literal = self._python_value(arg.type, 0)
                    value = draft.variable(str(arg.type), literal)
                arguments.append(f"{arg_name}: {value}")
        if arguments:
            text += "(" + ", ".join(arguments) + ")"
        text += self._condition(draft)
        named = get_named_type(definition.type)
        if is_composite_type(named):
            if depth + 1 >= MAX_DEPTH:
                text += " { __typename }"
            else:
                text += " " + self._selection_set(named, depth + 1, draft)
        return text

    def _python_value(self, type_: GraphQLInputType, depth: int) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self._python_value(type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            return [self._python_value(type_.of_type, depth + 1)]
        if isinstance(type_, GraphQLEnumType):
            return self.rng.choice(sorted(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            return {
                name: self._python_value(f.type, depth + 1)
                for name, f in type_.fields.items()
                if isinstance(f.type, GraphQLNonNull) or (depth < 2 and self.rng.random() < 0.3)
            }
        assert isinstance(type_, GraphQLScalarType)
        return {
            "Int": self.rng.randint(1, 5),
            "Float": 1.5,
            "Boolean": self.rng.random() < 0.5,
        }.get(type_.name, f"id{self.rng.randint(1, 9)}")

    def _input_value(self, type_: GraphQLInputType, depth: int) -> str:
        value = self._python_value(type_, depth)
        return _literal(value, type_)


def _literal(value: Any, type_: GraphQLInputType) -> str:
    """``value`` as a GraphQL literal of ``type_``."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(value, type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[" + ", ".join(_literal(v, type_.of_type) for v in value) + "]"
    if isinstance(type_, GraphQLEnumType):
        return str(value)
    if isinstance(type_, GraphQLInputObjectType):
        items = ", ".join(f"{k}: {_literal(v, type_.fields[k].type)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value) + '"'
