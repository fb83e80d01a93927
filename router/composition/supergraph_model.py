"""The merged supergraph, ready to print: types with their directive applications in order.

Directive applications are kept as printed text (``@join__field(graph: A)``) in the order
Apollo's merge adds them, so the printer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ConstValueNode, TypeNode

from router.composition.model import TypeKind


@dataclass
class MergedInput:
    """A merged argument or input field."""

    name: str
    type: TypeNode
    default: ConstValueNode | None = None
    description: str | None = None
    directives: list[str] = field(default_factory=list)


@dataclass
class MergedField:
    """A merged field of an object or interface."""

    name: str
    type: TypeNode
    args: dict[str, MergedInput] = field(default_factory=dict)
    description: str | None = None
    directives: list[str] = field(default_factory=list)


@dataclass
class MergedEnumValue:
    """A merged enum value."""

    name: str
    description: str | None = None
    directives: list[str] = field(default_factory=list)


@dataclass
class MergedType:
    """A merged named type."""

    name: str
    kind: TypeKind
    description: str | None = None
    directives: list[str] = field(default_factory=list)
    fields: dict[str, MergedField] = field(default_factory=dict)
    input_fields: dict[str, MergedInput] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, MergedEnumValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Graph:
    """A subgraph as the supergraph names it: join__Graph value, name and URL."""

    enum_value: str
    name: str
    url: str


@dataclass
class MergedSupergraph:
    """Everything the printer needs."""

    graphs: list[Graph]
    join_version: tuple[int, int]
    roots: dict[str, str]
    types: dict[str, MergedType]
    # Extra @link applications on the schema (tag, inaccessible, composed directives).
    links: list[str] = field(default_factory=list)
    # Extra directive definitions, printed (tag, inaccessible, composed directives).
    directive_definitions: dict[str, str] = field(default_factory=dict)
    # Extra types, printed (the scalars of requiresScopes and policy).
    extra_types: dict[str, str] = field(default_factory=dict)
