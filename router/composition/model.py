"""The subgraph model composition works on: types, fields and directive applications.

Built from a subgraph's SDL by ``subgraph.py`` with federation directives under their
spec names (``key``, ``requires``...) whatever the subgraph imported them as, so later
stages never deal with ``@link`` renames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import ConstValueNode, TypeNode, print_ast

TypeKind = Literal["object", "interface", "union", "enum", "input", "scalar"]
ROOT_OPERATIONS = ("query", "mutation", "subscription")
DEFAULT_ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


@dataclass
class Applied:
    """A directive application: its name (spec name for federation ones) and arguments."""

    name: str
    args: dict[str, Any]
    arg_nodes: dict[str, ConstValueNode] = field(default_factory=dict)

    def printed_args(self) -> str:
        """The arguments as SDL, in their written order: ``(a: 1, b: "x")`` or ``""``."""
        if not self.arg_nodes:
            return ""
        inner = ", ".join(f"{name}: {print_ast(node)}" for name, node in self.arg_nodes.items())
        return f"({inner})"


@dataclass
class InputValue:
    """An argument or an input field."""

    name: str
    type: TypeNode
    default: ConstValueNode | None = None
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)


@dataclass
class FieldDef:
    """A field of an object or interface type."""

    name: str
    type: TypeNode
    args: dict[str, InputValue] = field(default_factory=dict)
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)

    def applied(self, name: str) -> list[Applied]:
        """The applications of the directive ``name``."""
        return [d for d in self.directives if d.name == name]

    def has(self, name: str) -> bool:
        """Whether the directive ``name`` is applied."""
        return any(d.name == name for d in self.directives)


@dataclass
class EnumValue:
    """A value of an enum type."""

    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)


@dataclass
class TypeDef:
    """A named type of a subgraph, with its extensions folded in."""

    name: str
    kind: TypeKind
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    input_fields: dict[str, InputValue] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, EnumValue] = field(default_factory=dict)
    # Declared only through `extend type` (or @extends), never as a definition.
    extension: bool = False
    # Directives that came from an `extend` clause (a Fed1 `extend type X @key`).
    extension_directives: list[Applied] = field(default_factory=list)

    def applied(self, name: str) -> list[Applied]:
        """The applications of the directive ``name``."""
        return [d for d in self.directives if d.name == name]

    def has(self, name: str) -> bool:
        """Whether the directive ``name`` is applied."""
        return any(d.name == name for d in self.directives)


@dataclass
class DirectiveDef:
    """A custom directive definition kept for @composeDirective and executable directives."""

    name: str
    args: dict[str, InputValue]
    locations: list[str]
    repeatable: bool
    description: str | None = None


@dataclass
class Subgraph:
    """One subgraph, parsed: its types, roots, federation version and custom directives."""

    name: str
    url: str
    types: dict[str, TypeDef]
    roots: dict[str, str]
    # (major, minor) of the federation spec it links; None for a Federation 1 subgraph.
    federation_version: tuple[int, int] | None
    directive_defs: dict[str, DirectiveDef] = field(default_factory=dict)
    # Custom directives this subgraph asks to keep (@composeDirective), by name.
    composed_directives: list[str] = field(default_factory=list)
    # Links to specs other than federation and link, as (url, imported names).
    other_links: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def is_fed1(self) -> bool:
        """Whether this is a Federation 1 subgraph (no @link to the federation spec)."""
        return self.federation_version is None

    def root_of(self, type_name: str) -> str | None:
        """The operation (query, mutation...) whose root is ``type_name``, if any."""
        for operation, name in self.roots.items():
            if name == type_name:
                return operation
        return None
