"""The root fields of an operation, with root-level fragments flattened."""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)


def root_fields(
    selections: tuple[SelectionNode, ...], fragments: dict[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """Root fields with root-level fragments flattened (their directives move onto fields)."""
    fields: list[FieldNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = tuple(selection.selection_set.selections)
        elif isinstance(selection, FragmentSpreadNode):
            inner = tuple(fragments[selection.name.value].selection_set.selections)
        else:
            continue
        directives = tuple(selection.directives or ())
        for field in root_fields(inner, fragments):
            fields.append(
                FieldNode(
                    alias=field.alias,
                    name=field.name,
                    arguments=field.arguments,
                    directives=(*directives, *(field.directives or ())),
                    selection_set=field.selection_set,
                )
            )
    return fields
