"""The one place that strings the stages together for a request.

persisted query lookup (APQ, safelist) -> parse + validate + limits (cached, refusals
too) -> plan (cached in process and, when configured, shared through the cache backend, by
supergraph, operation and override labels) -> cost of the request's variables -> execute
-> shape, with the answer's ``Cache-Control`` folded from the fetches' policies
(router/cache/response_policy.py). Introspection is answered by the router from the API
schema, unless the limits turn it off (router/operation/limits.py). In dev mode,
``fedtasks-include-plan: true`` adds ``extensions.queryPlan`` and
``fedtasks-include-cache: true`` adds ``extensions.cache`` (what the entity cache served).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
    execute_sync,
)
from graphql.execution.values import get_variable_values

from router.auth.identity import ROUTER_SECRET_HEADER, Identity
from router.cache.persisted import PersistedQueries, PersistedQueryError
from router.cache.plans import SharedPlans, plan_key
from router.cache.report import CacheReport, reporting
from router.cache.response_policy import collecting
from router.executor.execute import Executor
from router.executor.shape_plan import ShapePlan
from router.observability.context import note_operation, note_plan_cache
from router.observability.tracing import stage
from router.operation.deadline import PrepareTimeout, shared_worker
from router.operation.document_key import normalised_hash
from router.operation.limits import NO_LIMITS, OperationLimits
from router.operation.prepare import OperationError, PreparedOperation, prepare
from router.operation.prepare import Phase as OperationPhase
from router.operation.root_fields import root_fields
from router.planner.build import build_plan
from router.planner.errors import PlanningError
from router.planner.plan import QueryPlan
from router.server.contract import GraphQLRequest, Outcome
from router.supergraph.model import Supergraph
from router.transport.base import SubgraphRequest, SubgraphTransport, TransportError

logger = logging.getLogger("fedtasks.router")

PLAN_HEADER = "fedtasks-include-plan"
CACHE_HEADER = "fedtasks-include-cache"
PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")
INTROSPECTION_FIELDS = ("__schema", "__type")
SUBSCRIPTIONS_REFUSED = "This router does not serve subscriptions yet."
# A cached verdict's key: supergraph, document (exact or normalised), operation, labels.
_Key = tuple[str, str, str | None, frozenset[str]]


@dataclass(frozen=True)
class CachedOperation:
    """A prepared operation, its plan and its shaping, shared by every request that sends it."""

    prepared: PreparedOperation
    plan: QueryPlan
    shaping: ShapePlan


def _shaping(schema: GraphQLSchema, prepared: PreparedOperation) -> ShapePlan:
    """How answers to ``prepared`` are shaped, compiled once with its plan."""
    # Validation refuses an operation whose root type the schema does not define.
    root = schema.get_root_type(prepared.operation.operation)
    assert isinstance(root, GraphQLObjectType)
    return ShapePlan(schema, root, prepared.operation.selection_set, prepared.fragments)


def _labels_in(supergraph: Supergraph) -> set[str]:
    return {
        d.override_label
        for t in supergraph.types.values()
        for f in t.fields.values()
        for d in f.declarations
        if d.override_label
    }


class RouterPipeline:
    """Runs client requests over one supergraph; its caches die with it on reload."""

    def __init__(
        self,
        supergraph: Supergraph,
        transport: SubgraphTransport,
        *,
        probe: SubgraphTransport | None = None,
        dev_mode: bool = False,
        plan_cache_size: int = 1000,
        enabled_labels: frozenset[str] = frozenset(),
        persisted: PersistedQueries | None = None,
        shared_plans: SharedPlans | None = None,
        subgraph_secret: str | None = None,
        limits: OperationLimits = NO_LIMITS,
    ) -> None:
        self.supergraph = supergraph
        self.transport = transport
        # What subgraph_health() pings through: a transport under any cache, which would otherwise
        # answer for a subgraph that is down.
        self.probe = probe if probe is not None else transport
        self.executor = Executor(transport)
        self.dev_mode = dev_mode
        self.cache_size = plan_cache_size
        self.enabled_labels = enabled_labels
        self.labels = _labels_in(supergraph)
        self.persisted = persisted
        self.shared_plans = shared_plans
        # Sent on every subgraph call as x-fedtasks-router-secret (subgraphs require it).
        self.subgraph_secret = subgraph_secret
        self.cache: OrderedDict[_Key, CachedOperation] = OrderedDict()
        # Depth, aliases, cost... and introspection (router/operation/limits.py). Refused
        # operations are remembered like prepared ones: a resent one is not parsed again.
        self.limits = limits
        self.refused: OrderedDict[_Key, tuple[OperationPhase, list[dict[str, Any]]]] = OrderedDict()
        self.worker = (
            None if limits.prepare_seconds is None else shared_worker(limits.prepare_seconds)
        )

    def _request_labels(self) -> frozenset[str]:
        """Override labels on for this request: configured ones, and percentages by chance."""
        on = set(self.enabled_labels & self.labels)
        for label in self.labels:
            match = PERCENT.match(label)
            if match and random.random() * 100 < float(match.group(1)):
                on.add(label)
        return frozenset(on)

    def operation(
        self,
        query: str,
        operation_name: str | None,
        labels: frozenset[str],
        plan: QueryPlan | None = None,
        query_hash: str | None = None,
    ) -> CachedOperation:
        """The prepared operation and plan, from the cache or made now (raises OperationError)."""
        if query_hash is None:
            query_hash = hashlib.sha256(query.encode()).hexdigest()
        cached, keys = self._known(query, operation_name, labels, query_hash)
        if cached is not None:
            return cached
        try:
            cached = self._made(query, operation_name, labels, plan)
        except OperationError as failure:
            self._refuse(keys, failure)
            raise
        self._keep(keys, cached)
        return cached

    def _known(
        self, query: str, operation_name: str | None, labels: frozenset[str], query_hash: str
    ) -> tuple[CachedOperation | None, tuple[_Key, ...]]:
        """The cached verdict by exact text, else by normalised document; the keys to keep.

        A cached refusal is raised. Keying by the normalised document too means a changed
        comment or space does not get a refused document parsed again
        (router/operation/document_key.py); the exact text stays the fast path.
        """
        keys: tuple[_Key, ...] = ((self.supergraph.hash, query_hash, operation_name, labels),)
        cached = self._verdict(keys[0])
        if cached is None:
            normal = normalised_hash(query, self.limits)
            if normal is not None:
                keys = (*keys, (self.supergraph.hash, f"tokens:{normal}", operation_name, labels))
                cached = self._verdict(keys[1], alias=keys[0])
        note_plan_cache("process", hit=cached is not None)
        return cached, keys

    def _verdict(self, key: _Key, alias: _Key | None = None) -> CachedOperation | None:
        """The operation cached under ``key`` (kept under ``alias`` too), or its refusal."""
        cached = self.cache.get(key)
        if cached is not None:
            self.cache.move_to_end(key)
            if alias is not None:
                self._keep((alias,), cached)
            return cached
        refused = self.refused.get(key)
        if refused is not None:
            if alias is not None:
                self._refuse((alias,), OperationError(*refused))
            raise OperationError(*refused)
        return None

    def _made(
        self,
        query: str,
        operation_name: str | None,
        labels: frozenset[str],
        plan: QueryPlan | None,
    ) -> CachedOperation:
        """Parse, validate, hold to the limits and plan: the CPU-heavy first-time work."""
        prepared = prepare(self.supergraph.api_schema, query, operation_name, self.limits)
        if prepared.kind == "subscription":
            # Until the router serves subscriptions, one is refused, never run as a query.
            refusal = {
                "message": SUBSCRIPTIONS_REFUSED,
                "extensions": {"code": "SUBSCRIPTION_DISABLED"},
            }
            raise OperationError("request", [refusal])
        if plan is None:
            with stage("graphql.plan"):
                plan = build_plan(self.supergraph, prepared.document, prepared.name, labels)
        return CachedOperation(prepared, plan, _shaping(self.supergraph.api_schema, prepared))

    def _keep(self, keys: tuple[_Key, ...], cached: CachedOperation) -> None:
        for key in keys:
            self.cache[key] = cached
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)

    def _refuse(self, keys: tuple[_Key, ...], failure: OperationError) -> None:
        for key in keys:
            self.refused[key] = (failure.phase, failure.errors)
            if len(self.refused) > self.cache_size:
                self.refused.popitem(last=False)

    async def _operation(
        self, query: str, operation_name: str | None, labels: frozenset[str]
    ) -> CachedOperation:
        """``operation``, with the plan shared through the backend when one is configured.

        First-time work runs in the prepare worker, within its deadline, when the limits
        set one (router/operation/deadline.py).
        """
        query_hash = hashlib.sha256(query.encode()).hexdigest()
        cached, keys = self._known(query, operation_name, labels, query_hash)
        if cached is not None:
            return cached
        plan: QueryPlan | None = None
        if self.shared_plans is not None:
            shared_key = plan_key(self.supergraph.hash, query_hash, operation_name, labels)
            plan = await self.shared_plans.get(shared_key)
            note_plan_cache("shared", hit=plan is not None)
        shared = plan
        try:
            if self.worker is None:
                cached = self._made(query, operation_name, labels, plan)
            else:
                cached = await self.worker.run(
                    lambda: self._made(query, operation_name, labels, shared)
                )
        except PrepareTimeout as timeout:
            failure = OperationError("validate", [timeout.error])
            if timeout.ran:
                self._refuse(keys, failure)
            raise failure from None
        except OperationError as failure:
            self._refuse(keys, failure)
            raise
        self._keep(keys, cached)
        if self.shared_plans is not None and shared is None:
            await self.shared_plans.put(shared_key, cached.plan)
        return cached

    async def execute(self, request: GraphQLRequest) -> Outcome:
        """Run one request end to end."""
        query = request.query
        if self.persisted is not None:
            try:
                query = await self.persisted.resolve(query, request.extensions)
            except PersistedQueryError as refusal:
                error = {"message": refusal.message, "extensions": {"code": refusal.code}}
                return Outcome({"errors": [error]}, phase="request")
        elif query is None and "persistedQuery" in request.extensions:
            message = "Persisted queries are not enabled on this router."
            error = {"message": message, "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"}}
            return Outcome({"errors": [error]}, phase="request")
        if query is None:
            return Outcome(
                {
                    "errors": [
                        {"message": "No query was sent.", "extensions": {"code": "BAD_REQUEST"}}
                    ]
                },
                phase="request",
            )
        try:
            cached = await self._operation(query, request.operation_name, self._request_labels())
        except OperationError as failure:
            return Outcome({"errors": failure.errors}, phase=failure.phase)
        except PlanningError as failure:
            logger.error("cannot plan an operation: %s", failure)
            error = {
                "message": f"Cannot plan the operation: {failure}",
                "extensions": {"code": "QUERY_PLANNING_FAILED"},
            }
            return Outcome({"errors": [error], "data": None})
        if self.persisted is not None and request.query is not None:
            # Registered only now: text that does not prepare is never stored.
            await self.persisted.register_apq(query, request.extensions)
        prepared = cached.prepared
        note_operation(prepared.name, prepared.kind)
        if request.method == "GET" and prepared.kind != "query":
            message = "Only queries can be sent with GET; use POST for mutations."
            refused = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
            return Outcome(refused, phase="request", mutation_over_get=True)
        coerced = get_variable_values(
            self.supergraph.api_schema,
            prepared.operation.variable_definitions or (),
            dict(request.variables),
        )
        if isinstance(coerced, list):
            errors = [_coded(e, "BAD_USER_INPUT") for e in coerced]
            return Outcome({"errors": errors}, phase="request")
        over_cost = prepared.cost.refusal(coerced.coerced)
        if over_cost is not None:
            return Outcome({"errors": [over_cost.error]}, phase="validate")
        headers = _forwarded(request.identity, self.subgraph_secret)
        report: CacheReport | None = None
        with collecting() as fetch_policies:
            if self.dev_mode and request.headers.get(CACHE_HEADER) == "true":
                with reporting() as report:
                    state = await self.executor.run(
                        cached.plan, request.variables, headers=headers, conditions=coerced.coerced
                    )
            else:
                state = await self.executor.run(
                    cached.plan, request.variables, headers=headers, conditions=coerced.coerced
                )
        introspection = self._introspection(prepared, request.variables, state.errors)
        data = cached.shaping.shape(state.data, state.errors, coerced, introspection)
        body: dict[str, Any] = {}
        if state.errors:
            body["errors"] = state.errors
        body["data"] = data
        extensions: dict[str, Any] = {}
        if self.dev_mode and request.headers.get(PLAN_HEADER) == "true":
            extensions["queryPlan"] = cached.plan.to_json()
        if report is not None:
            extensions["cache"] = report.as_extension()
        if extensions:
            body["extensions"] = extensions
        cache_control = fetch_policies.header(
            mutation=prepared.kind != "query", errors=bool(state.errors)
        )
        return Outcome(body, cache_control=cache_control)

    def _introspection(
        self,
        prepared: PreparedOperation,
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """Answer root ``__schema``/``__type`` fields from the API schema."""
        fields = root_fields(tuple(prepared.operation.selection_set.selections), prepared.fragments)
        selections = tuple(f for f in fields if f.name.value in INTROSPECTION_FIELDS)
        if not selections:
            return {}
        operation = OperationDefinitionNode(
            operation=prepared.operation.operation,
            variable_definitions=prepared.operation.variable_definitions,
            selection_set=SelectionSetNode(selections=selections),
        )
        document = prepared.document.__class__(
            definitions=(operation, *prepared.fragments.values())
        )
        result = execute_sync(self.supergraph.api_schema, document, variable_values=dict(variables))
        if result.errors:
            errors.extend(dict(e.formatted) for e in result.errors)
        return dict(result.data or {})

    async def ready(self) -> bool:
        """Whether the router can serve: always, once this pipeline exists.

        A pipeline is built from a loaded supergraph with its transports, and needs nothing
        else to answer: the cache fails open, and a subgraph that is down costs nulls and a
        coded error at its paths, not the request. So readiness does not ask the subgraphs
        (:meth:`subgraph_health` does): if it did, one subgraph down would take every
        replica out of its load balancer at once, and clients would get connection errors
        instead of partial answers.
        """
        return True

    async def subgraph_health(self) -> dict[str, bool]:
        """Whether each subgraph answers ``{ __typename }``, sent under any cache, by name."""

        async def ping(name: str) -> bool:
            try:
                ping = SubgraphRequest(
                    query="{__typename}", headers=_forwarded(None, self.subgraph_secret)
                )
                response = await self.probe.send(name, ping)
            except TransportError:
                return False
            return response.data is not None

        names = sorted(self.supergraph.urls)
        results = await asyncio.gather(*(ping(name) for name in names))
        return dict(zip(names, results, strict=True))


def _coded(error: GraphQLError, code: str) -> dict[str, Any]:
    out: dict[str, Any] = dict(error.formatted)
    out["extensions"] = {**(error.extensions or {}), "code": code}
    return out


# No client header is forwarded as sent. Not Authorization: subgraphs learn the caller from
# the identity headers the router sets (least privilege: a subgraph never holds a token it
# could replay), and client copies of those (x-fedtasks-*) are never forwarded. Not the
# request id and trace context either: router/observability/transport.py adds them to each
# call under the in-flight dedupe, whose key would otherwise differ for every request.
def _forwarded(identity: Identity | None, secret: str | None) -> dict[str, str]:
    """The headers of a subgraph call the router sets: the caller's identity, its secret."""
    forwarded: dict[str, str] = {}
    if identity is not None:
        forwarded.update(identity.headers())
    if secret:
        forwarded[ROUTER_SECRET_HEADER] = secret
    return forwarded
