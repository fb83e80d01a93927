"""The planner's view of a supergraph: which subgraphs define each type and resolve each field.

Immutable, built once per supergraph by ``reader.read_supergraph`` and shared by every
request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, GraphQLUnionType

TypeKind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass(frozen=True)
class Key:
    """An @key of a type in one subgraph."""

    fields: str
    resolvable: bool = True


@dataclass(frozen=True)
class TypeInGraph:
    """How one subgraph defines a type."""

    graph: str
    keys: tuple[Key, ...] = ()
    interface_object: bool = False

    @property
    def resolvable_keys(self) -> tuple[Key, ...]:
        """The keys through which other subgraphs can fetch this type here."""
        return tuple(k for k in self.keys if k.resolvable)


@dataclass(frozen=True)
class FieldInGraph:
    """How one subgraph declares a field (one @join__field, or implied by @join__type)."""

    graph: str
    requires: str | None = None
    provides: str | None = None
    external: bool = False
    # The subgraph this one took the field over from (@override(from:)).
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False
    # The field's type in this subgraph when it differs from the supergraph's.
    type: str | None = None


@dataclass(frozen=True)
class FieldInfo:
    """A field of an object or interface type and its declarations per subgraph."""

    name: str
    type: str
    declarations: tuple[FieldInGraph, ...]
    # Set for fields only inherited through an @interfaceObject (bare @join__field).
    interface_object_only: bool = False


@dataclass(frozen=True)
class TypeInfo:
    """A named type of the supergraph."""

    name: str
    kind: TypeKind
    graphs: dict[str, TypeInGraph] = field(default_factory=dict)
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    # Interfaces implemented, per subgraph (object and interface types).
    implements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Members, per subgraph (union types).
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Supergraph:
    """A loaded supergraph: subgraph URLs, the API schema and the planner's model."""

    sdl: str
    hash: str
    urls: dict[str, str]
    types: dict[str, TypeInfo]
    roots: dict[str, str]
    api_schema: GraphQLSchema

    def possible_types(self, name: str) -> list[str]:
        """The object types a value of type ``name`` can be, in the API schema."""
        schema_type = self.api_schema.get_type(name)
        if isinstance(schema_type, GraphQLObjectType):
            return [name]
        if isinstance(schema_type, (GraphQLInterfaceType, GraphQLUnionType)):
            return [t.name for t in self.api_schema.get_possible_types(schema_type)]
        return []
