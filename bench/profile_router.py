"""Profile the router's own CPU per request, with the subgraphs' answers replayed.

Seeds and starts the two subgraphs as the benchmark does (``bench/stack.py``: SQLite,
``fedtasks seed --users 100 --tasks 2000 --seed 1``, a supergraph composed from what they
serve), runs Q1 and Q2 once through the router's pipeline over HTTP while recording every
subgraph answer, and checks the router's answer against the plan replayed straight to the
subgraphs (``bench/plan_replay.py``), and times what the router's HTTP transport costs
this process to send the plan's calls to them. The subgraphs are then stopped: every other
measurement runs the router in this process with a transport that answers from the
recording, so what is timed is the router's own work and nothing else.

For each query it prints the milliseconds per request of each stage (plan-cache lookup,
execute and merge, shape, the rest of the pipeline, serialise, the HTTP server around it),
the HTTP transport's share (httpx answering from memory, and over real sockets), and a
cProfile top-20 of whole ASGI requests. Times are this process's CPU time
(``time.process_time``), which other work on the machine skews less than wall time; the
mean includes garbage collection, which the median mostly misses. Run
``.venv/bin/python bench/profile_router.py``; it leaves nothing running.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from plan_replay import ReplayError, disagreement, record
from stack import (
    FEDTASKS,
    Dataset,
    StackError,
    _compose,
    _environment,
    _free_port,
    _run,
    _service,
    secret_header,
)

from router.executor.shape_plan import ShapePlan
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.server.contract import GraphQLRequest
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphRequest, SubgraphResponse, SubgraphTransport
from router.transport.http import HttpTransport

QUERIES = {
    "Q1": "{ tasks(first: 50) { edges { node { title assignee { name email } } } } }",
    "Q2": "{ users(first: 50) { edges { node { name tasks(first: 10) "
    "{ edges { node { title } } } } } } }",
}
# CPU time of this process, not wall time: other work on the machine skews it less.
clock = time.process_time

Key = tuple[str, bytes]


def _key(subgraph: str, request: SubgraphRequest) -> Key:
    payload = [request.query, request.variables, request.operation_name]
    return subgraph, orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


class RecordingTransport:
    """Sends through ``inner`` and keeps each answer as the JSON bytes a subgraph sent."""

    def __init__(self, inner: SubgraphTransport) -> None:
        self.inner = inner
        self.answers: dict[Key, bytes] = {}

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send, and record the answer before the executor merges into it."""
        response = await self.inner.send(subgraph, request)
        body = {"data": response.data, "errors": response.errors}
        self.answers[_key(subgraph, request)] = orjson.dumps(body)
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


class ReplayTransport:
    """Answers from a recording, decoding the bytes anew for every request (as over HTTP)."""

    def __init__(self, answers: dict[Key, bytes]) -> None:
        self.answers = answers
        self.decoding = 0.0

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """The recorded answer to ``request``; KeyError if the router asks something new."""
        raw = self.answers[_key(subgraph, request)]
        started = clock()
        body = orjson.loads(raw)
        self.decoding += clock() - started
        return SubgraphResponse(data=body["data"], errors=body["errors"])

    async def aclose(self) -> None:
        """Nothing to close."""


LOOKUP = "plan-cache lookup"
EXECUTE = "execute + merge"
DECODE = "  of which: decode subgraph JSON"
SHAPE = "shape"
REST = "rest of the pipeline"
PIPELINE = "pipeline, all stages"
SERIALISE = "serialise (orjson)"
SERVER = "HTTP server around the pipeline"
WHOLE = "whole ASGI request"
ORDER = (LOOKUP, EXECUTE, DECODE, SHAPE, REST, PIPELINE, SERIALISE, SERVER, WHOLE)


@dataclass
class Stages:
    """Seconds spent per stage, one entry per timed request; ``on`` is False while warming up."""

    times: dict[str, list[float]] = field(default_factory=dict)
    on: bool = False

    def add(self, stage: str, seconds: float) -> None:
        """Record one request's time in ``stage``."""
        if self.on:
            self.times.setdefault(stage, []).append(seconds)

    def rows(self) -> list[tuple[str, float, float]]:
        """(stage, mean ms, median ms) per stage, in pipeline order."""
        return [
            (stage, statistics.fmean(values) * 1000, statistics.median(values) * 1000)
            for stage in ORDER
            if (values := self.times.get(stage))
        ]


@contextmanager
def _subgraphs(dataset: Dataset) -> Iterator[tuple[dict[str, str], Path, dict[str, str]]]:
    """The seeded subgraphs (as bench/stack.py starts them), a supergraph, their environment.

    Only the subgraphs: the router under study runs in this process. The environment holds
    the router's secret they require.
    """
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fedprof-")))
        logs = directory / "logs"
        logs.mkdir()
        env = _environment(directory, {})
        fedtasks = str(FEDTASKS)
        _run([fedtasks, "db", "upgrade"], cwd=directory, env=env)
        seed = ["seed", "--users", str(dataset.users), "--tasks", str(dataset.tasks)]
        _run([fedtasks, *seed, "--seed", str(dataset.seed)], cwd=directory, env=env)
        urls = {}
        for name in ("users", "tasks"):
            port = _free_port()
            urls[name] = f"http://127.0.0.1:{port}/graphql"
            args = [fedtasks, "subgraph", name, "--port", str(port), "--no-migrate"]
            stack.enter_context(_service(name, args, urls[name], cwd=directory, env=env, logs=logs))
        yield urls, _compose(directory, urls["users"], urls["tasks"], env), env


async def _record(
    supergraph: Supergraph, urls: dict[str, str], env: dict[str, str]
) -> dict[str, dict[Key, bytes]]:
    """Each query's subgraph answers, in plan order, after checking the router's answer.

    The router's answer must be the data the plan's calls return when replayed straight to
    the subgraphs, as the benchmark checks it.
    """
    recorded: dict[str, dict[Key, bytes]] = {}
    recorder = RecordingTransport(HttpTransport(urls))
    pipeline = RouterPipeline(supergraph, recorder, subgraph_secret=env["FEDTASKS_SUBGRAPH_SECRET"])
    try:
        for name, query in QUERIES.items():
            recorder.answers = {}
            outcome = await pipeline.execute(GraphQLRequest(query=query))
            if outcome.body.get("errors") or not outcome.body.get("data"):
                raise ReplayError(f"{name}: the router answered {str(outcome.body)[:500]}")
            plan = pipeline.operation(query, None, frozenset()).plan.to_json()
            with httpx.Client(timeout=30) as client:
                _, merged = record(client, plan, urls, {}, secret_header(env))
            wrong = disagreement(outcome.body["data"], merged)
            if wrong:
                raise ReplayError(
                    f"{name}: the router's answer differs from the subgraphs': {wrong}"
                )
            recorded[name] = recorder.answers
    finally:
        await recorder.aclose()
    return recorded


def _timed(
    function: Callable[..., Any], stages: Stages, stage: str, *, awaited: bool = False
) -> Callable[..., Any]:
    """``function`` that also records its time under ``stage``."""
    if awaited:

        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            result = await function(*args, **kwargs)
            stages.add(stage, clock() - started)
            return result

        return timed_async

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = clock()
        result = function(*args, **kwargs)
        stages.add(stage, clock() - started)
        return result

    return timed


def _asgi_caller(app: Any, query: str) -> Callable[[], Awaitable[bytes]]:
    """A function that POSTs ``query`` to the app's /graphql in memory and returns the body."""
    body = orjson.dumps({"query": query})
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"router"),
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4000),
    }

    async def call() -> bytes:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        status = sent[0]["status"]
        answer = b"".join(m.get("body", b"") for m in sent[1:])
        if status != 200 or b'"errors"' in answer:
            raise ReplayError(f"the router answered {status}: {answer[:500]!r}")
        return answer

    return call


async def _stage_figures(
    supergraph: Supergraph, answers: dict[Key, bytes], query: str, warmup: int, requests: int
) -> Stages:
    """Per-stage times of ``requests`` pipeline runs, then of as many whole ASGI requests.

    The stages are timed by wrapping the pipeline's own steps, so what runs is the
    router's code as it stands.
    """
    stages = Stages()
    replay = ReplayTransport(answers)
    pipeline = RouterPipeline(supergraph, replay)
    pipeline.operation = _timed(pipeline.operation, stages, LOOKUP)  # type: ignore[method-assign]
    executor = pipeline.executor
    executor.run = _timed(executor.run, stages, EXECUTE, awaited=True)  # type: ignore[method-assign]
    shape = ShapePlan.shape
    ShapePlan.shape = _timed(shape, stages, SHAPE)  # type: ignore[method-assign]
    request = GraphQLRequest(query=query, headers={"accept": "application/json"})
    try:
        for index in range(warmup + requests):
            stages.on = index >= warmup
            replay.decoding = 0.0
            started = clock()
            outcome = await pipeline.execute(request)
            executed = clock()
            orjson.dumps(outcome.body)
            stages.add(SERIALISE, clock() - executed)
            stages.add(DECODE, replay.decoding)
            stages.add(PIPELINE, executed - started)
    finally:
        ShapePlan.shape = shape  # type: ignore[method-assign]
    parts = zip(stages.times[LOOKUP], stages.times[EXECUTE], stages.times[SHAPE], strict=True)
    for whole, timed in zip(stages.times[PIPELINE], parts, strict=True):
        stages.add(REST, whole - sum(timed))

    inside = Stages()
    pipeline = RouterPipeline(supergraph, ReplayTransport(answers))
    pipeline.execute = _timed(pipeline.execute, inside, PIPELINE, awaited=True)  # type: ignore[method-assign]
    call = _asgi_caller(create_router_app(pipeline), query)
    for index in range(warmup + requests):
        stages.on = inside.on = index >= warmup
        started = clock()
        await call()
        stages.add(WHOLE, clock() - started)
    for whole, spent in zip(stages.times[WHOLE], inside.times[PIPELINE], strict=True):
        stages.add(SERVER, whole - spent)
    return stages


def _calls(answers: dict[Key, bytes], headers: dict[str, str]) -> list[tuple[str, SubgraphRequest]]:
    """The subgraph requests of one query's plan, in plan order, with ``headers``."""
    calls = []
    for subgraph, payload in answers:
        query, variables, operation_name = orjson.loads(payload)
        calls.append((subgraph, SubgraphRequest(query, variables, operation_name, headers)))
    return calls


async def _transport_cpu(
    transport: HttpTransport, calls: list[tuple[str, SubgraphRequest]], requests: int
) -> list[float]:
    """CPU seconds per request ``transport`` spends sending the plan's calls, one by one."""
    spent: list[float] = []
    try:
        for index in range(5 + requests):
            started = clock()
            for subgraph, request in calls:
                await transport.send(subgraph, request)
            if index >= 5:
                spent.append(clock() - started)
    finally:
        await transport.aclose()
    return spent


async def _over_http(
    urls: dict[str, str],
    answers: dict[str, dict[Key, bytes]],
    requests: int,
    headers: dict[str, str],
) -> dict[str, list[float]]:
    """Per query, this process's CPU per request for the plan's calls to the real subgraphs.

    Only this process's CPU counts, not the subgraphs' nor the time spent waiting for them:
    it is what httpx, httpcore, h11, anyio and the sockets cost the router.
    """
    return {
        name: await _transport_cpu(HttpTransport(urls), _calls(calls, headers), requests)
        for name, calls in answers.items()
    }


async def _in_memory(answers: dict[Key, bytes], requests: int) -> list[float]:
    """CPU per request for the plan's calls when httpx answers from memory (no socket).

    httpx's MockTransport hands back the recorded bytes in plan order, so this is httpx's
    client layer plus the transport's own encoding and decoding.
    """
    replies = itertools.cycle(answers.values())

    def handler(_request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(200, content=next(replies), headers=headers)

    calls = _calls(answers, {})
    names = {subgraph for subgraph, _ in calls}
    transport = HttpTransport(
        {name: f"http://{name}/graphql" for name in names},
        transports={name: httpx.MockTransport(handler) for name in names},
    )
    return await _transport_cpu(transport, calls, requests)


async def _profile(supergraph: Supergraph, answers: dict[Key, bytes], query: str, n: int) -> str:
    """A cProfile top-20 (by own time) of ``n`` whole ASGI requests."""
    call = _asgi_caller(
        create_router_app(RouterPipeline(supergraph, ReplayTransport(answers))), query
    )
    for _ in range(10):
        await call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        await call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    return out.getvalue()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per query")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests first")
    parser.add_argument(
        "--http-requests", type=int, default=100, help="timed requests over HTTP per query"
    )
    parser.add_argument("--profile", type=int, default=200, help="requests under cProfile")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cprofile", action="store_true", help="skip the cProfile part")
    return parser.parse_args(argv)


async def _report(
    supergraph: Supergraph,
    answers: dict[str, dict[Key, bytes]],
    over_http: dict[str, list[float]],
    args: argparse.Namespace,
) -> None:
    """Print each query's stage table, transport figure and profile."""
    for name, query in QUERIES.items():
        print(f"\n{name}: {query}")
        stages = await _stage_figures(supergraph, answers[name], query, args.warmup, args.requests)
        print(f"  {'stage':<36} {'mean ms':>9} {'p50 ms':>9}")
        for stage, mean, median in stages.rows():
            print(f"  {stage:<36} {mean:>9.3f} {median:>9.3f}")
        calls = len(answers[name])
        print(f"  not in the rows above: the HTTP transport's CPU for the plan's {calls} calls")
        for label, spent in (
            ("httpx answering from memory", await _in_memory(answers[name], args.requests)),
            ("over HTTP to the subgraphs", over_http[name]),
        ):
            mean, median = statistics.fmean(spent) * 1000, statistics.median(spent) * 1000
            print(f"  {label:<36} {mean:>9.3f} {median:>9.3f}")
        if not args.no_cprofile:
            print(f"\n  cProfile, {args.profile} whole ASGI requests, top 20 by own time:")
            print(await _profile(supergraph, answers[name], query, args.profile))


def main(argv: list[str] | None = None) -> int:
    """Record, check, then profile; 0 when done, 2 when the subgraphs cannot be set up."""
    args = _arguments(argv)
    dataset = Dataset(users=args.users, tasks=args.tasks, seed=args.seed)
    try:
        with _subgraphs(dataset) as (urls, supergraph_path, env):
            supergraph = read_supergraph(supergraph_path.read_text(encoding="utf-8"))
            answers = asyncio.run(_record(supergraph, urls, env))
            over_http = asyncio.run(
                _over_http(urls, answers, args.http_requests, secret_header(env))
            )
    except (StackError, ReplayError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    count = sum(len(calls) for calls in answers.values())
    print(f"recorded {count} subgraph answers; the subgraphs are stopped")
    asyncio.run(_report(supergraph, answers, over_http, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
