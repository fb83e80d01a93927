"""The client's selections at one level of the walk: response names, fields and types.

GraphQL merges the fields of one response name across a level's fragments, so a field the
planner adds (a key, a required field) may share a response name with the client's only
when it is the same field, with the same arguments and type, as every client field under
that name; otherwise it is fetched under an internal alias. And the sub-selections of
fields merged under one name share one level below.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    print_ast,
)

from router.supergraph.model import Supergraph

ClientNames = dict[str, set[str]]
"""Response name -> the typed signatures of the client's fields under it."""


def signature(node: FieldNode) -> str:
    """A field's name and arguments: ``name(arg:value,...)``."""
    args = ",".join(f"{a.name.value}:{print_ast(a.value)}" for a in node.arguments or ())
    return f"{node.name.value}({args})"


class ClientLevels:
    """Reads the client's levels of one operation (its fragments are known)."""

    def __init__(
        self, supergraph: Supergraph, fragments: dict[str, FragmentDefinitionNode]
    ) -> None:
        self.supergraph = supergraph
        self.fragments = fragments

    def names(self, type_name: str, selections: Sequence[SelectionNode]) -> ClientNames:
        """Response names the client selects at this level, with their typed signatures."""
        names: ClientNames = {}
        for parent, node in self._fields(type_name, selections):
            response = node.alias.value if node.alias else node.name.value
            names.setdefault(response, set()).add(self.typed(parent, node))
        return names

    def merged(
        self, type_name: str, selections: Sequence[SelectionNode]
    ) -> dict[str, list[FieldNode]]:
        """The client's fields at this level by response name, through fragments."""
        merged: dict[str, list[FieldNode]] = {}
        for _, node in self._fields(type_name, selections):
            response = node.alias.value if node.alias else node.name.value
            merged.setdefault(response, []).append(node)
        return merged

    def typed(self, type_name: str, node: FieldNode) -> str:
        """The field's signature and its type on ``type_name``."""
        info = self.supergraph.types.get(type_name)
        found = info.fields.get(node.name.value) if info else None
        return f"{signature(node)}:{found.type if found else ''}"

    def _fields(
        self, type_name: str, selections: Sequence[SelectionNode]
    ) -> list[tuple[str, FieldNode]]:
        """``(parent type, field)`` of the fields at this level, fragments flattened."""
        found: list[tuple[str, FieldNode]] = []
        for selection in selections:
            if isinstance(selection, FieldNode):
                found.append((type_name, selection))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = condition.name.value if condition else type_name
                found += self._fields(inner, selection.selection_set.selections)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                inner = fragment.type_condition.name.value
                found += self._fields(inner, fragment.selection_set.selections)
        return found
