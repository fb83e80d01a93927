"""Parse and validate a client operation once; the result is cached with its plan.

Errors carry Apollo Server's codes: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, and
BAD_REQUEST when the operation to run cannot be chosen; an operation over one of the
router's limits gets that limit's code (:mod:`router.operation.limits`,
:mod:`router.operation.limits_precheck` for those measured before validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

from router.observability.tracing import stage
from router.operation.limits import MAX_TOKENS_EXCEEDED, NO_LIMITS, LimitExceeded, OperationLimits
from router.operation.limits_check import enforce
from router.operation.limits_cost import UNLIMITED, CostCheck
from router.operation.limits_precheck import check_document_size, precheck

Phase = Literal["request", "parse", "validate"]


@dataclass(frozen=True)
class PreparedOperation:
    """A parsed, validated operation ready to plan and shape."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    # The cost still to check for each request's variables (limits.py).
    cost: CostCheck = field(default=UNLIMITED)

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


def prepare(
    schema: GraphQLSchema,
    query: str,
    operation_name: str | None,
    limits: OperationLimits = NO_LIMITS,
) -> PreparedOperation:
    """Parse, validate, select the operation and hold it to ``limits``; raises OperationError.

    Every measure taken before validation is linear in the document (size, tokens, then
    limits_precheck.py), so a document too large to validate is refused before it is.
    """
    oversized = check_document_size(query, limits)
    if oversized is not None:
        raise OperationError("parse", [oversized.error])
    # At most max_tokens tokens (and as many comments) are read: graphql-core stops there.
    tokens = limits.max_tokens
    try:
        with stage("graphql.parse"):
            document = parse(query, max_lexical_tokens=tokens, max_comments=tokens)
    except GraphQLError as error:
        raise OperationError("parse", [_parse_failure(error, tokens)]) from None
    # Raised inside the span, which records the refusal as its error.
    with stage("graphql.validate"):
        try:
            precheck(document, limits)
        except LimitExceeded as refusal:
            raise OperationError("validate", [refusal.error]) from None
        # With introspection off, no "Did you mean ...?": it names what introspection hides.
        problems = validate(schema, document, hide_suggestions=not limits.introspection)
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
    try:
        cost = enforce(schema, chosen[0], fragments, limits)
    except LimitExceeded as refusal:
        raise OperationError("validate", [refusal.error]) from None
    return PreparedOperation(document, chosen[0], fragments, cost)


def _parse_failure(error: GraphQLError, max_tokens: int | None) -> dict[str, Any]:
    """The client's error for a document that did not parse: too long, or a syntax error."""
    if max_tokens is not None and error.message.startswith(
        "Syntax Error: Document contains more than"
    ):
        message = f"Operation tokens: more than the limit of {max_tokens}."
        return {"message": message, "extensions": {"code": MAX_TOKENS_EXCEEDED}}
    return _formatted(error, "GRAPHQL_PARSE_FAILED")
