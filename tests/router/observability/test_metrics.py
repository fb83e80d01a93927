"""The router's /metrics: requests by operation and outcome, latency, subgraph fetches and
their errors by code, plan caches; operation labels bounded."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from router.cache.memory import MemoryBackend
from router.cache.plans import SharedPlans
from router.observability.metrics import RouterMetrics
from tests.router.observability.stack import TASKS_WITH_ASSIGNEES, observed_router

REQUESTS = "fedtasks_router_requests_total"
FETCH_COUNT = "fedtasks_router_subgraph_request_duration_seconds_count"
FETCH_ERRORS = "fedtasks_router_subgraph_errors_total"


def test_an_operation_is_named_only_once_it_validated() -> None:
    metrics = RouterMetrics(CollectorRegistry())
    assert metrics.operation_label("GetMe", validated=False) == "unknown"
    assert metrics.operation_label(None, validated=True) == "anonymous"
    assert metrics.operation_label("GetMe", validated=True) == "GetMe"


def test_operation_names_past_the_cap_share_one_label() -> None:
    metrics = RouterMetrics(CollectorRegistry(), max_operations=2)
    assert metrics.operation_label("A", validated=True) == "A"
    assert metrics.operation_label("B", validated=True) == "B"
    assert metrics.operation_label("C", validated=True) == "other"
    # Names that already have their series keep them.
    assert metrics.operation_label("A", validated=True) == "A"
    assert metrics.operation_label("L" * 101, validated=True) == "other"


def test_subgraph_error_codes_that_are_not_code_like_share_one_label() -> None:
    registry = CollectorRegistry()
    metrics = RouterMetrics(registry)
    for code in ("NOT_FOUND", "not a code", 42, None, "X" * 65):
        metrics.count_fetch_error("users", code)
    assert registry.get_sample_value(FETCH_ERRORS, {"subgraph": "users", "code": "NOT_FOUND"}) == 1
    assert registry.get_sample_value(FETCH_ERRORS, {"subgraph": "users", "code": "other"}) == 4


async def test_requests_are_counted_by_operation_and_outcome(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        assert (await router.post(TASKS_WITH_ASSIGNEES)).status_code == 200
        await router.post("query Named { tasks(first: 1) { totalCount } }")
        await router.post("{ tasks(first: 1) { totalCount } }")
        await router.post("query Bad { nope }")
        await router.post("query Broken {")
        await router.http.post("/graphql", content=b"[]", headers={"content-type": "x/y"})
        # Not GraphQL requests: the GraphiQL page, and the probes.
        await router.http.get("/graphql", headers={"accept": "text/html"})
        await router.http.get("/health")

    def requests(operation: str, outcome: str) -> float:
        return router.sample(REQUESTS, operation=operation, outcome=outcome)

    assert requests("TasksWithAssignees", "success") == 1
    assert requests("Named", "success") == 1
    assert requests("anonymous", "success") == 1
    # Bad does not validate and Broken does not parse: their names are not labels.
    assert requests("unknown", "request_error") == 3
    assert requests("Bad", "request_error") == 0
    total = sum(
        s.value
        for m in router.registry.collect()
        if m.name == "fedtasks_router_requests"
        for s in m.samples
        if s.name == REQUESTS
    )
    assert total == 6
    duration = "fedtasks_router_request_duration_seconds_count"
    assert router.sample(duration, operation="TasksWithAssignees") == 1
    # The federated query called tasks, then users for the assignees; the others tasks.
    assert router.sample(FETCH_COUNT, subgraph="tasks") == 3
    assert router.sample(FETCH_COUNT, subgraph="users") == 1


async def test_partial_answers_count_as_graphql_errors_and_fetch_errors_by_code(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router({"tasks": subgraph_apps["tasks"]}, down=("users",)) as router:
        response = await router.post(TASKS_WITH_ASSIGNEES)

    body = response.json()
    assert body["data"]["tasks"]["edges"][0]["node"]["assignee"] is None
    assert body["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
    assert router.sample(REQUESTS, operation="TasksWithAssignees", outcome="graphql_error") == 1
    assert router.sample(FETCH_ERRORS, subgraph="users", code="SUBGRAPH_UNAVAILABLE") == 1
    assert router.sample(FETCH_COUNT, subgraph="users") == 1
    assert router.sample(FETCH_ERRORS, subgraph="tasks", code="SUBGRAPH_UNAVAILABLE") == 0


async def test_graphql_errors_a_subgraph_returns_are_counted_by_their_code(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        response = await router.post(
            'mutation { updateTask(id: "nope", input: {title: "x"}) { id } }'
        )

    [error] = response.json()["errors"]
    code = error["extensions"]["code"]
    assert router.sample(FETCH_ERRORS, subgraph="tasks", code=code) == 1
    assert router.sample(REQUESTS, operation="anonymous", outcome="graphql_error") == 1


async def test_plan_caches_count_hits_and_misses(subgraph_apps: dict[str, FastAPI]) -> None:
    shared = SharedPlans(MemoryBackend())
    async with observed_router(dict(subgraph_apps), shared_plans=shared) as first:
        await first.post(TASKS_WITH_ASSIGNEES)
        await first.post(TASKS_WITH_ASSIGNEES)
    async with observed_router(dict(subgraph_apps), shared_plans=shared) as second:
        await second.post(TASKS_WITH_ASSIGNEES)

    hits = "fedtasks_router_plan_cache_hits_total"
    misses = "fedtasks_router_plan_cache_misses_total"
    assert first.sample(misses, cache="process") == 1
    assert first.sample(hits, cache="process") == 1
    assert first.sample(misses, cache="shared") == 1
    # A second replica plans nothing: the first one's plan comes from the backend.
    assert second.sample(misses, cache="process") == 1
    assert second.sample(hits, cache="shared") == 1
    assert second.sample(misses, cache="shared") == 0


async def test_a_batched_post_counts_once_with_the_worst_outcome_of_its_entries(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        response = await router.http.post(
            "/graphql",
            json=[{"query": TASKS_WITH_ASSIGNEES}, {"query": "query Bad { nope }"}],
        )

    assert response.status_code == 200
    assert len(response.json()) == 2
    assert router.sample(REQUESTS, operation="batch", outcome="request_error") == 1
    assert router.sample(REQUESTS, operation="TasksWithAssignees", outcome="success") == 0
