"""Bad input at the router's HTTP endpoint: zero 5xx, and every answer a GraphQL response.

Hypothesis draws POST bodies (requests whose parameters have any type, batches, any JSON,
damaged JSON, bytes) and GET query strings, with queries from the schema's vocabulary
(valid ones that run against the subgraphs, and ones broken at every stage), deeply
nested text and huge strings (tests/fuzz/strategies.py). The router runs in process over
the real subgraph apps, once with the production defaults of ``fedtasks router`` and once
with the library's permissive ones (no limits). Examples are derandomized and bounded, so
the run is the same each time and short.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import BODY, GET_PARAMETERS
from tests.router.auth.tokens import hs256
from tests.router.limits.router_app import Router, production_router, router_app

FUZZ = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    # One router (and its subgraphs) serves every example of a test.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Weighted towards what GraphQL clients send, so that most requests reach the pipeline.
CONTENT_TYPES = st.sampled_from(
    [
        *["application/json"] * 6,
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "text/plain",
        "application/graphql",
        None,
    ]
)
ACCEPTS = st.sampled_from(
    [
        *[None] * 6,
        "application/json",
        "application/graphql-response+json",
        "*/*",
        "text/html",
        "application/xml",
        "application/json;q=0, */*;q=0.1",
    ]
)
PREFLIGHT = st.sampled_from([{}, *[{"apollo-require-preflight": "true"}] * 3])
AUTHORIZATION = st.one_of(
    st.sampled_from(
        [
            f"Bearer {hs256(subject='fuzz')}",
            f"Bearer {hs256(subject='fuzz', exp=1)}",
            f"Bearer {hs256(secret='another-secret-of-at-least-thirty-two-bytes')}",
            "Bearer not.a.token",
            "Bearer",
            "Basic dXNlcjpwYXNz",
            "",
        ]
    ),
    st.text(max_size=40).map(lambda text: f"Bearer {text}"),
)

RESPONSE_KEYS = frozenset({"data", "errors", "extensions"})


@pytest.fixture(params=["production", "permissive"])
async def router(
    request: pytest.FixtureRequest, users_url: str, tasks_url: str
) -> AsyncIterator[Router]:
    if request.param == "production":
        async with production_router(users_url, tasks_url) as router:
            yield router
    else:
        async with router_app(users_url, tasks_url) as router:
            yield router


def assert_graphql_response(body: Any) -> None:
    """A GraphQL response: data and/or errors, each error with a message and a code."""
    assert isinstance(body, dict), body
    assert set(body) <= RESPONSE_KEYS, body
    assert "data" in body or "errors" in body, body
    if "data" in body:
        assert body["data"] is None or isinstance(body["data"], dict), body
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, list), body
        assert errors, body
        for error in errors:
            assert isinstance(error, dict), body
            assert isinstance(error.get("message"), str), body
            assert isinstance(error.get("extensions", {}).get("code"), str), body


def assert_answer(response: httpx.Response, *, batch_possible: bool) -> None:
    assert response.status_code < 500, response.text[:2000]
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("text/html"):  # GraphiQL, for a browser's GET
        assert response.request.method == "GET"
        assert "query" not in response.request.url.params
        return
    assert content_type.split(";")[0] in (
        "application/json",
        "application/graphql-response+json",
    ), content_type
    body = response.json()
    if isinstance(body, list):
        assert batch_possible
        assert response.status_code == 200
        assert body
        for entry in body:
            assert_graphql_response(entry)
    else:
        assert_graphql_response(body)


def _body(value: Any) -> bytes:
    return json.dumps(value).encode()


KNOWN = [
    _body({"query": "{a" * 5000 + "}" * 5000}),
    _body(
        {
            "query": "{ users(first: 2147483647) { edges { node {"
            " tasks(first: 2147483647) { edges { node { title } } } } } } }"
        }
    ),
    _body(
        {"query": "query($n: Int) { users(first: $n) { totalCount } }", "variables": {"n": 2**70}}
    ),
    _body([{"query": "{ __typename }"}] * 11),
    _body({"query": get_introspection_query()}),
    _body({"query": "{ __typename }", "x": "x" * 1_048_576}),
    b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
]
"""Inputs known to hurt GraphQL servers, always tried: deep nesting, huge list sizes and
integers, a batch over the limit, full introspection, an oversized body."""

BOMB = " ".join(f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
"""A fragment bomb: 2^40 spreads of the last fragment once inlined. The field count
(fragments inlined, memoised) refuses it before validation; the cost limit would too (the
library's defaults have neither; ``fedtasks router`` sets both)."""


@FUZZ
@given(body=BODY, content_type=CONTENT_TYPES, accept=ACCEPTS, preflight=PREFLIGHT)
@example(body=KNOWN[0], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[1], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[2], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[3], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[4], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[5], content_type="application/json", accept=None, preflight={})
@example(body=KNOWN[6], content_type="application/json", accept=None, preflight={})
async def test_posts_get_graphql_answers(
    router: Router,
    body: bytes,
    content_type: str | None,
    accept: str | None,
    preflight: dict[str, str],
) -> None:
    headers = dict(preflight)
    if content_type is not None:
        headers["Content-Type"] = content_type
    if accept is not None:
        headers["Accept"] = accept
    response = await router.client.post("/graphql", content=body, headers=headers)
    assert_answer(response, batch_possible=body.lstrip().startswith(b"["))


@FUZZ
@given(params=GET_PARAMETERS, accept=ACCEPTS, preflight=PREFLIGHT)
async def test_gets_get_graphql_answers(
    router: Router, params: dict[str, str], accept: str | None, preflight: dict[str, str]
) -> None:
    headers = dict(preflight)
    if accept is not None:
        headers["Accept"] = accept
    response = await router.client.get("/graphql", params=params, headers=headers)
    assert_answer(response, batch_possible=False)


@pytest.fixture
async def production(users_url: str, tasks_url: str) -> AsyncIterator[Router]:
    async with production_router(users_url, tasks_url) as router:
        yield router


@FUZZ
@given(body=BODY, authorization=AUTHORIZATION)
async def test_credentials_get_graphql_answers(
    production: Router, body: bytes, authorization: str
) -> None:
    # Header values are bytes on the wire, without control characters (an HTTP server
    # refuses those before the app sees them).
    value = bytes(b for b in authorization.encode("latin-1", "replace") if 0x20 <= b != 0x7F)
    headers = {"Content-Type": "application/json", "Authorization": value}
    response = await production.client.post("/graphql", content=body, headers=headers)
    assert_answer(response, batch_possible=body.lstrip().startswith(b"["))


async def test_a_fragment_bomb_is_refused_before_validation(production: Router) -> None:
    # Counted with fragments inlined, memoised: 2^40 fields, refused before validation.
    query = "{ user(id: 1) { ...F0 } } " + BOMB + " fragment F40 on User { name }"
    response = await production.post({"query": query})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "MAX_FIELDS_EXCEEDED"}
