"""Through the whole pipeline: the executor flags mutation fetches, so retries skip them.

A real RouterPipeline over the project's supergraph sends its fetches to tiny HTTP
servers that first answer "502 Bad Gateway": the query is sent again and answers, the
mutation is sent once and reported as failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from router.pipeline import RouterPipeline
from router.server.contract import GraphQLRequest
from router.supergraph.reader import read_supergraph
from router.transport import HttpTransport, RetryingTransport
from router.transport.settings import RetrySettings
from tests.router.transport.servers import BAD_GATEWAY, Script, TinyHttpServer, graphql_ok

SUPERGRAPH = read_supergraph(Path("schema/supergraph.graphql").read_text(encoding="utf-8"))


async def run(answers: Script, query: str) -> dict[str, Any]:
    async with TinyHttpServer(answers) as tasks:
        http = HttpTransport({"tasks": tasks.url, "users": tasks.url})
        transport = RetryingTransport(
            http, RetrySettings(retries=2, base_seconds=0.001, max_seconds=0.001)
        )
        try:
            outcome = await RouterPipeline(SUPERGRAPH, transport).execute(GraphQLRequest(query))
        finally:
            await transport.aclose()
    return outcome.body


async def test_a_query_fetch_is_retried_after_a_bad_gateway() -> None:
    answers = Script(BAD_GATEWAY, graphql_ok({"task": {"title": "Write tests"}}))

    body = await run(answers, '{ task(id: "1") { title } }')

    assert body == {"data": {"task": {"title": "Write tests"}}}
    assert answers.calls == 2


async def test_a_mutation_fetch_is_sent_once() -> None:
    answers = Script(BAD_GATEWAY, graphql_ok({"deleteTask": True}))

    body = await run(answers, 'mutation { deleteTask(id: "1") }')

    assert answers.calls == 1
    [error] = body["errors"]
    assert error["extensions"] == {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "tasks"}
    assert body["data"] is None
