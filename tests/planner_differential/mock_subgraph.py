"""A deterministic mock of one subgraph, generated from its schema.

The schema is the subgraph as Apollo's ``extractSubgraphsFromSupergraph`` sees it (with its
``@key``, ``@external``, ``@requires``, ``@provides`` and ``@interfaceObject``), so the mock
validates every operation against exactly that subgraph's schema: an operation that subgraph
could not run fails there.

Every value is a function of its type, its entity and its path:

- an entity is known by an integer ``eid``; a field of an entity is a function of
  ``(eid, field, arguments)``, the same in every subgraph, so shareable fields agree and an
  entity fetched through ``_entities`` is the one another subgraph returned;
- the leaf fields of any ``@key`` of a type (in any subgraph) encode the eid (``id7``, ``7``),
  so every key finds the same entity;
- a value object's fields are a function of its path from the nearest entity (or the root);
- a ``@requires`` field is also a function of the required values the representation
  carries, so a wrong or missing requirement shows in the answer (a missing one is an error);
- an ``@external`` field is an error unless it is part of a key or ``@provides`` provided it
  on the path here;
- some nullable fields are null, lists have 0 to 3 items, and ``_entities`` answers null for
  a few representations (per subgraph), all decided by the same hashes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SelectionSetNode,
    StringValueNode,
    build_ast_schema,
    graphql_sync,
    parse,
)

LIST_LENGTHS = (2, 1, 3, 0, 2, 2, 1)
ENTITY_SPACE = 997
TRAILING_DIGITS = re.compile(r"(\d+)$")

Tree = dict[str, "Tree | None"]
TYPES_WITH_FIELDS = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
)


def stable_hash(*parts: object) -> int:
    """A hash of ``parts`` that is the same in every process."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def canonical(value: Any) -> str:
    """``value`` as sorted, compact JSON."""
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def field_set_tree(fields: str) -> Tree:
    """A ``@key``/``@requires``/``@provides`` field set as ``{field: subtree or None}``.

    Fields under inline fragments are merged in (their type condition is not kept).
    """
    operation = parse("{" + fields + "}").definitions[0]
    return _tree(operation.selection_set)  # type: ignore[attr-defined]


def _tree(selection_set: SelectionSetNode) -> Tree:
    tree: Tree = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            sub = _tree(selection.selection_set) if selection.selection_set else None
            tree[selection.name.value] = sub
        elif isinstance(selection, InlineFragmentNode):
            tree.update(_tree(selection.selection_set))
    return tree


def _directive_args(node: Any, name: str) -> list[dict[str, str]]:
    found = []
    for directive in node.directives or ():
        if directive.name.value == name:
            found.append(
                {
                    arg.name.value: arg.value.value
                    for arg in directive.arguments or ()
                    if isinstance(arg.value, StringValueNode)
                }
            )
    return found


@dataclass
class FieldRules:
    """What one subgraph's schema says about one field."""

    external: bool = False
    requires: Tree | None = None
    provides: Tree | None = None


@dataclass
class SubgraphModel:
    """The federation directives of one subgraph's schema."""

    name: str
    sdl: str
    document: DocumentNode
    keys: dict[str, list[Tree]] = field(default_factory=dict)
    key_leaves: dict[str, set[str]] = field(default_factory=dict)
    fields: dict[tuple[str, str], FieldRules] = field(default_factory=dict)

    @classmethod
    def read(cls, name: str, sdl: str) -> SubgraphModel:
        """The model of subgraph ``name`` with schema ``sdl``."""
        document = parse(sdl)
        model = cls(name, sdl, document)
        for definition in document.definitions:
            if not isinstance(definition, TYPES_WITH_FIELDS):
                continue
            type_name = definition.name.value
            keys = [
                field_set_tree(args["fields"])
                for args in _directive_args(definition, "key")
                if "fields" in args
            ]
            if keys:
                model.keys.setdefault(type_name, []).extend(keys)
                model.key_leaves.setdefault(type_name, set()).update(
                    name for key in keys for name, sub in key.items() if sub is None
                )
            for field_def in definition.fields or ():
                rules = FieldRules(external=bool(_directive_args(field_def, "external")))
                for args in _directive_args(field_def, "requires"):
                    rules.requires = field_set_tree(args["fields"])
                for args in _directive_args(field_def, "provides"):
                    rules.provides = field_set_tree(args["fields"])
                model.fields[(type_name, field_def.name.value)] = rules
        return model


class World:
    """What every mock of one supergraph shares: which types are entities and their keys."""

    def __init__(self, models: Iterable[SubgraphModel]) -> None:
        self.key_leaves: dict[str, set[str]] = {}
        for model in models:
            for type_name, leaves in model.key_leaves.items():
                self.key_leaves.setdefault(type_name, set()).update(leaves)

    def is_entity(self, type_name: str) -> bool:
        """True when some subgraph declares a ``@key`` on ``type_name``."""
        return type_name in self.key_leaves


@dataclass(frozen=True)
class MockValue:
    """An object value: its concrete type, its seed, and how it was reached."""

    typename: str
    seed: tuple[Any, ...]
    eid: int | None = None
    representation: Mapping[str, Any] | None = None
    provided: Tree | None = None


class MockSubgraph:
    """One subgraph's schema, answering every operation with deterministic values."""

    def __init__(self, model: SubgraphModel, world: World) -> None:
        self.model = model
        self.world = world
        self.schema: GraphQLSchema = build_ast_schema(model.document, assume_valid_sdl=True)

    @property
    def name(self) -> str:
        """The subgraph's name."""
        return self.model.name

    def execute(
        self, query: str, variables: Mapping[str, Any] | None, operation_name: str | None
    ) -> dict[str, Any]:
        """The JSON response to one GraphQL request."""
        result = graphql_sync(
            self.schema,
            query,
            root_value=MockValue("root", ("root",)),
            variable_values=dict(variables or {}),
            operation_name=operation_name,
            field_resolver=self._resolve,
            type_resolver=self._resolve_type,
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body

    @staticmethod
    def _resolve_type(value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType) -> str:
        assert isinstance(value, MockValue)
        return value.typename

    def _resolve(self, parent: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        name = info.field_name
        if name == "_entities":
            return [self._entity(rep) for rep in args["representations"]]
        if name == "_service":
            return {"sdl": self.model.sdl}
        if isinstance(parent, dict):
            return parent.get(name)
        assert isinstance(parent, MockValue)
        type_name = info.parent_type.name
        rules = self.model.fields.get((type_name, name), FieldRules())
        is_key = name in self.model.key_leaves.get(type_name, set())
        if rules.external and not is_key and name not in (parent.provided or {}):
            raise GraphQLError(
                f"[{self.name}] {type_name}.{name} is @external and was not provided here"
            )
        required = ""
        if rules.requires is not None:
            required = self._required(parent, info, name, rules.requires)
        provided = rules.provides
        if provided is None and parent.provided is not None:
            provided = parent.provided.get(name)
        seed = (*parent.seed, name, canonical(args), required)
        return self._value(info.return_type, seed, parent, type_name, name, provided)

    def _required(
        self, parent: MockValue, info: GraphQLResolveInfo, name: str, requires: Tree
    ) -> str:
        """The required values: from the representation, or computed here when provided."""
        type_name = info.parent_type.name
        rep = parent.representation or {}
        values = {}
        for required in requires:
            if required in rep:
                values[required] = rep[required]
            elif parent.provided is not None and required in parent.provided:
                # @provides gave this subgraph the value on this path: the same function of
                # the entity and the field that the subgraph owning it uses.
                field_def = info.parent_type.fields[required]  # type: ignore[union-attr]
                seed = (*parent.seed, required, canonical({}), "")
                values[required] = _plain(
                    self._value(field_def.type, seed, parent, type_name, required, None)
                )
            else:
                raise GraphQLError(
                    f"[{self.name}] {type_name}.{name} @requires {required}, "
                    "which the representation does not carry"
                )
        return canonical(values)

    def _value(
        self,
        return_type: GraphQLOutputType,
        seed: tuple[Any, ...],
        parent: MockValue,
        type_name: str,
        name: str,
        provided: Tree | None,
    ) -> Any:
        is_key = parent.eid is not None and name in self.world.key_leaves.get(type_name, set())
        if isinstance(return_type, GraphQLNonNull):
            inner = return_type.of_type
        else:
            inner = return_type
            if not is_key and stable_hash(seed, "null") % 7 == 0:
                return None
        if isinstance(inner, GraphQLList):
            length = LIST_LENGTHS[stable_hash(seed, "length") % len(LIST_LENGTHS)]
            return [
                self._value(inner.of_type, (*seed, index), parent, type_name, name, provided)
                for index in range(length)
            ]
        if isinstance(inner, GraphQLEnumType):
            values = sorted(inner.values)
            return values[stable_hash(seed) % len(values)] if values else None
        if isinstance(inner, GraphQLScalarType):
            if is_key:
                assert parent.eid is not None
                return _key_leaf(inner.name, name, parent.eid)
            return _leaf(inner.name, name, stable_hash(seed))
        return self._object(inner, seed, provided)

    def _object(self, output: Any, seed: tuple[Any, ...], provided: Tree | None) -> MockValue:
        if isinstance(output, GraphQLObjectType):
            return self._made(output.name, seed, provided)
        candidates = sorted(t.name for t in self.schema.get_possible_types(output))
        if not candidates:
            raise GraphQLError(f"[{self.name}] no type of this subgraph can be a {output.name}")
        if isinstance(output, GraphQLInterfaceType) and output.name in self.model.keys:
            eid = 1 + stable_hash(seed, "eid") % ENTITY_SPACE
            concrete = self._concrete(output.name, eid)
            return MockValue(concrete, ("#", eid), eid, None, provided)
        concrete = candidates[stable_hash(seed, "type") % len(candidates)]
        return self._made(concrete, seed, provided)

    def _made(self, type_name: str, seed: tuple[Any, ...], provided: Tree | None) -> MockValue:
        if self.world.is_entity(type_name):
            eid = 1 + stable_hash(seed, "eid") % ENTITY_SPACE
            return MockValue(type_name, ("#", eid), eid, None, provided)
        return MockValue(type_name, seed, None, None, provided)

    def _concrete(self, interface: str, eid: int) -> str:
        """The one concrete type entity ``eid`` of an entity interface has in this subgraph."""
        abstract = self.schema.get_type(interface)
        assert isinstance(abstract, GraphQLInterfaceType)
        candidates = sorted(t.name for t in self.schema.get_possible_types(abstract))
        if not candidates:
            raise GraphQLError(f"[{self.name}] interface {interface} has no implementation here")
        return candidates[eid % len(candidates)]

    def _entity(self, rep: Any) -> MockValue | None:
        if not isinstance(rep, dict) or not isinstance(rep.get("__typename"), str):
            raise GraphQLError(f"[{self.name}] a representation without __typename: {rep!r}")
        type_name = rep["__typename"]
        keys = self.model.keys.get(type_name)
        schema_type = self.schema.get_type(type_name)
        if not keys or schema_type is None:
            raise GraphQLError(f"[{self.name}] {type_name} is not an entity of this subgraph")
        matching = [key for key in keys if all(f in rep for f in key)]
        if not matching:
            raise GraphQLError(
                f"[{self.name}] the representation {canonical(rep)} has no key of {type_name}"
            )
        eid = self._eid(matching[0], rep)
        if (eid + len(self.name)) % 11 == 0:
            return None
        if isinstance(schema_type, GraphQLInterfaceType):
            return MockValue(self._concrete(type_name, eid), ("#", eid), eid, rep)
        return MockValue(type_name, ("#", eid), eid, rep)

    @staticmethod
    def _eid(key: Tree, rep: Mapping[str, Any]) -> int:
        for name, sub in key.items():
            value = rep[name]
            if sub is not None:
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, float):
                return int(value)
            if isinstance(value, str) and (match := TRAILING_DIGITS.search(value)):
                return int(match.group(1))
        return 1 + stable_hash(canonical({f: rep[f] for f in key})) % ENTITY_SPACE


def _plain(value: Any) -> Any:
    """A computed value as the JSON a representation would carry (leaves only)."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, MockValue):
        raise GraphQLError("the mock computes only leaf values it was provided")
    return value


def _key_leaf(scalar: str, name: str, eid: int) -> Any:
    if scalar == "Int":
        return eid
    if scalar == "Float":
        return float(eid)
    if scalar == "Boolean":
        return eid % 2 == 0
    return f"{name}{eid}"


def _leaf(scalar: str, name: str, hashed: int) -> Any:
    if scalar == "Int":
        return hashed % 100
    if scalar == "Float":
        return (hashed % 1000) / 4
    if scalar == "Boolean":
        return hashed % 2 == 0
    return f"{name}-{hashed % 10000}"


def mocks_of(subgraph_sdls: Mapping[str, str]) -> dict[str, MockSubgraph]:
    """A mock per subgraph of one supergraph, sharing one :class:`World`."""
    models = [SubgraphModel.read(name, sdl) for name, sdl in subgraph_sdls.items()]
    world = World(models)
    return {model.name: MockSubgraph(model, world) for model in models}
