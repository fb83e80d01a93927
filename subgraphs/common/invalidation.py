"""Cache invalidation: a mutation tells the router what it changed, in ``extensions.invalidation``.

The router caches what subgraphs resolve (entity and root-field entries, issue 5). It
drops by itself the entries of the entities a mutation's answer returns and the root
fields of the subgraph that ran it; what the answer cannot show is for the subgraph to
say: a deleted object, or an entity changed as a side effect (the user whose ``tasks``
and ``taskCount`` a task mutation changed). The protocol follows Apollo Router's
entity-cache invalidation extension, without its ``subgraph`` field (an entity named
here is stale in every subgraph that cached it). docs/cache-invalidation.md is the full
description; in short:

- A subgraph's response to a mutation carries ``extensions.invalidation``: a list of
  ``{"kind": "entity", "type": "User", "key": {"id": "u1"}}`` (``key`` holds the fields
  of one ``@key`` of the type, as in a representation) or ``{"kind": "type", "type":
  "Task"}`` (every entity of the type).
- The router deletes every cached entry of each named entity, from any subgraph, or of
  every entity of each named type.
- Only what the operation changed and committed is named, in the order it happened and
  without repeats. The extension is absent when nothing changed: on queries, and on a
  mutation that failed before changing anything.

Mutation resolvers append to the request's ``Invalidations`` (in the request context,
never a module global); ``InvalidationExtension`` writes the list into the response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from strawberry.extensions import SchemaExtension

EXTENSION = "invalidation"


class Invalidations:
    """What one request changed: the entities and types the router must drop from its cache."""

    def __init__(self) -> None:
        self._items: dict[bytes, dict[str, Any]] = {}

    def entity(self, type_name: str, key: Mapping[str, Any]) -> None:
        """Name one entity, by the fields of one of its keys (``{"id": ...}``)."""
        self._add({"kind": "entity", "type": type_name, "key": dict(key)})

    def all_of_type(self, type_name: str) -> None:
        """Name every entity of a type (when the changed ones cannot be listed)."""
        self._add({"kind": "type", "type": type_name})

    def _add(self, item: dict[str, Any]) -> None:
        self._items.setdefault(orjson.dumps(item, option=orjson.OPT_SORT_KEYS), item)

    def items(self) -> list[dict[str, Any]]:
        """The named entities and types, first named first, each once."""
        return list(self._items.values())

    def __bool__(self) -> bool:
        """Whether anything was named."""
        return bool(self._items)


class InvalidationExtension(SchemaExtension):
    """Put the request's ``Invalidations`` in ``extensions.invalidation`` when it is not empty."""

    def get_results(self) -> dict[str, Any]:
        """The extension's entry of the response's ``extensions``; nothing when nothing changed.

        A context without ``invalidations`` (an operation run without the app's request
        context, such as the SDL export) changed nothing to tell.
        """
        invalidations = getattr(self.execution_context.context, "invalidations", None)
        if not isinstance(invalidations, Invalidations) or not invalidations:
            return {}
        return {EXTENSION: invalidations.items()}
