"""``fedtasks router`` and both subgraphs as real processes, in production mode: JSON log
lines with one request id across the three, spans exported to a real OTLP/HTTP receiver
under the client's trace, /metrics, /health and /ready on every process, and the router's
/health/subgraphs."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.router.observability.otlp_receiver import SERVER_KIND, OtlpReceiver, otlp_receiver
from tests.support.processes import environment, free_port, run, running, wait_until_up

SUPERGRAPH = str(Path(__file__).parents[3] / "schema" / "supergraph.graphql")
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"
QUERY = "query Board { tasks(first: 3) { edges { node { title assignee { name } } } } }"


@dataclass
class Process:
    """A running ``fedtasks`` process and its base URL."""

    popen: subprocess.Popen[str]
    base: str

    def stop(self) -> list[dict[str, Any]]:
        """Interrupt it (Ctrl-C), wait for it, and return its output's JSON lines."""
        self.popen.send_signal(signal.SIGINT)
        self.popen.wait(timeout=30)
        assert self.popen.stdout is not None
        # Every line is one JSON object: loads fails the test on any other line.
        return [orjson.loads(line) for line in self.popen.stdout.read().splitlines()]


@dataclass
class Stack:
    users: Process
    tasks: Process
    router: Process
    receiver: OtlpReceiver


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture
def stack(tmp_path: Path, receiver: OtlpReceiver) -> Iterator[Stack]:
    """Two seeded subgraphs and the router over them, all tracing to ``receiver``."""
    receiver_url = receiver.url
    env = environment(LOG_LEVEL="info", OTEL_EXPORTER_OTLP_ENDPOINT=receiver_url)
    env.pop("LOG_FORMAT", None)
    env.pop("FEDTASKS_DEV", None)
    seeded = run(["seed", "--users", "2", "--tasks", "3", "--seed", "1"], cwd=tmp_path, env=env)
    assert seeded.returncode == 0, seeded.stderr
    ports = {"users": free_port(), "tasks": free_port(), "router": free_port()}
    with ExitStack() as stack:
        processes: dict[str, Process] = {}
        for name in ("users", "tasks"):
            args = ["subgraph", name, "--port", str(ports[name]), "--no-migrate"]
            popen = stack.enter_context(running(args, cwd=tmp_path, env=env))
            processes[name] = Process(popen, f"http://127.0.0.1:{ports[name]}")
        router_env = {
            **env,
            "FEDTASKS_SUBGRAPH_URL_USERS": f"{processes['users'].base}/graphql",
            "FEDTASKS_SUBGRAPH_URL_TASKS": f"{processes['tasks'].base}/graphql",
            "OTEL_SERVICE_NAME": "router-under-test",
        }
        args = ["router", "--supergraph", SUPERGRAPH, "--port", str(ports["router"])]
        popen = stack.enter_context(running(args, cwd=tmp_path, env=router_env))
        processes["router"] = Process(popen, f"http://127.0.0.1:{ports['router']}")
        for process in processes.values():
            wait_until_up(f"{process.base}/health", process.popen)
        yield Stack(processes["users"], processes["tasks"], processes["router"], receiver)


def test_one_request_is_followed_across_the_three_processes(stack: Stack) -> None:
    for process in (stack.users, stack.tasks, stack.router):
        assert httpx.get(f"{process.base}/health").status_code == 200
        assert httpx.get(f"{process.base}/ready").status_code == 200

    response = httpx.post(
        f"{stack.router.base}/graphql",
        json={"query": QUERY},
        headers={"x-request-id": "e2e-1", "traceparent": TRACEPARENT},
    )
    assert response.status_code == 200, response.text
    edges = response.json()["data"]["tasks"]["edges"]
    assert len(edges) == 3
    assert all(edge["node"]["assignee"]["name"] for edge in edges)
    assert response.headers["x-request-id"] == "e2e-1"
    metrics = httpx.get(f"{stack.router.base}/metrics").text
    assert 'fedtasks_router_requests_total{operation="Board",outcome="success"} 1.0' in metrics
    assert 'fedtasks_router_subgraph_request_duration_seconds_count{subgraph="users"}' in metrics

    # A subgraph down: the router is alive and still ready (it serves what the other one
    # resolves, with coded errors where the down one is needed); the subgraph's health is
    # reported on its own.
    tasks_lines = stack.tasks.stop()
    assert httpx.get(f"{stack.router.base}/health").status_code == 200
    ready = httpx.get(f"{stack.router.base}/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    subgraphs = httpx.get(f"{stack.router.base}/health/subgraphs")
    assert (subgraphs.status_code, subgraphs.json()) == (
        503,
        {"subgraphs": {"tasks": "down", "users": "up"}},
    )
    metrics = httpx.get(f"{stack.router.base}/metrics").text
    assert 'fedtasks_subgraph_up{subgraph="tasks"} 0.0' in metrics
    assert 'fedtasks_subgraph_up{subgraph="users"} 1.0' in metrics

    router_lines = stack.router.stop()
    users_lines = stack.users.stop()
    for lines in (router_lines, tasks_lines, users_lines):
        for line in lines:
            assert {"time", "level", "logger", "message", "request_id"} <= set(line)
    [access] = [
        line
        for line in router_lines
        if line["logger"] == "fedtasks.router.access" and line["request_id"] == "e2e-1"
    ]
    assert (access["path"], access["status"], access["operation"]) == ("/graphql", 200, "Board")
    for lines, service in ((tasks_lines, "tasks"), (users_lines, "users")):
        [call] = [line for line in lines if line["request_id"] == "e2e-1"]
        assert call["logger"] == "fedtasks.subgraph.access"
        assert call["service"] == service
        # The subgraph was called under the router's fetch span, in the client's trace.
        assert call["trace_id"] == TRACE_ID

    # Each process exported its spans when it stopped: one trace, the client's.
    spans = [span for span in stack.receiver.spans if span.trace_id == TRACE_ID]
    services = {span.service for span in spans}
    assert services == {"router-under-test", "fedtasks-users", "fedtasks-tasks"}
    [request] = [s for s in spans if s.service == "router-under-test" and s.kind == SERVER_KIND]
    assert (request.name, request.parent_span_id) == ("POST /graphql", TRACEPARENT[36:52])
    assert {span.name for span in stack.receiver.children(request)} == {
        "graphql.parse",
        "graphql.validate",
        "graphql.plan",
        "fetch tasks",
        "fetch users",
    }
    for name in ("users", "tasks"):
        fetch = stack.receiver.one(f"fetch {name}")
        # The subgraph's span is the child of the router's fetch span.
        [served] = stack.receiver.children(fetch)
        assert (served.service, served.name, served.kind) == (
            f"fedtasks-{name}",
            "POST /graphql",
            SERVER_KIND,
        )
