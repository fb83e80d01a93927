"""Field sets of @key, @requires and @provides as selections, parsed once each."""

from __future__ import annotations

from functools import lru_cache

from graphql import OperationDefinitionNode, SelectionNode, parse


@lru_cache(maxsize=4096)
def field_set_selections(fields: str) -> tuple[SelectionNode, ...]:
    """The selections a field set spells (without the outer braces)."""
    operation = parse("{" + fields + "}", no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return tuple(operation.selection_set.selections)
