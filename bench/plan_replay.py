"""Replay a router's query plan against the subgraphs directly, without the router.

:func:`record` walks the plan JSON that ``fedtasks plan`` prints (Apollo's node kinds)
the way a federation executor does: a root Fetch is sent as it is; a Flatten collects the
objects at its path, builds their representations from the Fetch's ``requires``,
deduplicates them and sends one ``_entities`` call (FED gateway-js executeQueryPlan.ts).
It returns the exact subgraph requests in the plan's shape, and the merged data, so that
:func:`timed` can replay the same requests and time only the subgraph calls: what a
zero-overhead router could not avoid.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

HEADERS = {"content-type": "application/json", "accept": "application/json"}


class ReplayError(Exception):
    """The plan could not be replayed: a subgraph failed or the plan has an unknown node."""


@dataclass(frozen=True)
class Call:
    """One subgraph request, its JSON body serialised once, and its headers."""

    url: str
    body: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Steps:
    """Requests run one after another (``parallel=False``) or together."""

    parallel: bool
    steps: tuple[Call | Steps, ...]


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list) and len(current) == len(value):
            for mine, theirs in zip(current, value, strict=True):
                if isinstance(mine, dict) and isinstance(theirs, dict):
                    _merge(mine, theirs)
        else:
            target[key] = value


def _objects_at(value: Any, path: list[str]) -> list[dict[str, Any]]:
    if not path:
        if isinstance(value, list):
            return [o for item in value for o in _objects_at(item, path)]
        return [value] if isinstance(value, dict) else []
    head, rest = path[0], path[1:]
    if head == "@":
        items = value if isinstance(value, list) else []
        return [o for item in items for o in _objects_at(item, rest)]
    if isinstance(value, dict):
        return _objects_at(value.get(head), rest)
    return []


def _pick(value: Any, selections: list[dict[str, Any]]) -> Any:
    """The fields of ``value`` a ``requires`` selection names (aliases read, names written)."""
    if isinstance(value, list):
        return [_pick(item, selections) for item in value]
    if not isinstance(value, dict):
        return value
    picked: dict[str, Any] = {}
    for selection in selections:
        if selection["kind"] == "InlineFragment":
            if value.get("__typename") == selection["typeCondition"]:
                picked.update(_pick(value, selection["selections"]))
            continue
        item = value.get(selection.get("alias", selection["name"]))
        inner = selection.get("selections")
        picked[selection["name"]] = _pick(item, inner) if inner and item is not None else item
    return picked


class _Recorder:
    """Runs a plan once over HTTP, keeping its requests and the data they return."""

    def __init__(
        self,
        client: httpx.Client,
        urls: dict[str, str],
        variables: dict[str, Any],
        headers: Mapping[str, str],
    ) -> None:
        self.client = client
        self.urls = urls
        self.variables = variables
        self.headers = {**HEADERS, **headers}
        self.data: dict[str, Any] = {}

    def send(self, fetch: dict[str, Any], extra: dict[str, Any]) -> tuple[Call, dict[str, Any]]:
        used = {k: self.variables[k] for k in fetch["variableUsages"] if k in self.variables}
        body = orjson.dumps({"query": fetch["operation"], "variables": {**used, **extra}})
        call = Call(self.urls[fetch["serviceName"]], body, self.headers)
        answer = self.client.post(call.url, content=call.body, headers=call.headers)
        result: dict[str, Any] = answer.json()
        if answer.status_code != 200 or result.get("errors") or result.get("data") is None:
            raise ReplayError(f"{fetch['serviceName']} answered {answer.status_code}: {result}")
        return call, result["data"]

    def node(self, node: dict[str, Any]) -> Call | Steps:
        kind = node["kind"]
        if kind in ("Sequence", "Parallel"):
            children = tuple(self.node(child) for child in node["nodes"])
            return Steps(parallel=kind == "Parallel", steps=children)
        if kind == "Fetch":
            call, data = self.send(node, {})
            _merge(self.data, data)
            return call
        if kind == "Flatten":
            return self.flatten(node)
        raise ReplayError(f"the replay does not handle {kind} nodes")

    def flatten(self, node: dict[str, Any]) -> Call | Steps:
        fetch = node["node"]
        representations: list[dict[str, Any]] = []
        targets: dict[bytes, list[dict[str, Any]]] = {}
        for entity in _objects_at(self.data, node["path"]):
            representation = _pick(entity, fetch["requires"])
            key = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            if key not in targets:
                targets[key] = []
                representations.append(representation)
            targets[key].append(entity)
        if not representations:
            return Steps(parallel=False, steps=())
        call, data = self.send(fetch, {"representations": representations})
        for found, entities in zip(data["_entities"], targets.values(), strict=True):
            for entity in entities:
                if isinstance(found, dict):
                    _merge(entity, found)
        return call


def record(
    client: httpx.Client,
    plan: dict[str, Any],
    urls: dict[str, str],
    variables: dict[str, Any],
    headers: Mapping[str, str],
) -> tuple[Call | Steps, dict[str, Any]]:
    """Run ``plan`` against the subgraphs at ``urls``; its requests and the merged data.

    ``headers`` go with every request (the subgraphs' router-only secret).
    """
    if plan.get("node") is None:
        raise ReplayError("the plan fetches nothing")
    recorder = _Recorder(client, urls, variables, headers)
    return recorder.node(plan["node"]), recorder.data


def timed(client: httpx.Client, step: Call | Steps) -> float:
    """Seconds the subgraphs take to answer ``step``'s requests, sent from here.

    Sequential steps add up; parallel ones count as their slowest (they are still sent
    one by one, so each is timed alone).
    """
    if isinstance(step, Call):
        started = time.perf_counter()
        answer = client.post(step.url, content=step.body, headers=step.headers)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise ReplayError(f"{step.url} answered {answer.status_code}")
        return elapsed
    durations = [timed(client, inner) for inner in step.steps]
    if not durations:
        return 0.0
    return max(durations) if step.parallel else sum(durations)


def calls(step: Call | Steps) -> int:
    """How many subgraph requests ``step`` makes."""
    if isinstance(step, Call):
        return 1
    return sum(calls(inner) for inner in step.steps)


def disagreement(router: Any, merged: Any, path: str = "data") -> str | None:
    """Where the router's answer differs from the directly fetched data, or None.

    Every value the router returned must be found at the same place in ``merged`` (which
    also holds the key fields the plan added).
    """
    if isinstance(router, dict):
        if not isinstance(merged, dict):
            return f"{path}: the router has an object, the subgraphs {merged!r}"
        for key, value in router.items():
            found = disagreement(value, merged.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(router, list):
        if not isinstance(merged, list) or len(merged) != len(router):
            return f"{path}: the router has {len(router)} items, the subgraphs {merged!r:.80}"
        for index, (mine, theirs) in enumerate(zip(router, merged, strict=True)):
            found = disagreement(mine, theirs, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if router == merged else f"{path}: router {router!r}, subgraphs {merged!r}"
