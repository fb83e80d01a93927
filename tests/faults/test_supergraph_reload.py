"""Supergraph hot reload in a real router process, under load.

The router starts on a supergraph without ``User.email``; the file is replaced by the
full one while clients keep querying: the new field starts answering, and no request
fails or even sees an error. Then a broken file is written: it is refused with one
error log, counted, and the full supergraph keeps serving.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from router.supergraph.reader import read_supergraph
from tests.faults.load import Answer, Load
from tests.faults.processes import base_environment, wait_until
from tests.faults.stack import TASKS_WITH_ASSIGNEES, Stack, start_stack
from tests.router.server.supergraph_versions import (
    EMAIL_QUERY,
    FULL,
    UNPARSABLE,
    WITHOUT_EMAIL,
    write_atomically,
)
from tests.support.auth import token

REFUSED = "refused, still serving"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(WITHOUT_EMAIL, encoding="utf-8")
    env = base_environment(FEDTASKS_SUPERGRAPH_POLL_SECONDS="0.2")
    stack = start_stack(tmp_path, env, supergraph=supergraph)
    yield stack
    stack.stop()


def complete(answer: Answer) -> bool:
    if answer.status != 200 or not isinstance(answer.body, dict) or "errors" in answer.body:
        return False
    edges = answer.body["data"]["tasks"]["edges"]
    return len(edges) == 5 and all(e["node"]["assignee"]["name"] for e in edges)


def emails(stack: Stack) -> httpx.Response:
    # Emails are for signed-in callers.
    headers = {"Authorization": f"Bearer {token('a-reader')}"}
    return httpx.post(stack.url, json={"query": EMAIL_QUERY}, headers=headers, timeout=10)


def emails_answer(stack: Stack) -> bool:
    body = emails(stack).json()
    if "errors" in body:
        return False
    edges = body["data"]["users"]["edges"]
    return len(edges) == 3 and all("@" in edge["node"]["email"] for edge in edges)


def test_a_new_supergraph_is_served_without_a_failed_request_and_a_broken_one_is_refused(
    stack: Stack,
) -> None:
    path = stack.directory / "supergraph.graphql"
    old, new = read_supergraph(WITHOUT_EMAIL).hash, read_supergraph(FULL).hash
    assert stack.metric("fedtasks_supergraph_info", hash=old) == 1
    refused = emails(stack).json()["errors"][0]["extensions"]["code"]
    assert refused == "GRAPHQL_VALIDATION_FAILED"

    with Load(stack.url, {"query": TASKS_WITH_ASSIGNEES}) as load:
        load.wait_for(20)

        write_atomically(path, FULL)
        wait_until(lambda: emails_answer(stack), "the new field answering", log=stack.router)
        assert stack.metric("fedtasks_supergraph_info", hash=new) == 1
        assert stack.metric("fedtasks_supergraph_info", hash=old) is None
        assert stack.metric("fedtasks_supergraph_reloads_total", outcome="reloaded") == 1
        load.wait_for(20)

        write_atomically(path, UNPARSABLE)
        wait_until(
            lambda: stack.metric("fedtasks_supergraph_reloads_total", outcome="refused") == 1,
            "the broken file refused",
            log=stack.router,
        )
        load.wait_for(20)
        assert emails_answer(stack)

    assert all(a.failure is None for a in load.answers), "a request failed"
    assert all(complete(a) for a in load.answers)
    assert stack.metric("fedtasks_supergraph_info", hash=new) == 1
    assert stack.metric("fedtasks_supergraph_reloads_total", outcome="refused") == 1
    log = stack.router.output()
    assert log.count(REFUSED) == 1
    assert f"{REFUSED} {new}: the supergraph SDL does not parse" in log
