"""Field sets (the ``fields`` of @key, @requires, @provides) as selection sets."""

from __future__ import annotations

from graphql import (
    GraphQLSyntaxError,
    SelectionSetNode,
    parse,
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
