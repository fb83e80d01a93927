"""A subgraph killed under load, through a real router process, and started again.

While the users subgraph is down, every answer is still a 200 GraphQL response: the tasks
(from the tasks subgraph) with a null assignee and an error with a code at its path, first
SUBGRAPH_UNAVAILABLE (after retries), then SUBGRAPH_CIRCUIT_OPEN once the breaker opened.
Started again on the same port, the users subgraph is probed and used again: full answers
come back and the circuit closes. The router process is never restarted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.load import Answer, Load
from tests.faults.processes import base_environment, wait_until
from tests.faults.stack import TASKS_WITH_ASSIGNEES, Stack, start_stack

DOWN_CODES = {"SUBGRAPH_UNAVAILABLE", "SUBGRAPH_CIRCUIT_OPEN"}


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    env = base_environment(
        FEDTASKS_ENTITY_CACHE="off",  # every answer comes from the subgraphs
        FEDTASKS_BREAKER_MIN_CALLS="5",
        FEDTASKS_BREAKER_COOLDOWN_SECONDS="1",
        FEDTASKS_RETRY_BACKOFF_SECONDS="0.01",
    )
    stack = start_stack(tmp_path, env)
    yield stack
    stack.stop()


def complete(answer: Answer) -> bool:
    """Five tasks, each with its assignee's name, and no error."""
    if answer.status != 200 or not isinstance(answer.body, dict) or "errors" in answer.body:
        return False
    edges = answer.body["data"]["tasks"]["edges"]
    return len(edges) == 5 and all(e["node"]["assignee"]["name"] for e in edges)


def partial(answer: Answer) -> bool:
    """The tasks without assignees, and one error per missing assignee, with a down code."""
    if answer.status != 200 or not isinstance(answer.body, dict):
        return False
    edges = answer.body["data"]["tasks"]["edges"]
    errors = answer.body.get("errors", [])
    return (
        len(edges) == 5
        and all(e["node"]["title"] and e["node"]["assignee"] is None for e in edges)
        and len(errors) >= 1
        and set(answer.codes) <= DOWN_CODES
        and all(error["extensions"]["serviceName"] == "users" for error in errors)
        and all(error["path"][:2] == ["tasks", "edges"] for error in errors)
    )


def test_a_killed_subgraph_leaves_partial_answers_opens_its_circuit_and_recovers(
    stack: Stack,
) -> None:
    with Load(stack.url, {"query": TASKS_WITH_ASSIGNEES}) as load:
        assert all(complete(a) for a in load.wait_until(lambda a: len(a) >= 20, "20 answers"))

        down = load.mark()
        stack.subgraphs["users"].kill()
        load.wait_until(
            lambda a: any("SUBGRAPH_CIRCUIT_OPEN" in x.codes for x in a[down:]),
            "an answer refused by the open circuit",
        )
        wait_until(
            lambda: stack.metric("fedtasks_subgraph_circuit_state", subgraph="users") == 2,
            "the users circuit shown open",
        )
        assert stack.metric("fedtasks_subgraph_circuit_state", subgraph="tasks") == 0

        up = load.mark()
        stack.start_subgraph("users")
        load.wait_until(
            lambda a: sum(complete(x) for x in a[up:]) >= 20, "20 complete answers again"
        )
        wait_until(
            lambda: stack.metric("fedtasks_subgraph_circuit_state", subgraph="users") == 0,
            "the users circuit closed again",
        )
        closed = load.mark()
        load.wait_for(20)

    answers = load.answers
    assert all(a.failure is None and a.status == 200 for a in answers), "a request failed"
    assert all(complete(a) for a in answers[:down])
    during = answers[down:up]
    assert all(complete(a) or partial(a) for a in during)
    assert any("SUBGRAPH_UNAVAILABLE" in a.codes for a in during)
    # While the restarted subgraph is probed, answers are partial or complete...
    assert all(complete(a) or partial(a) for a in answers[up:closed])
    # ...and once the circuit is closed, complete. (Requests already refused by the
    # half-open circuit may answer just after it closed: skip as many as there are clients.)
    assert all(complete(a) for a in answers[closed + 3 :])
    assert stack.router.alive()
    assert (stack.metric("fedtasks_subgraph_retries_total", subgraph="users") or 0) > 0
