"""How both subgraphs build their federation schema: one federation version, one error policy."""

from __future__ import annotations

from typing import Final

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from subgraphs.common.errors import CodedExecutionContext, ErrorCodes

FEDERATION_VERSION: Final = "2.7"


class SubgraphSchema(strawberry.federation.Schema):
    """A federation schema whose errors are logged by ``ErrorCodes`` alone.

    Strawberry logs every error with its traceback; errors meant for the client (bad
    input, not found) are not faults, and internal ones are logged once, with the
    request id the client sees.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Leave logging to ``ErrorCodes``."""


def federation_schema(*, query: type, mutation: type) -> SubgraphSchema:
    """A Federation v2 subgraph schema with error codes and BAD_USER_INPUT value checks."""
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        federation_version=FEDERATION_VERSION,
        extensions=[ErrorCodes],
        execution_context_class=CodedExecutionContext,
    )
