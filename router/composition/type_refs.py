"""Type references (``[Int!]!``) and the subtyping rules merging uses.

Output positions merge to the most general type the subgraphs agree on (``Int`` and
``Int!`` give ``Int``), input positions to the most specific (``Int!``): FED
composition-js/src/merging/merge.ts, mergeTypeReference.
"""

from __future__ import annotations

from graphql import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode, print_ast


def render(type_node: TypeNode) -> str:
    """The reference as SDL text."""
    return print_ast(type_node)


def named(type_node: TypeNode) -> str:
    """The named type at the bottom of the reference."""
    while isinstance(type_node, (NonNullTypeNode, ListTypeNode)):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


def _nullable(type_node: TypeNode) -> TypeNode:
    return type_node.type if isinstance(type_node, NonNullTypeNode) else type_node


def is_subtype(sub: TypeNode, sup: TypeNode, implements: dict[str, set[str]] | None = None) -> bool:
    """Whether every value of ``sub`` is a value of ``sup`` (nullability and lists).

    ``implements`` maps an abstract type to the types below it, for output fields whose
    subgraphs return an implementation of the supergraph's interface or union.
    """
    if isinstance(sup, NonNullTypeNode):
        return isinstance(sub, NonNullTypeNode) and is_subtype(sub.type, sup.type, implements)
    sub = _nullable(sub)
    if isinstance(sup, ListTypeNode):
        return isinstance(sub, ListTypeNode) and is_subtype(sub.type, sup.type, implements)
    if isinstance(sub, NamedTypeNode) and isinstance(sup, NamedTypeNode):
        if sub.name.value == sup.name.value:
            return True
        return implements is not None and sub.name.value in implements.get(sup.name.value, set())
    return False


def most_general(
    types: list[TypeNode], implements: dict[str, set[str]] | None = None
) -> TypeNode | None:
    """The type every other is a subtype of (output merging), or None if there is none."""
    for candidate in types:
        if all(is_subtype(other, candidate, implements) for other in types):
            return candidate
    return None


def most_specific(types: list[TypeNode]) -> TypeNode | None:
    """The type that is a subtype of every other (input merging), or None if there is none."""
    for candidate in types:
        if all(is_subtype(candidate, other) for other in types):
            return candidate
    return None


def folded_output_type(
    types: list[TypeNode], implements: dict[str, set[str]] | None = None
) -> TypeNode:
    """The merged type Apollo keeps for an output field even when the types are incompatible.

    Apollo folds the subgraphs' types in order: a more general type replaces the current
    one, a subtype or an incompatible type leaves it (FED merge.ts mergeTypeReference).
    """
    current = types[0]
    for candidate in types[1:]:
        if render(candidate) == render(current) or is_subtype(current, candidate, implements):
            current = candidate
    return current
