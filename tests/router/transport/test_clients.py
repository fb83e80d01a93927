"""Transports shared per (subgraph, URL) across pipelines, closed when the last lease ends."""

from __future__ import annotations

import pytest

from router.transport import SubgraphClients, SubgraphRequest, SubgraphResponse, TransportError

QUERY = SubgraphRequest("{ __typename }")


class Recorder:
    """A transport factory that remembers what it made and what was closed (pure bookkeeping)."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str]] = []
        self.closed: list[tuple[str, str]] = []

    def __call__(self, subgraph: str, url: str) -> Recorded:
        self.made.append((subgraph, url))
        return Recorded(self, subgraph, url)


class Recorded:
    def __init__(self, recorder: Recorder, subgraph: str, url: str) -> None:
        self.recorder, self.route = recorder, (subgraph, url)

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse(data={"url": self.route[1]})

    async def aclose(self) -> None:
        self.recorder.closed.append(self.route)


URLS = {"users": "http://users-1/graphql", "tasks": "http://tasks/graphql"}
MOVED = {"users": "http://users-2/graphql", "tasks": "http://tasks/graphql"}


async def test_pipelines_on_the_same_urls_share_transports() -> None:
    recorder = Recorder()
    clients = SubgraphClients(recorder)

    first, second = clients.lease(URLS), clients.lease(URLS)

    assert sorted(recorder.made) == sorted(URLS.items())
    assert (await second.send("users", QUERY)).data == {"url": "http://users-1/graphql"}
    await first.aclose()
    assert recorder.closed == []
    await second.aclose()
    assert sorted(recorder.closed) == sorted(URLS.items())
    assert clients.open_routes() == []


async def test_a_moved_subgraph_gets_a_new_transport_and_the_old_one_closes_with_its_lease() -> (
    None
):
    recorder = Recorder()
    clients = SubgraphClients(recorder)
    old = clients.lease(URLS)

    new = clients.lease(MOVED)

    assert recorder.made[-1] == ("users", "http://users-2/graphql")
    assert len(recorder.made) == 3  # tasks is shared
    assert (await old.send("users", QUERY)).data == {"url": "http://users-1/graphql"}
    assert (await new.send("users", QUERY)).data == {"url": "http://users-2/graphql"}

    await old.aclose()
    assert recorder.closed == [("users", "http://users-1/graphql")]
    await old.aclose()  # giving a lease back twice changes nothing
    assert recorder.closed == [("users", "http://users-1/graphql")]
    assert clients.open_routes() == [
        ("tasks", "http://tasks/graphql"),
        ("users", "http://users-2/graphql"),
    ]
    await new.aclose()


async def test_a_subgraph_without_a_url_is_unavailable() -> None:
    clients = SubgraphClients(Recorder())
    lease = clients.lease(URLS)

    with pytest.raises(TransportError) as raised:
        await lease.send("reviews", QUERY)

    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"
    await lease.aclose()


async def test_closing_the_clients_closes_every_transport() -> None:
    recorder = Recorder()
    clients = SubgraphClients(recorder)
    clients.lease(URLS)
    clients.lease(MOVED)

    await clients.aclose()

    assert sorted(recorder.closed) == sorted([*URLS.items(), ("users", "http://users-2/graphql")])
