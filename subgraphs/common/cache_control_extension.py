"""Every subgraph response says how it may be cached: ``Cache-Control`` from the schema's hints.

The router decides what it may share between callers from this header alone (with its own
configuration): ``max-age=N, public`` may be shared, ``max-age=N, private`` only kept per
caller, and ``no-store`` not kept. Responses with errors, mutations and anything the hints
do not cover are ``no-store``, so a subgraph that forgets a hint is never cached by mistake.
The policy is computed by :mod:`subgraphs.common.cache_control`, once per document.
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from graphql import GraphQLSchema
from strawberry.extensions import SchemaExtension

from subgraphs.common.cache_control import UNCACHEABLE, PolicyCache

CACHE_CONTROL = "cache-control"

# One policy cache per schema (a process serves one; tests build several).
_caches: WeakKeyDictionary[GraphQLSchema, PolicyCache] = WeakKeyDictionary()


def _cache_for(schema: GraphQLSchema) -> PolicyCache:
    cache = _caches.get(schema)
    if cache is None:
        cache = _caches[schema] = PolicyCache(schema)
    return cache


class CacheControlExtension(SchemaExtension):
    """Set the response's ``Cache-Control`` once the operation has run."""

    def on_operation(self) -> Iterator[None]:
        """After the operation: the header from its policy (``no-store`` on any error)."""
        yield
        context = self.execution_context
        response = getattr(context.context, "response", None)
        headers = getattr(response, "headers", None)
        if headers is None:
            return  # not over HTTP (the SDL export, direct schema calls)
        result = context.result
        document = context.graphql_document
        policy = UNCACHEABLE
        if result is not None and not result.errors and document is not None and context.query:
            schema = context.schema._schema
            policy = _cache_for(schema).policy(context.query, document, context.operation_name)
        headers[CACHE_CONTROL] = policy.header()
