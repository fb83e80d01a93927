"""APQ registers only documents that prepare: garbage, refused and oversized text is not kept."""

from __future__ import annotations

import hashlib
import http.client

import orjson
import pytest

from tests.hostile.conftest import RouterProcess
from tests.hostile.probe import Probe, post


def send(router: RouterProcess, query: str | None, digest: str) -> tuple[int, dict[str, object]]:
    body: dict[str, object] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    }
    if query is not None:
        body["query"] = query
    connection = http.client.HTTPConnection("127.0.0.1", router.port, timeout=30)
    try:
        status, raw = post(connection, orjson.dumps(body))
    finally:
        connection.close()
    return status, orjson.loads(raw)


def code(answer: dict[str, object]) -> str:
    return answer["errors"][0]["extensions"]["code"]  # type: ignore[index, no-any-return]


@pytest.mark.parametrize(
    ("text", "refused_with"),
    [
        pytest.param("x" * 60_000, "GRAPHQL_PARSE_FAILED", id="garbage"),
        pytest.param("{ " * 40_000, "MAX_DOCUMENT_SIZE_EXCEEDED", id="over-the-size-limit"),
        pytest.param("{ nope }", "GRAPHQL_VALIDATION_FAILED", id="invalid"),
        pytest.param(
            "{ " + "__typename " * 500 + "}", "MAX_SELECTIONS_EXCEEDED", id="over-a-limit"
        ),
    ],
)
def test_text_that_does_not_prepare_is_not_registered(
    router: RouterProcess, text: str, refused_with: str
) -> None:
    digest = hashlib.sha256(text.encode()).hexdigest()
    with Probe(router.port) as probe:
        for _ in range(5):
            status, answer = send(router, text, digest)
            assert (status, code(answer)) == (400, refused_with)
    probe.assert_served()
    status, answer = send(router, None, digest)
    assert code(answer) == "PERSISTED_QUERY_NOT_FOUND"


def test_a_document_that_prepares_is_registered(router: RouterProcess) -> None:
    text = "query Registered { __typename }"
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert code(send(router, None, digest)[1]) == "PERSISTED_QUERY_NOT_FOUND"
    assert send(router, text, digest) == (200, {"data": {"__typename": "Query"}})
    assert send(router, None, digest) == (200, {"data": {"__typename": "Query"}})
