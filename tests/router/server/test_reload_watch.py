"""SupergraphWatcher over real supergraph files and the real subgraphs (in process).

Each ``check`` is one look at the file, as the poll loop makes: a new valid version is
swapped in and its new field answers; a bad one is refused with one error log, counted,
and the live version keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from router.pipeline import RouterPipeline
from router.server.contract import GraphQLRequest
from router.server.reload import Close, PipelineHolder
from router.server.reload_watch import ReloadMetrics, SupergraphWatcher
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from router.transport import InProcessTransport
from tests.router.server.supergraph_versions import (
    EMAIL_QUERY,
    FULL,
    INVALID_SDL,
    UNPARSABLE,
    UNSUPPORTED,
    WITHOUT_EMAIL,
    write_atomically,
)
from tests.support.apps import serve_in_process


class Reloading:
    """A holder, its watcher and a registry, over the real subgraphs in process."""

    def __init__(self, path: Path, apps: dict[str, object]) -> None:
        self.path = path
        self.apps = apps
        self.registry = CollectorRegistry()
        self.transports: list[InProcessTransport] = []
        first = read_supergraph(path.read_text(encoding="utf-8"))
        self.holder = PipelineHolder(*self.build(first), label=first.hash)
        self.watcher = SupergraphWatcher(
            path,
            self.holder,
            self.build,
            live_hash=first.hash,
            metrics=ReloadMetrics(self.registry),
        )

    def build(self, supergraph: Supergraph) -> tuple[RouterPipeline, Close]:
        transport = InProcessTransport(self.apps)  # type: ignore[arg-type]
        self.transports.append(transport)
        return RouterPipeline(supergraph, transport), transport.aclose

    async def query(self, query: str) -> dict[str, object]:
        return (await self.holder.execute(GraphQLRequest(query))).body

    def sample(self, name: str, labels: dict[str, str]) -> float | None:
        return self.registry.get_sample_value(name, labels)


@pytest.fixture
async def reloading(tmp_path: Path) -> AsyncIterator[Reloading]:
    path = tmp_path / "supergraph.graphql"
    path.write_text(WITHOUT_EMAIL, encoding="utf-8")
    async with AsyncExitStack() as stack:
        apps = {}
        for service in ("users", "tasks"):
            url = f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}"
            apps[service], _ = await stack.enter_async_context(serve_in_process(service, url))
        reloading = Reloading(path, apps)
        yield reloading
        await reloading.holder.aclose()


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="fedtasks.router")
    return caplog


def error_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "fedtasks.router" and r.levelno == logging.ERROR
    ]


def codes(body: dict[str, object]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]  # type: ignore[attr-defined, index]


async def test_nothing_changes_while_the_file_does_not(reloading: Reloading) -> None:
    assert await reloading.watcher.check() == "unchanged"
    live = read_supergraph(WITHOUT_EMAIL).hash
    assert reloading.sample("fedtasks_supergraph_info", {"hash": live}) == 1


async def test_a_new_version_is_swapped_in_and_its_new_field_answers(
    reloading: Reloading, errors: pytest.LogCaptureFixture
) -> None:
    assert codes(await reloading.query(EMAIL_QUERY)) == ["GRAPHQL_VALIDATION_FAILED"]
    old_hash, new_hash = read_supergraph(WITHOUT_EMAIL).hash, read_supergraph(FULL).hash

    write_atomically(reloading.path, FULL)
    assert await reloading.watcher.check() == "reloaded"

    assert await reloading.query(EMAIL_QUERY) == {"data": {"users": {"edges": []}}}
    assert reloading.holder.label == new_hash
    assert reloading.sample("fedtasks_supergraph_info", {"hash": new_hash}) == 1
    assert reloading.sample("fedtasks_supergraph_info", {"hash": old_hash}) is None
    assert reloading.sample("fedtasks_supergraph_reloads_total", {"outcome": "reloaded"}) == 1
    assert any(f"serving {new_hash} (was {old_hash})" in r.getMessage() for r in errors.records)
    assert error_logs(errors) == []
    assert await reloading.watcher.check() == "unchanged"


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        (UNPARSABLE, "the supergraph SDL does not parse"),
        (INVALID_SDL, "the supergraph's API schema is invalid: Unknown type 'Nope'"),
        (UNSUPPORTED, "links https://specs.apollo.dev/authenticated/v0.1 for SECURITY"),
        ("type Query { hello: String }", "not a supergraph"),
    ],
)
async def test_a_bad_version_is_refused_once_and_the_live_one_keeps_serving(
    reloading: Reloading, errors: pytest.LogCaptureFixture, version: str, reason: str
) -> None:
    live = reloading.holder.label
    write_atomically(reloading.path, version)

    assert await reloading.watcher.check() == "refused"
    assert await reloading.watcher.check() == "unchanged"  # not tried (nor logged) again

    [message] = error_logs(errors)
    assert message.startswith(f"supergraph {reloading.path} refused, still serving {live}: ")
    assert reason in message
    assert reloading.sample("fedtasks_supergraph_reloads_total", {"outcome": "refused"}) == 1
    assert reloading.holder.label == live
    assert reloading.sample("fedtasks_supergraph_info", {"hash": live}) == 1
    body = await reloading.query("{ users(first: 1) { edges { node { id } } } }")
    assert body == {"data": {"users": {"edges": []}}}


async def test_an_unreadable_file_is_refused_and_a_good_one_afterwards_is_loaded(
    reloading: Reloading, errors: pytest.LogCaptureFixture
) -> None:
    reloading.path.unlink()

    assert await reloading.watcher.check() == "refused"
    assert await reloading.watcher.check() == "unchanged"
    [message] = error_logs(errors)
    assert "cannot read it: No such file or directory" in message

    write_atomically(reloading.path, FULL)
    assert await reloading.watcher.check() == "reloaded"
    assert codes(await reloading.query(EMAIL_QUERY)) == []


async def test_a_refused_version_is_logged_again_if_it_comes_back_after_a_good_one(
    reloading: Reloading, errors: pytest.LogCaptureFixture
) -> None:
    write_atomically(reloading.path, UNPARSABLE)
    assert await reloading.watcher.check() == "refused"
    write_atomically(reloading.path, FULL)
    assert await reloading.watcher.check() == "reloaded"

    write_atomically(reloading.path, UNPARSABLE)

    assert await reloading.watcher.check() == "refused"
    assert len(error_logs(errors)) == 2


async def test_the_replaced_pipeline_is_closed(reloading: Reloading) -> None:
    write_atomically(reloading.path, FULL)
    await reloading.watcher.check()

    first, second = reloading.transports
    # A closed httpx client refuses to send: the first pipeline's transport is closed.
    assert first._clients["users"].is_closed
    assert not second._clients["users"].is_closed


async def test_the_poll_loop_says_what_it_serves_and_reloads_by_itself(
    reloading: Reloading, errors: pytest.LogCaptureFixture
) -> None:
    polling = asyncio.create_task(reloading.watcher.run(0.01))
    try:
        write_atomically(reloading.path, FULL)
        for _ in range(500):  # bounded: until the loop has swapped the new version in
            if reloading.holder.label == read_supergraph(FULL).hash:
                break
            await asyncio.sleep(0.01)
    finally:
        polling.cancel()

    assert reloading.holder.label == read_supergraph(FULL).hash
    first = errors.records[0].getMessage()
    assert first.startswith(f"serving supergraph {reloading.path} ")
    assert first.endswith("checking it for changes every 0.01s")
