"""Subgraph introspection (``__schema``, ``__type``) is off in production mode.

The router composes from ``_service { sdl }``, which stays available; only the generic
introspection fields are refused (graphql-core's ``NoSchemaIntrospectionCustomRule``,
GRAPHQL_VALIDATION_FAILED). The request context says whether this app allows them.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension


class IntrospectionPolicy(SchemaExtension):
    """Add the no-introspection rule when the request context turns introspection off."""

    def on_operation(self) -> Iterator[None]:
        """Pick the validation rules before the operation is validated."""
        context = self.execution_context
        if getattr(context.context, "introspection", True) is False:
            context.validation_rules = (*context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield
