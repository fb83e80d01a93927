"""Run operations through the fedtasks router and Apollo's gateway and compare the answers.

Both gateways reach the same deterministic mock subgraphs over real HTTP (the router in
process through its ``HttpTransport``, Apollo's gateway from Node). Two answers agree when
their ``data`` is equal and they report errors at the same paths. A disagreement is put in a
class from what the router answered and what the mocks saw it send.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import build_schema, parse

from router.pipeline import RouterPipeline
from router.planner.build import build_plan
from router.planner.errors import PlanningError
from router.server.contract import GraphQLRequest
from router.supergraph.reader import read_supergraph
from router.transport.http import HttpTransport
from tests.planner_differential.apollo import ApolloError, ApolloReference
from tests.planner_differential.corpus import CorpusEntry, subgraph_names
from tests.planner_differential.mock_server import LoggedRequest, MockServer
from tests.planner_differential.mock_subgraph import mocks_of, stable_hash
from tests.planner_differential.operations import Operation, OperationGenerator
from tests.planner_differential.plan_size import PlanSize, plan_size

OPERATIONS_PER_SUPERGRAPH = 25
TRIES = 3
TRANSPORT_CODES = {"SUBGRAPH_UNAVAILABLE", "SUBGRAPH_TIMEOUT", "SUBREQUEST_HTTP_ERROR"}
TRANSPORT_MESSAGE = re.compile(r"request to \S+ failed, reason:|ECONNRESET|socket hang up")

# Planning failures, by what the planner said (the classes).
PLANNING_CLASSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"has no field"), "type-conditions"),
    (
        re.compile(r"no subgraph can resolve|cannot be reached|no (way|path|route)", re.I),
        "no-route",
    ),
]


@dataclass(frozen=True)
class Comparison:
    """One operation run through both gateways."""

    index: int
    operation: Operation
    ours: dict[str, Any]
    theirs: dict[str, Any]
    klass: str | None
    """None when the answers agree (or were not compared), else the class of the difference."""
    compared: bool = True
    """False for an operation whose answer depends on chance (see ``random_fields``)."""


def error_paths(body: dict[str, Any]) -> list[str]:
    """The paths of a response's errors, sorted (``-`` for an error without a path)."""
    return sorted(
        ".".join(str(p) for p in error.get("path") or ()) or "-"
        for error in body.get("errors") or ()
    )


def _transport_failed(body: dict[str, Any]) -> bool:
    """Whether an answer reports a subgraph call that failed on the network, not in GraphQL.

    The mocks answer every request they receive; such a failure is the loaded test machine
    (a connection reset), so the operation is tried again rather than compared.
    """
    for error in body.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        if code in TRANSPORT_CODES or TRANSPORT_MESSAGE.search(str(error.get("message", ""))):
            return True
    return False


def _field_error(error: dict[str, Any]) -> bool:
    """A field error GraphQL requires where Apollo's gateway nulls silently."""
    message = str(error.get("message", ""))
    return message.startswith(("Cannot return null for non-nullable", 'Enum "'))


def _failed(sent: list[LoggedRequest], caller: str) -> bool:
    """Whether a mock answered one of ``caller``'s requests with errors."""
    return any(r.caller == caller and r.errors for r in sent)


def classify(ours: dict[str, Any], theirs: dict[str, Any], sent: list[LoggedRequest]) -> str | None:
    """The class of the difference between two answers, or None when they agree."""
    if ours.get("data") == theirs.get("data"):
        if error_paths(ours) == error_paths(theirs):
            return None
        if not theirs.get("errors") and all(_field_error(e) for e in ours["errors"]):
            # Apollo's gateway nulls a non-null field its plan left empty (an entity that
            # `_entities` answered null) or an @inaccessible enum value without saying so;
            # GraphQL requires a field error there (spec "Handling Field Errors", "Enums"
            # result coercion), which the router gives: the same data.
            return None
        if _failed(sent, "apollo") and not _failed(sent, "router"):
            return "apollo-failed"
    elif theirs.get("data") is None and not theirs.get("errors") and ours.get("data"):
        # Apollo's gateway answered `data: null` with no error at all, which is no valid
        # GraphQL response (a null `data` comes with errors): its plan left a non-null field
        # unfetched (a type condition it dropped from a shareable field's selection, ...).
        return "apollo-silent-null"
    for error in ours.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        if code == "QUERY_PLANNING_FAILED":
            message = str(error.get("message"))
            for pattern, name in PLANNING_CLASSES:
                if pattern.search(message):
                    return f"plan-failed:{name}"
            return "plan-failed:other"
    for request in sent:
        if request.caller != "router" or not request.errors:
            continue
        messages = " ".join(str(e.get("message")) for e in request.errors)
        if all(not e.get("path") for e in request.errors):
            return "subgraph-rejected-operation"
        if "@external" in messages:
            return "external-not-provided"
        if "@requires" in messages:
            return "requires-missing"
        if "not an entity" in messages or "has no key" in messages:
            return "bad-entities-call"
    if _failed(sent, "apollo"):
        return "apollo-failed"
    if ours.get("data") == theirs.get("data"):
        return "error-paths"
    return "wrong-data"


class SupergraphRun:
    """One supergraph served to both gateways, ready to compare operations."""

    def __init__(self, entry: CorpusEntry, apollo: ApolloReference, server: MockServer) -> None:
        self.entry = entry
        self.key = entry.key
        self.apollo = apollo
        self.server = server
        self.sdl = entry.supergraph()
        names = subgraph_names(self.sdl)
        loaded = apollo.load(self.key, self.sdl, server.urls(self.key, "apollo", names))
        server.register(self.key, mocks_of(loaded.subgraphs))
        self.api_schema = build_schema(loaded.api_schema)
        self.supergraph = read_supergraph(self.sdl)
        self.router_urls = server.urls(self.key, "router", names)
        # Fields under a progressive override (`percent(N)` labels): each gateway picks a
        # subgraph by chance per request, so answers that select them are not compared.
        self.random_fields = {
            name
            for info in self.supergraph.types.values()
            for name, field in info.fields.items()
            if any((d.override_label or "").startswith("percent(") for d in field.declarations)
        }

    def operations(self, count: int = OPERATIONS_PER_SUPERGRAPH) -> list[Operation]:
        """The seeded operations of this supergraph."""
        generator = OperationGenerator(self.api_schema, stable_hash(self.key) % 2**32)
        return generator.operations(count)

    async def compare(
        self,
        operations: list[Operation],
        progress: Callable[[Comparison], None] | None = None,
    ) -> list[Comparison]:
        """Run each operation through both gateways and compare the answers."""
        results = []
        async with HttpTransport(self.router_urls, timeout=30.0) as transport:
            pipeline = RouterPipeline(self.supergraph, transport)
            for index, operation in enumerate(operations):
                for _ in range(TRIES):
                    start = len(self.server.log)
                    ours, theirs = await self._both(pipeline, operation)
                    sent = self.server.log[start:]
                    if not (_transport_failed(ours) or _transport_failed(theirs)):
                        break
                if self.random_fields & set(re.findall(r"\w+", operation.query)):
                    comparison = Comparison(index, operation, ours, theirs, None, compared=False)
                else:
                    klass = classify(ours, theirs, sent)
                    comparison = Comparison(index, operation, ours, theirs, klass)
                results.append(comparison)
                if progress is not None:
                    progress(comparison)
        return results

    async def _both(
        self, pipeline: RouterPipeline, operation: Operation
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The router's and Apollo's answers to ``operation``."""
        request = GraphQLRequest(query=operation.query, variables=dict(operation.variables))
        ours = (await pipeline.execute(request)).body
        try:
            theirs = self.apollo.execute(self.key, operation.query, operation.variables)
        except ApolloError as error:
            theirs = {"data": None, "errors": [{"message": str(error)}]}
        return ours, theirs

    def plan_sizes(self, operation: Operation) -> tuple[PlanSize, PlanSize] | None:
        """(the router's, Apollo's) plan size for ``operation``; None if one cannot plan it."""
        try:
            ours = build_plan(self.supergraph, parse(operation.query)).to_json()
            theirs = self.apollo.plan(self.key, operation.query)
        except (PlanningError, ApolloError):
            return None
        return plan_size(ours["node"]), PlanSize(theirs.fetches, theirs.depth)

    def close(self) -> None:
        """Stop Apollo's gateway for this supergraph."""
        self.apollo.unload(self.key)
