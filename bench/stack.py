"""The services a benchmark run measures, as real processes on free loopback ports.

Seeds two SQLite databases in a temporary directory (or the databases the caller's
environment names), starts the users and tasks subgraphs, composes a supergraph from what
they serve (its routing URLs are theirs), and starts ``fedtasks router`` (one or more, each
with its own options) and Apollo's gateway on that same file. Every process runs as in
production, with a token secret and a subgraph secret made for the run. Everything is
stopped, and the directory removed, when the context exits.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GATEWAY_DIR = ROOT / "tools" / "apollo-gateway"
FEDTASKS = Path(sys.executable).parent / "fedtasks"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0


class StackError(Exception):
    """A service could not be set up or did not come up; the message says which."""


@dataclass(frozen=True)
class Dataset:
    """How much demo data the subgraphs hold (``fedtasks seed`` arguments)."""

    users: int
    tasks: int
    seed: int


@dataclass(frozen=True)
class RouterSpec:
    """One ``fedtasks router`` to start: its extra arguments and environment."""

    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)


# The plain router measures routing: its entity cache is off, like the gateway's. A second
# router has the entity cache on (in process; Redis when REDIS_URL is set).
DEFAULT_ROUTERS = {
    "router": RouterSpec(env={"FEDTASKS_ENTITY_CACHE": "off"}),
    "cached": RouterSpec(),
}


class _Url:
    """A Stack attribute named like a service: that service's GraphQL URL."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, stack: Stack, owner: type) -> str:
        return stack.urls[self.name]


@dataclass(frozen=True)
class Stack:
    """Where the running services answer GraphQL, the supergraph they serve, their secrets."""

    urls: dict[str, str]  # the GraphQL URL of every service, by name
    supergraph: Path
    logs: Path
    pids: dict[str, int]
    env: dict[str, str]  # the environment every service runs with

    # The subgraphs, the router named "router" (and "cached", entity cache on), the gateway.
    users = _Url()
    tasks = _Url()
    router = _Url()
    cached = _Url()
    gateway = _Url()

    @property
    def jwt_secret(self) -> str:
        """The HS256 secret the router verifies client tokens with."""
        return self.env["FEDTASKS_JWT_SECRET"]

    @property
    def subgraph_headers(self) -> dict[str, str]:
        """The header that lets a request past the subgraphs' router-only check."""
        return secret_header(self.env)

    def subgraph(self, name: str) -> str:
        """The GraphQL URL of subgraph ``name`` (as the supergraph names it)."""
        return {"users": self.users, "tasks": self.tasks}[name]


def secret_header(env: Mapping[str, str]) -> dict[str, str]:
    """The router's shared secret, as the subgraphs expect it from the router."""
    return {"x-fedtasks-router-secret": env["FEDTASKS_SUBGRAPH_SECRET"]}


def gateway_missing() -> str | None:
    """Why Apollo's gateway cannot be started, or None when it can."""
    if shutil.which("node") is None:
        return "Node is not installed (Apollo's gateway runs on Node 20)"
    if not (GATEWAY_DIR / "node_modules" / "@apollo" / "gateway").is_dir():
        return f"Apollo's gateway is not installed: run `npm ci --prefix {GATEWAY_DIR}`"
    return None


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) process ``pid`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    # After the command name: state is field 3 of proc(5), utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(directory: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for the services: this process's, pointed at the temporary databases.

    Apollo's variables are dropped so that no Apollo process reports to Apollo's cloud;
    the subgraphs log warnings only, for the router and the gateway alike; Apollo Server
    runs as it is deployed (``NODE_ENV=production``: no stack traces in errors). Every
    process is in production mode, with secrets made for this run: the router's token
    secret and the subgraphs' router-only secret. ``extra`` comes last (other databases).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("APOLLO_")}
    env.pop("FEDTASKS_DEV", None)
    env.update(
        USERS_DATABASE_URL=f"sqlite+aiosqlite:///{directory / 'users.db'}",
        TASKS_DATABASE_URL=f"sqlite+aiosqlite:///{directory / 'tasks.db'}",
        LOG_LEVEL="warning",
        APOLLO_TELEMETRY_DISABLED="true",
        NODE_ENV="production",
        FEDTASKS_JWT_SECRET=secrets.token_hex(32),
        FEDTASKS_SUBGRAPH_SECRET=secrets.token_hex(32),
    )
    env.update(extra)
    return env


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise StackError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")


@contextmanager
def _service(
    name: str, args: list[str], graphql_url: str, *, cwd: Path, env: dict[str, str], logs: Path
) -> Iterator[int]:
    """Run ``args`` until the context exits; it must answer ``{ __typename }`` first.

    Yields the process id.
    """
    log_path = logs / f"{name}.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(name, graphql_url, process, log_path, secret_header(env))
            yield process.pid
        finally:
            _stop(process)


def _wait_ready(
    name: str, url: str, process: subprocess.Popen[bytes], log: Path, headers: dict[str, str]
) -> None:
    """Poll ``url`` with ``{ __typename }``, the one readiness check every server here has.

    (Apollo Server 4 and later have no health endpoint of their own.) ``headers`` carry
    the subgraphs' router-only secret; the routers ignore it.
    """
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(encoding="utf-8")[-3000:]
            raise StackError(f"{name} exited with {process.returncode}:\n{output}")
        try:
            query = {"query": "{ __typename }"}
            answer = httpx.post(url, json=query, headers=headers, timeout=1)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise StackError(f"{name} did not answer {url} within {START_TIMEOUT:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _served_sdl(url: str, headers: dict[str, str]) -> str:
    """The SDL a running subgraph serves (``_service { sdl }``), asked as the router asks."""
    try:
        answer = httpx.post(url, json={"query": "{ _service { sdl } }"}, headers=headers)
        return str(answer.json()["data"]["_service"]["sdl"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise StackError(f"cannot fetch the SDL of {url}: {error!r}") from error


def _compose(directory: Path, users: str, tasks: str, env: dict[str, str]) -> Path:
    """Compose what the running subgraphs serve, with their URLs as routing URLs.

    The SDLs are fetched here, with the router's secret the subgraphs require, and
    composed from files.
    """
    config = directory / "supergraph.yaml"
    lines = ["federation_version: =2.7.0", "subgraphs:"]
    for name, url in (("users", users), ("tasks", tasks)):
        sdl = directory / f"{name}.graphql"
        sdl.write_text(_served_sdl(url, secret_header(env)), encoding="utf-8")
        lines += [f"  {name}:", f"    routing_url: {url}", f"    schema: {{file: {sdl}}}"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = directory / "supergraph.graphql"
    args = [str(FEDTASKS), "compose", "--config", str(config), "--output", str(output)]
    _run(args, cwd=directory, env=env)
    return output


@contextmanager
def running_stack(
    dataset: Dataset,
    *,
    env: Mapping[str, str] | None = None,
    routers: Mapping[str, RouterSpec] | None = None,
    gateway: bool = True,
) -> Iterator[Stack]:
    """Seed, start and compose the whole stack; stop it all when the context exits.

    ``env`` is added to every service's environment (e.g. Postgres databases, Redis);
    ``routers`` names the routers to start (DEFAULT_ROUTERS when None); ``gateway=False``
    leaves Apollo's gateway out.
    """
    missing = gateway_missing() if gateway else None
    if missing:
        raise StackError(missing)
    routers = DEFAULT_ROUTERS if routers is None else routers
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fedbench-")))
        logs = directory / "logs"
        logs.mkdir()
        env = _environment(directory, env or {})
        fedtasks = str(FEDTASKS)
        _run([fedtasks, "db", "upgrade"], cwd=directory, env=env)
        seed = ["seed", "--users", str(dataset.users), "--tasks", str(dataset.tasks)]
        _run([fedtasks, *seed, "--seed", str(dataset.seed)], cwd=directory, env=env)

        names = ["users", "tasks", *routers, *(["gateway"] if gateway else [])]
        ports = {name: _free_port() for name in names}
        urls = {name: f"http://127.0.0.1:{port}/graphql" for name, port in ports.items()}
        pids = {}
        for name in ("users", "tasks"):
            args = [fedtasks, "subgraph", name, "--port", str(ports[name]), "--no-migrate"]
            pids[name] = stack.enter_context(
                _service(name, args, urls[name], cwd=directory, env=env, logs=logs)
            )
        supergraph = _compose(directory, urls["users"], urls["tasks"], env)

        starts: list[tuple[str, list[str], dict[str, str]]] = []
        for name, spec in routers.items():
            args = [fedtasks, "router", "--supergraph", str(supergraph)]
            args += ["--port", str(ports[name]), *spec.args]
            starts.append((name, args, {**env, **spec.env}))
        if gateway:
            args = ["node", str(GATEWAY_DIR / "gateway.mjs"), "--supergraph", str(supergraph)]
            starts.append(("gateway", [*args, "--port", str(ports["gateway"])], env))
        for name, args, service_env in starts:
            pids[name] = stack.enter_context(
                _service(name, args, urls[name], cwd=directory, env=service_env, logs=logs)
            )
        yield Stack(urls=urls, supergraph=supergraph, logs=logs, pids=pids, env=env)
