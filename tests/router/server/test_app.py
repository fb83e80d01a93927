"""The router's ASGI app against a real graphql-core pipeline: GraphQL over HTTP end to end.

:class:`GraphQLCorePipeline` implements the server's Pipeline protocol with graphql-core's
own ``parse``, ``validate`` and ``execute`` on a tiny schema, so the status codes below
come from real parse, validation and coercion outcomes, not from hand-made ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import (
    GraphQLError,
    GraphQLResolveInfo,
    OperationType,
    build_schema,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.pyutils import is_awaitable
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from fedtasks_graphiql import (
    ASSET_FILES,
    ASSETS_DIR_ENV,
    ASSETS_PATH,
    NOT_INSTALLED_MESSAGE,
    missing_assets,
)
from router.server.app import create_router_app
from router.server.contract import GraphQLRequest, Outcome
from router.server.subgraph_health import SubgraphHealth

SCHEMA = build_schema(
    """
    type Query {
      hello(name: String! = "world"): String!
      boom: String
    }
    type Mutation {
      bump: Int!
    }
    """
)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json; charset=utf-8"
APPLICATION_JSON = "application/json; charset=utf-8"


def _hello(_info: GraphQLResolveInfo, name: str) -> str:
    return f"hello {name}"


def _boom(_info: GraphQLResolveInfo) -> str:
    raise ValueError("boom")


class GraphQLCorePipeline:
    """A real pipeline: parse, validate, coerce variables and execute with graphql-core."""

    def __init__(self, *, ready: bool = True) -> None:
        self.is_ready = ready
        self.health = {"a": True, "b": True}
        self.requests: list[GraphQLRequest] = []
        self.counter = 0

    async def ready(self) -> bool:
        return self.is_ready

    async def subgraph_health(self) -> dict[str, bool]:
        return dict(self.health)

    def _bump(self, _info: GraphQLResolveInfo) -> int:
        self.counter += 1
        return self.counter

    async def execute(self, request: GraphQLRequest) -> Outcome:
        self.requests.append(request)
        if request.query is None:
            return _errors("PersistedQueryNotFound", phase="request")
        try:
            document = parse(request.query)
        except GraphQLError as error:
            return Outcome({"errors": [error.formatted]}, phase="parse")
        errors = validate(SCHEMA, document)
        if errors:
            return Outcome({"errors": [e.formatted for e in errors]}, phase="validate")
        operation = get_operation_ast(document, request.operation_name)
        if operation is None:
            return _errors("Unknown or ambiguous operation.", phase="request")
        if request.method == "GET" and operation.operation is OperationType.MUTATION:
            return Outcome(
                _errors("Mutations need POST.", phase="request").body,
                phase="request",
                mutation_over_get=True,
            )
        variables = dict(request.variables)
        coerced = get_variable_values(SCHEMA, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            return Outcome({"errors": [e.formatted for e in coerced]}, phase="request")
        root = {"hello": _hello, "boom": _boom, "bump": self._bump}
        result = execute(
            SCHEMA,
            document,
            root_value=root,
            variable_values=variables,
            operation_name=request.operation_name,
        )
        if is_awaitable(result):
            result = await result
        return Outcome(result.formatted, phase="execute")


def _errors(message: str, *, phase: Any) -> Outcome:
    return Outcome({"errors": [{"message": message}]}, phase=phase)


@pytest.fixture
def pipeline() -> GraphQLCorePipeline:
    return GraphQLCorePipeline()


@pytest.fixture
def app(pipeline: GraphQLCorePipeline) -> Starlette:
    return create_router_app(pipeline, title="Test router")


# The clients of these tests are GraphQL clients, not browsers: like Apollo Client's
# `apollo-require-preflight`, they send a header that passes CSRF prevention on GET (and on
# the form and text POSTs refused below for their content type). test_csrf.py covers
# requests without it.
PREFLIGHT = {"graphql-preflight": "1"}


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://router", headers=PREFLIGHT
    ) as http:
        yield http


def _error_codes(response: httpx.Response) -> list[str | None]:
    return [e.get("extensions", {}).get("code") for e in response.json()["errors"]]


# --- POST and GET -----------------------------------------------------------------------


async def test_post_json_runs_the_operation(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query Greet($who: String!) { hello(name: $who) }",
            "operationName": "Greet",
            "variables": {"who": "router"},
            "extensions": {"trace": True},
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "hello router"}}


async def test_post_passes_every_parameter_and_lower_cased_headers(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    await client.post(
        "/graphql",
        json={"query": "{ hello }", "variables": {"a": 1}, "extensions": {"b": 2}},
        headers={"X-Request-ID": "abc", "Authorization": "Bearer t"},
    )
    (seen,) = pipeline.requests
    assert seen.method == "POST"
    assert seen.query == "{ hello }"
    assert seen.operation_name is None
    assert seen.variables == {"a": 1}
    assert seen.extensions == {"b": 2}
    assert seen.headers["x-request-id"] == "abc"
    assert seen.headers["authorization"] == "Bearer t"
    assert all(name == name.lower() for name in seen.headers)


async def test_null_parameters_are_the_same_as_absent_ones(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    body = {"query": "{ hello }", "operationName": None, "variables": None, "extensions": None}
    response = await client.post("/graphql", json=body)
    assert response.json() == {"data": {"hello": "hello world"}}
    (seen,) = pipeline.requests
    assert (seen.operation_name, seen.variables, seen.extensions) == (None, {}, {})


async def test_post_mutation_runs(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "mutation { bump }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"bump": 1}}


async def test_get_runs_a_query_with_json_encoded_variables_and_extensions(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query Greet($who: String!) { hello(name: $who) } query Other { boom }",
            "operationName": "Greet",
            "variables": orjson.dumps({"who": "get"}).decode(),
            "extensions": orjson.dumps({"k": "v"}).decode(),
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "hello get"}}
    (seen,) = pipeline.requests
    assert seen.method == "GET"
    assert seen.operation_name == "Greet"
    assert seen.extensions == {"k": "v"}


async def test_get_with_an_empty_operation_name_means_none(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    response = await client.get("/graphql", params={"query": "{ hello }", "operationName": ""})
    assert response.json() == {"data": {"hello": "hello world"}}
    assert pipeline.requests[0].operation_name is None


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, APPLICATION_JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json", APPLICATION_JSON),
    ],
)
async def test_get_mutation_is_405_with_allow_post(
    client: httpx.AsyncClient,
    pipeline: GraphQLCorePipeline,
    accept: str | None,
    content_type: str,
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = await client.get("/graphql", params={"query": "mutation { bump }"}, headers=headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"] == content_type
    assert response.json()["errors"][0]["message"] == "Mutations need POST."
    assert pipeline.counter == 0


async def test_persisted_query_without_a_document_reaches_the_pipeline(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}
    response = await client.post("/graphql", json={"extensions": extensions})
    assert response.json() == {"errors": [{"message": "PersistedQueryNotFound"}]}
    (seen,) = pipeline.requests
    assert seen.query is None
    assert seen.extensions == extensions

    pipeline.requests.clear()
    await client.get("/graphql", params={"extensions": orjson.dumps(extensions).decode()})
    (seen,) = pipeline.requests
    assert (seen.method, seen.query) == ("GET", None)


# --- requests that are not well-formed ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"NONSENSE", "not valid JSON"),
        (b'{"query":', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[]", "The batch is empty"),
        (b'"{ hello }"', "must be a JSON object"),
        (b"{}", "'query' parameter is missing"),
        (b'{"qeury": "{ hello }"}', "'query' parameter is missing"),
        (b'{"query": 1}', "'query' parameter must be a string"),
        (b'{"query": "{ hello }", "operationName": 3}', "'operationName' parameter must be"),
        (b'{"query": "{ hello }", "variables": [7]}', "'variables' parameter must be"),
        (b'{"query": "{ hello }", "variables": "{}"}', "'variables' parameter must be"),
        (b'{"query": "{ hello }", "extensions": 1}', "'extensions' parameter must be"),
    ],
)
@pytest.mark.parametrize("accept", [None, "application/json"])
async def test_malformed_post_is_400_bad_request(
    client: httpx.AsyncClient,
    pipeline: GraphQLCorePipeline,
    body: bytes,
    message: str,
    accept: str | None,
) -> None:
    headers = {"Content-Type": "application/json"}
    if accept:
        headers["Accept"] = accept
    response = await client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert _error_codes(response) == ["BAD_REQUEST"]
    assert message in response.json()["errors"][0]["message"]
    assert pipeline.requests == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"operationName": "Q"},
        {"query": "{ hello }", "variables": "{not json"},
        {"query": "{ hello }", "variables": "[7]"},
        {"query": "{ hello }", "extensions": '"text"'},
    ],
)
async def test_malformed_get_is_400_bad_request(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline, params: dict[str, str]
) -> None:
    response = await client.get("/graphql", params=params, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == APPLICATION_JSON
    assert _error_codes(response) == ["BAD_REQUEST"]
    assert pipeline.requests == []


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/json; charset=latin-1",
    ],
)
async def test_unsupported_post_content_type_is_415(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert response.status_code == 415
    assert _error_codes(response) == ["BAD_REQUEST"]
    assert "application/json" in response.json()["errors"][0]["message"]
    assert pipeline.requests == []


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
async def test_json_content_type_with_utf8_charset_or_any_case(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": "{ hello }"}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "accept",
    ["text/plain", "text/html", "application/xml, text/*", "application/json;q=0", "*/*;q=0"],
)
async def test_no_acceptable_media_type_is_406(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline, accept: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"Accept": accept}
    )
    assert response.status_code == 406
    assert response.headers["content-type"] == APPLICATION_JSON
    assert _error_codes(response) == ["BAD_REQUEST"]
    assert pipeline.requests == []


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ hello }"})
    assert response.status_code == 405


# --- media types and status codes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        # No Accept, or one naming neither type: application/json, as the GraphQL over
        # HTTP audit asks (47DE, 80D8).
        (None, APPLICATION_JSON),
        ("", APPLICATION_JSON),
        ("*/*", APPLICATION_JSON),
        ("application/*", APPLICATION_JSON),
        ("application/graphql-response+json, */*", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json", APPLICATION_JSON),
        ("application/json; charset=utf-8", APPLICATION_JSON),
        (
            "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
            GRAPHQL_RESPONSE_JSON,
        ),
        ("application/json, application/graphql-response+json", APPLICATION_JSON),
        ("application/graphql-response+json;q=0.5, application/json", APPLICATION_JSON),
        ("application/graphql-response+json;q=0, */*", APPLICATION_JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", APPLICATION_JSON),
    ],
)
async def test_response_media_type_follows_accept(
    client: httpx.AsyncClient, accept: str | None, content_type: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = await client.post("/graphql", json={"query": "{ hello }"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.json() == {"data": {"hello": "hello world"}}


NOT_EXECUTED = [
    pytest.param({"query": "{"}, "Syntax Error", id="parse"),
    pytest.param({"query": "{ nope }"}, "Cannot query field 'nope'", id="validate"),
    pytest.param(
        {"query": "query A { hello } query B { boom }", "operationName": "C"},
        "Unknown or ambiguous operation",
        id="operation-not-found",
    ),
    pytest.param(
        {"query": "query ($n: String!) { hello(name: $n) }", "variables": {"n": 3}},
        "Variable '$n' has invalid value",
        id="variable-coercion",
    ),
]


@pytest.mark.parametrize(("body", "message"), NOT_EXECUTED)
async def test_request_errors_are_400_with_graphql_response_json(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await client.post(
        "/graphql", json=body, headers={"Accept": "application/graphql-response+json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE_JSON
    assert "data" not in response.json()
    assert message in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("body", "message"), NOT_EXECUTED)
async def test_request_errors_are_200_with_application_json(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await client.post("/graphql", json=body, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == APPLICATION_JSON
    assert message in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("accept", ["application/graphql-response+json", "application/json"])
async def test_field_errors_are_a_partial_response_with_200(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hello boom }"}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"hello": "hello world", "boom": None}
    assert body["errors"][0]["message"] == "boom"
    assert body["errors"][0]["path"] == ["boom"]


async def test_get_parse_error_uses_the_same_status_rules(client: httpx.AsyncClient) -> None:
    strict = await client.get(
        "/graphql", params={"query": "{"}, headers={"Accept": "application/graphql-response+json"}
    )
    legacy = await client.get(
        "/graphql", params={"query": "{"}, headers={"Accept": "application/json"}
    )
    assert (strict.status_code, legacy.status_code) == (400, 200)
    assert strict.json() == legacy.json()


# --- GraphiQL, health and readiness -------------------------------------------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


async def test_browser_get_serves_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Test router</title>" in response.text
    assert 'var endpoint = "/graphql";' in response.text
    for name in ASSET_FILES:
        assert f'"{ASSETS_PATH}/{name}"' in response.text


async def test_browser_get_with_a_query_runs_it(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ hello }"}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert response.headers["content-type"] == APPLICATION_JSON
    assert response.json() == {"data": {"hello": "hello world"}}


async def test_graphiql_assets_are_mounted(client: httpx.AsyncClient) -> None:
    assert missing_assets() == (), "run `make install`"
    for name in ASSET_FILES:
        response = await client.get(f"{ASSETS_PATH}/{name}")
        assert response.status_code == 200, name


async def test_without_graphiql_assets_the_router_starts_and_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pipeline: GraphQLCorePipeline
) -> None:
    monkeypatch.setenv(ASSETS_DIR_ENV, str(tmp_path / "missing"))
    app = create_router_app(pipeline)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://router") as http:
        page = await http.get("/graphql", headers={"Accept": BROWSER_ACCEPT})
        assert page.status_code == 503
        assert NOT_INSTALLED_MESSAGE in page.text
        asset = await http.get(f"{ASSETS_PATH}/{ASSET_FILES[0]}")
        assert (asset.status_code, asset.text) == (503, NOT_INSTALLED_MESSAGE)
        # GraphQL itself is unaffected.
        answer = await http.post("/graphql", json={"query": "{ hello }"})
        assert answer.json() == {"data": {"hello": "hello world"}}


async def test_head_on_graphql_is_a_get(client: httpx.AsyncClient) -> None:
    response = await client.head("/graphql", params={"query": "{ hello }"})
    assert response.status_code == 200
    assert response.headers["content-type"] == APPLICATION_JSON


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_while_the_pipeline_is(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    ready = await client.get("/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    pipeline.is_ready = False
    unready = await client.get("/ready")
    assert (unready.status_code, unready.json()) == (503, {"status": "unavailable"})


async def test_subgraph_health_is_its_own_endpoint_and_metric(
    pipeline: GraphQLCorePipeline,
) -> None:
    registry = CollectorRegistry()
    health = SubgraphHealth(pipeline, registry)
    app = create_router_app(pipeline, subgraph_health=health)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        up = await client.get("/health/subgraphs")
        pipeline.health = {"a": True, "b": False}
        down = await client.get("/health/subgraphs")
        b_down = registry.get_sample_value("fedtasks_subgraph_up", {"subgraph": "b"})
        pipeline.health = {"a": True}  # a reload removed b
        await client.get("/health/subgraphs")
        ready = await client.get("/ready")

    assert (up.status_code, up.json()) == (200, {"subgraphs": {"a": "up", "b": "up"}})
    assert (down.status_code, down.json()) == (503, {"subgraphs": {"a": "up", "b": "down"}})
    assert b_down == 0
    assert registry.get_sample_value("fedtasks_subgraph_up", {"subgraph": "a"}) == 1
    assert registry.get_sample_value("fedtasks_subgraph_up", {"subgraph": "b"}) is None
    assert ready.status_code == 200
