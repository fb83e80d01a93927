"""Field sets (the ``fields`` of @key, @requires, @provides): parse, normalise, walk."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    SelectionSetNode,
    parse,
    print_ast,
)
from graphql.language import OperationDefinitionNode


class FieldSetSyntaxError(ValueError):
    """The field set is not a valid selection set."""


def parse_field_set(fields: str) -> SelectionSetNode:
    """The selection set that ``fields`` spells (without the outer braces)."""
    try:
        document = parse("{" + fields + "}", no_location=True)
    except GraphQLSyntaxError as error:
        raise FieldSetSyntaxError(error.message) from None
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def normalise(fields: str) -> str:
    """The field set printed the way composition prints it: ``id org { id }``."""
    return print_selections(parse_field_set(fields))


def print_selections(selection_set: SelectionSetNode) -> str:
    """Selections on one line, separated by spaces."""
    parts = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            text = selection.name.value
            if selection.alias:
                text = f"{selection.alias.value}: {text}"
            if selection.arguments:
                args = ", ".join(
                    f"{arg.name.value}: {print_ast(arg.value)}" for arg in selection.arguments
                )
                text += f"({args})"
            if selection.directives:
                text += " " + " ".join(print_ast(d) for d in selection.directives)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            text = "..." + (f" on {condition.name.value}" if condition else "")
        else:
            text = print_ast(selection)
        if getattr(selection, "selection_set", None):
            text += " { " + print_selections(selection.selection_set) + " }"  # type: ignore[attr-defined]
        parts.append(text)
    return " ".join(parts)


def top_level_fields(selection_set: SelectionSetNode) -> Iterator[FieldNode]:
    """The fields selected directly (not inside fragments)."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
