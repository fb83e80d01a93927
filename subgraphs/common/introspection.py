"""Subgraph introspection (``__schema``, ``__type``) is off in production mode.

The router composes from ``_service { sdl }``, which stays available; only the generic
introspection fields are refused (graphql-core's ``NoSchemaIntrospectionCustomRule``,
GRAPHQL_VALIDATION_FAILED). The request context says whether this app allows them.

With introspection off, validation errors lose their "Did you mean ...?" suggestions too:
they name fields, arguments and types the caller did not ask for, which is what turning
introspection off hides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
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

    def on_validate(self) -> Iterator[None]:
        """Drop suggestions from validation errors when introspection is off."""
        yield
        context = self.execution_context
        errors = context.pre_execution_errors
        if errors and getattr(context.context, "introspection", True) is False:
            # In place: Strawberry has already put this list in the result it returns.
            errors[:] = [_without_suggestion(e) for e in errors]


SUGGESTION = re.compile(r" Did you mean .*\?$", re.DOTALL)


def _without_suggestion(error: GraphQLError) -> GraphQLError:
    """``error`` with its "Did you mean ...?" sentence removed."""
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, None, error.extensions
    )
