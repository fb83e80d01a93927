"""How both subgraphs build their federation schema: one federation version, one error policy."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Final

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension, ValidationCache
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionContext, Info

from subgraphs.common.cache_control_extension import CacheControlExtension
from subgraphs.common.errors import BadUserInput, CodedExecutionContext, ErrorCodes
from subgraphs.common.introspection import IntrospectionPolicy
from subgraphs.common.invalidation import InvalidationExtension

FEDERATION_VERSION: Final = "2.7"

DOCUMENT_CACHE_SIZE: Final = 1024
"""Validated documents kept per process.

The router sends a small set of operations again and again (one per fetch of a plan), so
validating each once saves about half of a request's CPU; the bound keeps callers that
send unique queries (in dev mode) from growing memory. Parsing is not cached: Strawberry's
ParserCache raises syntax errors past the extension that gives them their code.
"""


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=DOCUMENT_CACHE_SIZE)


class SubgraphSchema(strawberry.federation.Schema):
    """A federation schema with the project's error policy.

    Errors are logged by ``ErrorCodes`` alone: Strawberry logs every error with its
    traceback, but errors meant for the client (bad input, not found) are not faults, and
    internal ones are logged once, with the request id the client sees.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Leave logging to ``ErrorCodes``."""

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """Resolve ``_entities``; a malformed representation gets BAD_USER_INPUT in its slot.

        The subgraph spec (``_entities``) answers one entry per representation, in order;
        an unknown ``__typename`` or fields that do not match the type's key (with the
        fields its ``@requires`` need) are the caller's mistake, reported for that entry
        alone.
        """
        problems = [self._representation_problem(r) for r in representations]
        valid = [r for r, problem in zip(representations, problems, strict=True) if not problem]
        resolved = iter(super().entities_resolver(info, valid))
        return [
            next(resolved) if problem is None else FederationAny(problem) for problem in problems
        ]

    def _representation_problem(self, representation: object) -> BadUserInput | None:
        if not isinstance(representation, dict):
            return BadUserInput("A representation must be an object with a __typename.")
        typename = representation.get("__typename")
        known = self.schema_converter.type_map.get(typename) if isinstance(typename, str) else None
        resolve = getattr(getattr(known, "definition", None), "origin", None)
        resolve = getattr(resolve, "resolve_reference", None)
        if resolve is None:
            return BadUserInput(f"{typename!r} is not an entity type of this subgraph.")
        fields = {name: value for name, value in representation.items() if name != "__typename"}
        parameters = inspect.signature(resolve).parameters
        try:
            inspect.signature(resolve).bind(
                **fields, **({"info": None} if "info" in parameters else {})
            )
        except TypeError:
            return BadUserInput(
                f"The {typename} representation has the fields {sorted(fields)}, "
                f"which do not match its @key (with any fields its @requires need)."
            )
        return None


def federation_schema(
    *, query: type, mutation: type, entities: Sequence[type] = ()
) -> SubgraphSchema:
    """A Federation v2 subgraph schema with error codes and BAD_USER_INPUT value checks.

    Every response carries the ``Cache-Control`` its ``@cacheControl`` hints give
    (``subgraphs.common.cache_control``). Mutations report what they changed in
    ``extensions.invalidation`` (``subgraphs.common.invalidation``). ``entities`` are
    entity types no root field returns: reachable only through ``_entities``, they must be
    named for the schema to hold them. Validation is cached per document, keyed by the
    validation rules too, so introspection stays refused in production mode.
    """
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        types=list(entities),
        federation_version=FEDERATION_VERSION,
        # IntrospectionPolicy picks the rules before ValidationCache validates with them.
        extensions=[
            ErrorCodes,
            CacheControlExtension,
            IntrospectionPolicy,
            InvalidationExtension,
            _validation_cache,
        ],
        execution_context_class=CodedExecutionContext,
    )
