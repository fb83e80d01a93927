"""Errors a client may see, each with a stable ``extensions.code``.

Resolvers raise a ``PublicError`` subclass for anything the caller can act on. The
``ErrorCodes`` schema extension gives every error in a response a code and hides the
details of anything else: the client sees a request id, the log holds the trace.
Codes follow Apollo Server's (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
BAD_USER_INPUT, INTERNAL_SERVER_ERROR) so a router can pass them through unchanged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from graphql.validation import ValuesOfCorrectTypeRule
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from subgraphs.common.logging import current_request

logger = logging.getLogger("fedtasks.subgraphs")

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
CONFLICT = "CONFLICT"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class PublicError(Exception):
    """An error whose message is meant for the client."""

    code = INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(PublicError):
    """The caller sent a value the API cannot accept (``field`` names which)."""

    code = BAD_USER_INPUT


class NotFound(PublicError):
    """The caller named an object that does not exist."""

    code = NOT_FOUND


class Conflict(PublicError):
    """The request clashes with data already stored (a duplicate email, say)."""

    code = CONFLICT


class Unauthenticated(PublicError):
    """The operation needs a signed-in caller and there is none (or the sign-in failed)."""

    code = UNAUTHENTICATED


class Forbidden(PublicError):
    """The caller is signed in but may not do this."""

    code = FORBIDDEN


class BadValueRule(ValuesOfCorrectTypeRule):
    """graphql-core's value rule, reporting its errors as BAD_USER_INPUT.

    A wrong literal (an unknown enum value, a string for an Int) is bad user input
    rather than a malformed operation, as Apollo Server reports a wrong variable value.
    """

    def report_error(self, error: GraphQLError) -> None:
        """Tag the error with BAD_USER_INPUT before reporting it."""
        error.extensions = {**(error.extensions or {}), "code": BAD_USER_INPUT}
        super().report_error(error)


# SQLSTATE classes of a server that is going away or not there yet: 08 connection
# exception, 57 operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03
# "the database system is starting up" or "shutting down"). PostgreSQL, Appendix A.
UNAVAILABLE_SQLSTATE_CLASSES = ("08", "57")


def _is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database could not be reached or timed out."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        sqlstate = getattr(error.orig, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(UNAVAILABLE_SQLSTATE_CLASSES):
            return True
        error = error.orig or error
    return isinstance(error, (OSError, TimeoutError, PoolTimeoutError))


class CodedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, tagging variable coercion errors BAD_USER_INPUT.

    graphql-core reports a variable of the wrong type from ``build`` (GraphQL spec,
    CoerceVariableValues); Apollo Server gives those BAD_USER_INPUT.
    """

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        """Build the executor, or tag the coercion errors that prevent it."""
        built = super().build(*args, **kwargs)
        if isinstance(built, list):
            for error in built:
                error.extensions = {**(error.extensions or {}), "code": BAD_USER_INPUT}
        return built


class ErrorCodes(SchemaExtension):
    """Give every error a stable code; mask internal errors behind a request id."""

    def on_operation(self) -> Iterator[None]:
        """Check values with ``BadValueRule``; rewrite the result's errors once it has run."""
        context = self.execution_context
        context.validation_rules = tuple(
            BadValueRule if rule is ValuesOfCorrectTypeRule else rule
            for rule in context.validation_rules
        )
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        result.errors = [_with_code(error) for error in errors]  # type: ignore[union-attr]


def _with_code(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, PublicError):
        return _copy(error, original.message, {**original.extensions, "code": original.code})
    if original is not None and not isinstance(original, GraphQLError):
        # The router's request id when it sent one: the client, the router's log and this
        # log then name the same request.
        request = current_request()
        request_id = request.request_id if request is not None else uuid.uuid4().hex
        if _is_unavailable(original):
            logger.warning("database unavailable (request %s): %s", request_id, original)
            return _copy(
                error,
                "The service's database is unavailable; try again shortly.",
                {"code": SERVICE_UNAVAILABLE, "requestId": request_id},
            )
        logger.error("internal error (request %s)", request_id, exc_info=original)
        return _copy(
            error,
            "Internal server error.",
            {"code": INTERNAL_SERVER_ERROR, "requestId": request_id},
        )
    extensions = dict(error.extensions or {})
    if "code" not in extensions:
        if isinstance(error, GraphQLSyntaxError):
            extensions["code"] = PARSE_FAILED
        elif error.path is None:
            extensions["code"] = VALIDATION_FAILED
        else:
            # graphql-core's own errors at a path (a null in a non-null field).
            extensions["code"] = INTERNAL_SERVER_ERROR
    return _copy(error, error.message, extensions)


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
