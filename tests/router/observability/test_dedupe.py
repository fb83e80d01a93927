"""Request ids and trace context do not defeat the in-flight dedupe: they are added to each
subgraph call under it, so identical queries from clients with their own ids share a call."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from prometheus_client import CollectorRegistry
from starlette.types import ASGIApp, Receive, Scope, Send

from router.observability import Observability, RouterMetrics
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.transport.dedupe import DedupingTransport
from router.transport.http import HttpTransport
from tests.router.observability.stack import SUPERGRAPH
from tests.support.apps import serve_in_process

QUERY = "{ users(first: 1) { totalCount } }"


@dataclass
class Gate:
    """Holds every GraphQL call to the subgraph until opened; counts and notes them."""

    app: ASGIApp
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    request_ids: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/graphql":
            headers = dict(scope["headers"])
            self.request_ids.append(headers[b"x-request-id"].decode())
            await self.opened.wait()
        await self.app(scope, receive, send)


async def test_identical_queries_with_their_own_ids_share_one_subgraph_call(
    users_url: str,
) -> None:
    async with serve_in_process("users", users_url) as (users, _):
        gate = Gate(users)
        observability = Observability(RouterMetrics(CollectorRegistry()))
        subgraph = HttpTransport(
            {"users": "http://users/graphql"},
            transports={"users": httpx.ASGITransport(app=gate)},
        )
        dedupe = DedupingTransport(observability.transport(subgraph))
        app = create_router_app(
            RouterPipeline(SUPERGRAPH, dedupe), middleware=[observability.middleware()]
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://router"
        ) as client:
            requests = [
                asyncio.create_task(
                    client.post(
                        "/graphql",
                        json={"query": QUERY},
                        headers={
                            "x-request-id": request_id,
                            "traceparent": f"00-{trace_id * 32}-{'1' * 16}-01",
                        },
                    )
                )
                for request_id, trace_id in (("client-a", "a"), ("client-b", "b"))
            ]
            # Until the second request waits on the first one's call, or (deduplication
            # defeated) sends its own; steps of the event loop, not time.
            for _ in range(10_000):
                if dedupe.shared or len(gate.request_ids) == 2:
                    break
                await asyncio.sleep(0)
            gate.opened.set()
            first, second = await asyncio.gather(*requests)
        await dedupe.aclose()

    assert first.json() == second.json() == {"data": {"users": {"totalCount": 0}}}
    assert [first.headers["x-request-id"], second.headers["x-request-id"]] == [
        "client-a",
        "client-b",
    ]
    assert dedupe.shared == 1
    assert len(gate.request_ids) == 1
    assert gate.request_ids[0] in ("client-a", "client-b")
