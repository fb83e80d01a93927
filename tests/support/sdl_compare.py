"""Compare GraphQL SDLs semantically: the same definitions, in any order.

:func:`canonical_sdl` parses an SDL (parsing only: unknown directives such as the supergraph's
``@join__*`` are fine) and prints it with every order-insensitive list sorted, so two SDLs that
differ only in the order of their definitions, fields, arguments, enum values, union members,
implemented interfaces or directive applications print the same. Descriptions are kept.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
from typing import Any, TypeVar, cast

from graphql import parse, print_ast
from graphql.language import ast

_N = TypeVar("_N", bound=ast.Node)

_FIELD_LISTS: dict[type[ast.Node], tuple[str, ...]] = {
    ast.ObjectTypeDefinitionNode: ("fields",),
    ast.ObjectTypeExtensionNode: ("fields",),
    ast.InterfaceTypeDefinitionNode: ("fields",),
    ast.InterfaceTypeExtensionNode: ("fields",),
    ast.InputObjectTypeDefinitionNode: ("fields",),
    ast.InputObjectTypeExtensionNode: ("fields",),
    ast.EnumTypeDefinitionNode: ("values",),
    ast.EnumTypeExtensionNode: ("values",),
    ast.FieldDefinitionNode: ("arguments",),
    ast.DirectiveDefinitionNode: ("arguments", "locations"),
    ast.DirectiveNode: ("arguments",),
    ast.ObjectValueNode: ("fields",),
}
"""Per node type, the child lists sorted by their elements' names."""

_NAMED_TYPE_LISTS = ("interfaces", "types")
"""Lists of named types (implemented interfaces, union members), sorted by name."""


def _name_of(node: ast.Node) -> str:
    if isinstance(node, ast.NameNode):
        return node.value
    name = getattr(node, "name", None)
    if isinstance(name, ast.NameNode):
        return name.value
    return ""


def _replace(node: _N, changes: dict[str, Any]) -> _N:
    """A copy of ``node`` with ``changes`` (graphql-core 3.3 nodes are frozen dataclasses)."""
    if not changes:
        return node
    if dataclasses.is_dataclass(node):
        replaced: _N = dataclasses.replace(cast(Any, node), **changes)
        return replaced
    clone = copy.copy(node)  # graphql-core 3.2: plain mutable nodes
    for key, value in changes.items():
        setattr(clone, key, value)
    return clone


def _sorted_children(node: ast.Node, changes: dict[str, Any]) -> None:
    """Add to ``changes`` the sorted versions of ``node``'s order-insensitive lists."""

    def current(attr: str) -> Any:
        return changes.get(attr, getattr(node, attr, None))

    by_name = _FIELD_LISTS.get(type(node), ())
    for attr in (*by_name, *_NAMED_TYPE_LISTS):
        items = current(attr)
        if items:
            changes[attr] = tuple(sorted(items, key=_name_of))
    if isinstance(node, ast.SchemaDefinitionNode | ast.SchemaExtensionNode):
        ops = current("operation_types") or ()
        changes["operation_types"] = tuple(sorted(ops, key=lambda op: op.operation.value))
    directives = current("directives")
    if directives:
        changes["directives"] = tuple(sorted(directives, key=print_ast))


def _canonical(node: _N) -> _N:
    """``node`` with its order-insensitive lists sorted, bottom-up."""
    changes: dict[str, Any] = {}
    for key in node.keys:
        child = getattr(node, key, None)
        if key == "loc":
            if child is not None:
                changes[key] = None
        elif isinstance(child, ast.Node):
            changes[key] = _canonical(child)
        elif isinstance(child, list | tuple):
            changes[key] = tuple(_canonical(i) if isinstance(i, ast.Node) else i for i in child)
    description = changes.get("description")
    if isinstance(description, ast.StringValueNode):
        # "x" and """x""" describe alike; other strings print as plain strings.
        changes["description"] = _replace(description, {"block": True})
    elif isinstance(node, ast.StringValueNode):
        changes["block"] = False
    _sorted_children(node, changes)
    return _replace(node, changes)


def _definition_key(definition: ast.Node) -> tuple[str, str, str]:
    return (definition.kind, _name_of(definition), print_ast(definition))


def canonical_sdl(sdl: str) -> str:
    """``sdl`` printed in a canonical, order-insensitive form (see the module docstring)."""
    document = parse(sdl, no_location=True)
    definitions = sorted((_canonical(d) for d in document.definitions), key=_definition_key)
    return print_ast(_replace(document, {"definitions": tuple(definitions)})) + "\n"


def assert_same_sdl(actual: str, expected: str) -> None:
    """Fail with a unified diff of the canonical forms unless the SDLs are equivalent."""
    canonical_actual = canonical_sdl(actual)
    canonical_expected = canonical_sdl(expected)
    if canonical_actual == canonical_expected:
        return
    diff = difflib.unified_diff(
        canonical_expected.splitlines(keepends=True),
        canonical_actual.splitlines(keepends=True),
        fromfile="expected (canonical)",
        tofile="actual (canonical)",
    )
    raise AssertionError("SDLs differ:\n" + "".join(diff))
