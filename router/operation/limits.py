"""Operation limits: what one client operation may ask for before the router plans it.

Each limit is refused with a GraphQL error of its own ``extensions.code`` whose message
names the limit: depth (MAX_DEPTH_EXCEEDED), aliases (MAX_ALIASES_EXCEEDED), root fields
(MAX_ROOT_FIELDS_EXCEEDED), lexical tokens (MAX_TOKENS_EXCEEDED, enforced by graphql-core's
parser while it reads, so an oversized document is never fully parsed) and list-size-aware
cost (MAX_COST_EXCEEDED, :mod:`router.operation.limits_cost`). With introspection off,
``__schema`` and ``__type`` are refused with INTROSPECTION_DISABLED (``__typename`` is
always answered).

The checks run once per operation, after validation (so the document is known to be
well-formed, its fragments acyclic and its nesting bounded by graphql-core) and before
planning, and their verdict is cached with the prepared operation: a refused operation is
never planned. Only a cost that reads variables (``first: $n``) is evaluated again for
each request, from a compiled expression, once its variables are coerced.

Fragments count where they are spread, as if inlined: a fragment spread twice counts its
aliases, fields and cost twice, and its depth adds to the spread's.

Introspection (a decision): the subtrees of ``__schema`` and ``__type`` count for neither
depth nor cost. The router answers them from the API schema in process (no subgraph is
called), and GraphiQL's own introspection query is 15 levels deep, which a depth limit
meant for data would otherwise refuse. Their size is bounded instead by validation
(graphql-core's ``MaxIntrospectionDepthRule``, a specified rule since graphql-js 16.10:
no ``fields``, ``interfaces``, ``possibleTypes`` or ``inputFields`` nested three deep, the
pattern of exponential introspection queries; GRAPHQL_VALIDATION_FAILED), by the token
limit, and in production by introspection being off. Aliases and root fields count
introspection fields like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

MAX_DEPTH_EXCEEDED: Final = "MAX_DEPTH_EXCEEDED"
MAX_ALIASES_EXCEEDED: Final = "MAX_ALIASES_EXCEEDED"
MAX_ROOT_FIELDS_EXCEEDED: Final = "MAX_ROOT_FIELDS_EXCEEDED"
MAX_TOKENS_EXCEEDED: Final = "MAX_TOKENS_EXCEEDED"
MAX_COST_EXCEEDED: Final = "MAX_COST_EXCEEDED"
INTROSPECTION_DISABLED: Final = "INTROSPECTION_DISABLED"

INTROSPECTION_FIELDS: Final = frozenset({"__schema", "__type"})
"""Root fields the router answers from the API schema, and which introspection turns off."""

DEFAULT_LIST_SIZE: Final = 20
"""How many items the cost model expects from a list whose size no argument gives."""


@dataclass(frozen=True)
class OperationLimits:
    """The limits one router applies to every operation; None means no limit.

    The defaults are no limits and introspection on (the library stays permissive); the
    ``fedtasks router`` command sets the safe ones (router/server/safety_config.py).
    """

    max_depth: int | None = None
    max_aliases: int | None = None
    max_root_fields: int | None = None
    max_tokens: int | None = None
    max_cost: int | None = None
    default_list_size: int = DEFAULT_LIST_SIZE
    introspection: bool = True
    # Measured before validation (limits_precheck.py).
    max_document_bytes: int | None = None
    max_selections: int | None = None
    max_fields: int | None = None
    # Seconds a document seen for the first time may take to parse, validate and plan
    # (router/operation/deadline.py); None: no deadline, the work runs where it is called.
    prepare_seconds: float | None = None


NO_LIMITS: Final = OperationLimits()
"""No limit at all, introspection on."""


class LimitExceeded(Exception):
    """An operation goes over a limit; ``error`` is the client-facing GraphQL error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def error(self) -> dict[str, Any]:
        """The GraphQL error: the message and ``extensions.code``."""
        return {"message": self.message, "extensions": {"code": self.code}}


def over_limit(code: str, measure: str, value: int, limit: int | None) -> LimitExceeded | None:
    """The refusal when ``value`` is over ``limit`` (None: no limit), naming both.

    ``measure`` names what was measured: "Operation depth: 17, over the limit of 15."
    """
    if limit is None or value <= limit:
        return None
    return LimitExceeded(code, f"Operation {measure}: {value}, over the limit of {limit}.")
