"""Parse and validate a client operation once; the result is cached with its plan.

Errors carry Apollo Server's codes: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, and
BAD_REQUEST when the operation to run cannot be chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)

Phase = Literal["request", "parse", "validate"]


@dataclass(frozen=True)
class PreparedOperation:
    """A parsed, validated operation ready to plan and shape."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]

    @property
    def kind(self) -> str:
        """query, mutation or subscription."""
        return self.operation.operation.value

    @property
    def name(self) -> str | None:
        """The operation's name, if it has one."""
        return self.operation.name.value if self.operation.name else None


class OperationError(Exception):
    """The request's operation cannot run; ``errors`` are client-facing GraphQL errors."""

    def __init__(self, phase: Phase, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else phase)
        self.phase = phase
        self.errors = errors


def _formatted(error: GraphQLError, code: str) -> dict[str, Any]:
    out = error.formatted
    out["extensions"] = {**(out.get("extensions") or {}), "code": code}
    return dict(out)


def prepare(schema: GraphQLSchema, query: str, operation_name: str | None) -> PreparedOperation:
    """Parse, validate and select the operation; raises OperationError."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise OperationError("parse", [_formatted(error, "GRAPHQL_PARSE_FAILED")]) from None
    problems = validate(schema, document)
    if problems:
        raise OperationError(
            "validate", [_formatted(e, "GRAPHQL_VALIDATION_FAILED") for e in problems]
        )
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        chosen = [o for o in operations if o.name and o.name.value == operation_name]
        if not chosen:
            message = f'Unknown operation named "{operation_name}".'
            raise OperationError(
                "request", [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
            )
    elif len(operations) > 1:
        message = "Must provide operation name if query contains multiple operations."
        raise OperationError(
            "request", [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
        )
    else:
        chosen = operations
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return PreparedOperation(document, chosen[0], fragments)
