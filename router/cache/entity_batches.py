"""An ``_entities`` call split into cache hits and misses, and its answer put back together.

Only the representations the cache missed are sent; the subgraph's answer then speaks of
positions in that shorter list, so its error paths are moved back to the positions of the
representations the executor sent (``_entities`` answers in order: the subgraph spec).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from router.transport.base import SubgraphRequest, SubgraphResponse


def with_representations(request: SubgraphRequest, representations: list[Any]) -> SubgraphRequest:
    """The same ``_entities`` request for these representations only."""
    variables = dict(request.variables)
    variables["representations"] = representations
    return SubgraphRequest(request.query, variables, request.operation_name, request.headers)


def failed_indexes(errors: list[dict[str, Any]]) -> set[int] | None:
    """Positions of ``_entities`` that came with errors; None if an error has no position."""
    failed: set[int] = set()
    for error in errors:
        path = error.get("path")
        if not isinstance(path, list) or len(path) < 2 or not isinstance(path[1], int):
            return None
        failed.add(path[1])
    return failed


def moved(error: dict[str, Any], indexes: Sequence[int]) -> dict[str, Any]:
    """The error with its ``_entities`` position mapped back to the original index."""
    path = error.get("path")
    if isinstance(path, list) and len(path) >= 2 and path[0] == "_entities":
        position = path[1]
        if isinstance(position, int) and 0 <= position < len(indexes):
            return {**error, "path": ["_entities", indexes[position], *path[2:]]}
    return error


def remapped(response: SubgraphResponse, indexes: Sequence[int]) -> SubgraphResponse:
    """The response with every error's position mapped back to the original index."""
    return SubgraphResponse(
        data=response.data,
        errors=[moved(e, indexes) for e in response.errors],
        extensions=response.extensions,
        status=response.status,
        headers=response.headers,
    )
