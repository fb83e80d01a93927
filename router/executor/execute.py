"""Execute a QueryPlan against subgraphs through a SubgraphTransport.

Sequence nodes run in order, Parallel nodes concurrently, Condition nodes read a boolean
variable. A Flatten collects the objects at its path, sends one ``_entities`` call with
their deduplicated representations, and merges each result into every object it feeds.
Subgraph errors are re-pathed to the client's paths; a subgraph that fails leaves nulls
and an error while the rest of the plan still runs (FED gateway-js/src/executeQueryPlan.ts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from router.executor.paths import ResponsePath, deep_merge, objects_at
from router.executor.representations import dedupe_key, representation
from router.planner.plan import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from router.transport.base import SubgraphRequest, SubgraphTransport, TransportError

DOWNSTREAM = "DOWNSTREAM_SERVICE_ERROR"


@dataclass
class ExecutionState:
    """What one execution accumulates: merged data and client-facing errors."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _subgraph_error(
    error: Mapping[str, Any], service: str, path: ResponsePath | None
) -> dict[str, Any]:
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("code", DOWNSTREAM)
    extensions["serviceName"] = service
    out: dict[str, Any] = {"message": str(error.get("message", "Subgraph error"))}
    if path is not None:
        out["path"] = list(path)
    out["extensions"] = extensions
    return out


class Executor:
    """Runs plans; one instance serves every request (it holds only the transport)."""

    def __init__(self, transport: SubgraphTransport) -> None:
        self.transport = transport

    async def run(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        conditions: Mapping[str, Any] | None = None,
    ) -> ExecutionState:
        """Execute ``plan``; ``variables`` are forwarded as the client sent them."""
        state = ExecutionState()
        if plan.node is not None:
            await self._node(plan.node, state, variables, headers or {}, conditions or variables)
        return state

    async def _node(
        self,
        node: PlanNode,
        state: ExecutionState,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
        conditions: Mapping[str, Any],
    ) -> None:
        if isinstance(node, Sequence):
            for child in node.nodes:
                await self._node(child, state, variables, headers, conditions)
        elif isinstance(node, Parallel):
            await asyncio.gather(
                *(self._node(c, state, variables, headers, conditions) for c in node.nodes)
            )
        elif isinstance(node, Condition):
            branch = node.if_clause if conditions.get(node.condition) else node.else_clause
            if branch is not None:
                await self._node(branch, state, variables, headers, conditions)
        elif isinstance(node, Flatten):
            await self._entities(node, state, variables, headers)
        else:
            await self._root(node, state, variables, headers)

    async def _send(
        self,
        fetch: Fetch,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
        extra: Mapping[str, Any] | None = None,
    ) -> Any:
        used = {name: variables[name] for name in fetch.variable_usages if name in variables}
        if extra:
            used.update(extra)
        request = SubgraphRequest(
            query=fetch.operation,
            variables=used,
            headers=headers,
            mutation=fetch.operation_kind == "mutation",
        )
        return await self.transport.send(fetch.service_name, request)

    async def _root(
        self,
        fetch: Fetch,
        state: ExecutionState,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> None:
        try:
            response = await self._send(fetch, variables, headers)
        except TransportError as failure:
            state.errors.append(_transport_error(failure, None))
            return
        if isinstance(response.data, dict):
            deep_merge(state.data, response.data)
        for error in response.errors:
            path = error.get("path")
            state.errors.append(
                _subgraph_error(error, fetch.service_name, tuple(path) if path else None)
            )

    async def _entities(
        self,
        flatten: Flatten,
        state: ExecutionState,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> None:
        fetch = flatten.node
        representations: list[dict[str, Any]] = []
        targets: list[list[tuple[dict[str, Any], ResponsePath]]] = []
        index_of: dict[bytes, int] = {}
        for entity, at in objects_at(state.data, flatten.path):
            rep = representation(fetch, entity)
            if rep is None:
                continue
            key = dedupe_key(rep)
            if key not in index_of:
                index_of[key] = len(representations)
                representations.append(rep)
                targets.append([])
            targets[index_of[key]].append((entity, at))
        if not representations:
            return
        fallback = _cut_at_list(flatten.path)
        try:
            response = await self._send(
                fetch, variables, headers, extra={"representations": representations}
            )
        except TransportError as failure:
            state.errors.append(_transport_error(failure, fallback))
            return
        entities = (
            (response.data or {}).get("_entities") if isinstance(response.data, dict) else None
        )
        if isinstance(entities, list) and len(entities) == len(representations):
            for index, entity in enumerate(entities):
                # A null entity (the subgraph does not know it, or failed on it) adds
                # nothing: only the fields this fetch contributes are missing, and shaping
                # makes them null with GraphQL's propagation, as Apollo's gateway does; what
                # other subgraphs filled in stays.
                if isinstance(entity, dict):
                    for target, _ in targets[index]:
                        deep_merge(target, entity)
        elif entities is not None or not response.errors:
            state.errors.append(
                _subgraph_error(
                    {
                        "message": f"{fetch.service_name} answered {_count(entities)} entities for "
                        f"{len(representations)} representations"
                    },
                    fetch.service_name,
                    fallback,
                )
            )
        for error in response.errors:
            path = error.get("path") or []
            if (
                len(path) >= 2
                and path[0] == "_entities"
                and isinstance(path[1], int)
                and path[1] < len(targets)
            ):
                for _, at in targets[path[1]]:
                    state.errors.append(
                        _subgraph_error(error, fetch.service_name, (*at, *path[2:]))
                    )
            else:
                state.errors.append(_subgraph_error(error, fetch.service_name, fallback))


def _count(entities: Any) -> str:
    return str(len(entities)) if isinstance(entities, list) else "no"


def _cut_at_list(path: tuple[str, ...]) -> ResponsePath | None:
    """A Flatten path up to its first ``@``, where an error without an entity index goes."""
    cut = path[: path.index("@")] if "@" in path else path
    return cut or None


def _transport_error(failure: TransportError, path: ResponsePath | None) -> dict[str, Any]:
    out: dict[str, Any] = {"message": f"Subgraph {failure.subgraph} failed: {failure.message}"}
    if path is not None:
        out["path"] = list(path)
    out["extensions"] = {"code": failure.code, "serviceName": failure.subgraph}
    return out
