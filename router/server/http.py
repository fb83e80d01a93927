"""GraphQL over HTTP: decode a request into a GraphQLRequest, encode an Outcome as a response.

Follows the GraphQL-over-HTTP draft (https://graphql.github.io/graphql-over-http/draft/):
POST with an ``application/json`` body, GET with the parameters in the query string
(``variables`` and ``extensions`` JSON-encoded). A request that is not well-formed
raises :class:`~router.server.errors.RequestError`; the pipeline never sees it.

Batching (Apollo's "query batching"): a POST whose body is a JSON array of requests
decodes to a :class:`Batch`, answered with a JSON array of responses in the same order
(:mod:`router.server.batch`). An entry that is not a well-formed request gets its error in
its place in the array; the others run. A batch over ``max_batch`` entries is refused
whole (400, BATCH_LIMIT_EXCEEDED). Bodies and GET query strings over ``max_body_bytes``
are refused while they are read (:mod:`router.server.body`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import orjson
from starlette.requests import Request
from starlette.responses import Response

from router.server.body import check_query_string, read_body
from router.server.contract import NO_STORE, GraphQLRequest, Outcome
from router.server.errors import RequestError
from router.server.media_types import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON

# Request errors of a GraphQL-over-HTTP request with the graphql-response+json media
# type: the spec's "Status Codes" section asks for 400 when the request is not
# well-formed, does not parse, does not validate, names no operation it holds or has
# variables that do not coerce; all of these stop before execution.
_NOT_EXECUTED: Final = frozenset({"request", "parse", "validate"})

_UTF8: Final = frozenset({"utf-8", "utf8"})

BATCH_LIMIT_EXCEEDED: Final = "BATCH_LIMIT_EXCEEDED"

VARY: Final = "Authorization"
"""What a cacheable answer varies with: the caller's credentials."""


@dataclass(frozen=True)
class Batch:
    """A batched POST: its entries in order, each a request or the error that refused it."""

    entries: tuple[GraphQLRequest | RequestError, ...]


def headers_of(request: Request) -> dict[str, str]:
    """The request's headers with lower-cased names; repeated ones joined by ``", "``."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


async def decode_request(
    request: Request, *, max_body_bytes: int | None = None, max_batch: int | None = None
) -> GraphQLRequest | Batch:
    """Read the GraphQL request (or batch) a GET or POST carries; raise RequestError if malformed.

    ``max_body_bytes`` bounds the body (or a GET's query string), ``max_batch`` the
    entries of a batch; None is no limit.
    """
    headers = headers_of(request)
    if request.method == "POST":
        _require_json_content_type(headers.get("content-type"))
        body = await read_body(request, max_body_bytes)
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise RequestError(f"The body is not valid JSON: {error}") from None
        if isinstance(params, list):
            return _batch(params, headers=headers, max_batch=max_batch)
        if not isinstance(params, dict):
            raise RequestError("The body must be a JSON object (or an array of them).")
        return _graphql_request(params, method="POST", headers=headers)
    check_query_string(request, max_body_bytes)
    query_params = request.query_params
    params = {name: query_params[name] for name in query_params}
    for name in ("variables", "extensions"):
        if name in params:
            params[name] = _json_parameter(name, params[name])
    return _graphql_request(params, method="GET", headers=headers)


def _batch(entries: list[Any], *, headers: Mapping[str, str], max_batch: int | None) -> Batch:
    """Decode each entry of a batched POST on its own."""
    if not entries:
        raise RequestError("The batch is empty: send at least one request.")
    if max_batch is not None and len(entries) > max_batch:
        raise RequestError(
            f"Batch size: {len(entries)} operations, over the limit of {max_batch}.",
            code=BATCH_LIMIT_EXCEEDED,
        )
    decoded: list[GraphQLRequest | RequestError] = []
    for entry in entries:
        try:
            if not isinstance(entry, dict):
                raise RequestError("Each entry of a batch must be a JSON object.")
            decoded.append(_graphql_request(entry, method="POST", headers=headers))
        except RequestError as error:
            decoded.append(error)
    return Batch(tuple(decoded))


def _require_json_content_type(content_type: str | None) -> None:
    """Accept ``application/json`` in UTF-8 (the default); 415 for anything else.

    The spec's POST section: a server MUST support application/json and SHOULD reject a
    POST without a Content-Type. Form and text bodies are refused on purpose: a browser
    sends them cross-site without a CORS preflight.
    """
    media, *params = (part.strip() for part in (content_type or "").split(";"))
    charset = next(
        (
            value.strip().strip('"').lower()
            for name, _, value in (param.partition("=") for param in params)
            if name.strip().lower() == "charset"
        ),
        "utf-8",
    )
    if media.lower() != APPLICATION_JSON or charset not in _UTF8:
        shown = content_type if content_type else "none"
        raise RequestError(
            f"Unsupported Content-Type ({shown}): send the body as application/json in UTF-8.",
            status=415,
        )


def _json_parameter(name: str, value: str) -> Any:
    """Decode a GET parameter that the spec says is a JSON string."""
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        raise RequestError(f"The '{name}' parameter must be a JSON-encoded object.") from None


def _graphql_request(
    params: Mapping[str, Any], *, method: Literal["GET", "POST"], headers: Mapping[str, str]
) -> GraphQLRequest:
    """Check the parameters' types (the spec's "Request Parameters"); null means absent."""
    query = params.get("query")
    operation_name = params.get("operationName")
    variables = params.get("variables")
    extensions = params.get("extensions")
    if query is not None and not isinstance(query, str):
        raise RequestError("The 'query' parameter must be a string.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError("The 'operationName' parameter must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError("The 'variables' parameter must be an object.")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError("The 'extensions' parameter must be an object.")
    extensions = extensions or {}
    # Only a persisted query (APQ) may leave the document out: the pipeline looks it up.
    if query is None and "persistedQuery" not in extensions:
        raise RequestError("The 'query' parameter is missing: send a GraphQL document.")
    return GraphQLRequest(
        query=query,
        # The spec (GET): an empty operationName is the same as none; POST alike.
        operation_name=operation_name or None,
        variables=variables or {},
        extensions=extensions,
        headers=headers,
        method=method,
    )


def graphql_response(
    body: Mapping[str, Any],
    *,
    media_type: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A GraphQL response body encoded with orjson in ``media_type`` (UTF-8)."""
    return Response(
        orjson.dumps(body),
        status_code=status,
        headers=dict(headers or {}),
        media_type=f"{media_type}; charset=utf-8",
    )


def outcome_status(outcome: Outcome, *, media_type: str) -> int:
    """The status code for a pipeline outcome, per the spec's "Status Codes" section.

    ``application/json``: 200 for every well-formed GraphQL response, so a client can
    tell the server's answers from an intermediary's. ``application/graphql-response+json``:
    400 when the request was not executed (phase request, parse or validate), else 200,
    even with field errors (a partial response). A mutation over GET is 405 in both.
    """
    if outcome.mutation_over_get:
        return 405
    if media_type == GRAPHQL_RESPONSE_JSON and outcome.phase in _NOT_EXECUTED:
        return 400
    return 200


def encode_outcome(outcome: Outcome, *, media_type: str) -> Response:
    """The HTTP response for a pipeline outcome in the negotiated ``media_type``.

    ``Cache-Control`` is the pipeline's (router/cache/response_policy.py); an answer a
    cache may keep varies with the caller's credentials, which ``Vary`` says.
    """
    headers = {"Cache-Control": outcome.cache_control}
    if outcome.cache_control != NO_STORE:
        headers["Vary"] = VARY
    if outcome.mutation_over_get:
        # The spec (GET): a mutation over GET is answered 405 and not run; Allow says how.
        headers["Allow"] = "POST"
    return graphql_response(
        outcome.body,
        media_type=media_type,
        status=outcome_status(outcome, media_type=media_type),
        headers=headers,
    )


def encode_error(error: RequestError, *, media_type: str) -> Response:
    """The HTTP response for a request the server rejected before the pipeline (no-store)."""
    return graphql_response(
        error.body(),
        media_type=media_type,
        status=error.status,
        headers={"Cache-Control": NO_STORE, **(error.headers or {})},
    )
