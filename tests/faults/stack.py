"""The whole stack as real processes: seeded subgraphs on SQLite and a router in front.

Each process logs to a file in the test's folder; ports are free ones picked per test, so
a subgraph can be killed and started again on the same port.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.faults.processes import Process
from tests.support.processes import free_port, run

REPO = Path(__file__).resolve().parents[2]
SUPERGRAPH = REPO / "schema/supergraph.graphql"
SERVICES = ("users", "tasks")

# Tasks from the tasks subgraph, each one's assignee from the users subgraph.
TASKS_WITH_ASSIGNEES = "{ tasks(first: 5) { edges { node { title assignee { name } } } } }"


def sqlite_urls(directory: Path) -> dict[str, str]:
    """A SQLite database URL per subgraph, in ``directory``."""
    return {s: f"sqlite+aiosqlite:///{directory / f'{s}.db'}" for s in SERVICES}


def database_environment(urls: Mapping[str, str]) -> dict[str, str]:
    """``USERS_DATABASE_URL`` and ``TASKS_DATABASE_URL`` for ``urls``."""
    return {f"{service.upper()}_DATABASE_URL": url for service, url in urls.items()}


def seed(directory: Path, urls: Mapping[str, str], env: Mapping[str, str]) -> None:
    """Migrate both databases and load 5 users and 20 tasks, all assigned."""
    result = run(
        ["seed", "--users", "5", "--tasks", "20", "--seed", "6"],
        cwd=directory,
        env={**env, **database_environment(urls)},
    )
    assert result.returncode == 0, result.stderr


def subgraph(
    service: str, *, directory: Path, port: int, database_url: str, env: Mapping[str, str]
) -> Process:
    """``fedtasks subgraph SERVICE`` on ``port`` (not started)."""
    return Process(
        ["subgraph", service, "--port", str(port)],
        cwd=directory,
        env={**env, f"{service.upper()}_DATABASE_URL": database_url},
        log=directory / f"{service}.log",
    )


def router(
    *,
    directory: Path,
    port: int,
    subgraph_ports: Mapping[str, int],
    env: Mapping[str, str],
    supergraph: Path = SUPERGRAPH,
) -> Process:
    """``fedtasks router`` on ``port`` calling the subgraphs on ``subgraph_ports`` (not started)."""
    urls = {
        f"FEDTASKS_SUBGRAPH_URL_{name.upper()}": f"http://127.0.0.1:{p}/graphql"
        for name, p in subgraph_ports.items()
    }
    return Process(
        ["router", "--supergraph", str(supergraph), "--port", str(port)],
        cwd=directory,
        env={**env, **urls},
        log=directory / "router.log",
    )


@dataclass
class Stack:
    """Running subgraphs and router, with their ports."""

    directory: Path
    subgraphs: dict[str, Process]
    subgraph_ports: dict[str, int]
    router: Process
    router_port: int

    @property
    def url(self) -> str:
        """The router's GraphQL endpoint."""
        return f"http://127.0.0.1:{self.router_port}/graphql"

    def metric(self, name: str, **labels: str) -> float | None:
        """One sample of the router's /metrics, or None if it has no such sample."""
        text = httpx.get(f"http://127.0.0.1:{self.router_port}/metrics", timeout=5).text
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        prefix = f"{name}{{{wanted}}} " if labels else f"{name} "
        for line in text.splitlines():
            if line.startswith(prefix):
                return float(line[len(prefix) :])
        return None

    def metric_total(self, name: str) -> float:
        """The sum of every sample of ``name`` on the router's /metrics, whatever its labels."""
        text = httpx.get(f"http://127.0.0.1:{self.router_port}/metrics", timeout=5).text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith((f"{name}{{", f"{name} "))
        )

    def start_subgraph(self, service: str) -> None:
        """Start ``service`` (again, on its port) and wait until it is up."""
        process = self.subgraphs[service].start()
        process.wait_until_up(f"http://127.0.0.1:{self.subgraph_ports[service]}/health")

    def stop(self) -> None:
        """Stop every process."""
        self.router.stop()
        for process in self.subgraphs.values():
            process.stop()


def start_stack(directory: Path, env: Mapping[str, str], *, supergraph: Path = SUPERGRAPH) -> Stack:
    """Seed SQLite databases in ``directory``, start both subgraphs and the router."""
    urls = sqlite_urls(directory)
    seed(directory, urls, env)
    ports = {service: free_port() for service in SERVICES}
    subgraphs = {
        s: subgraph(s, directory=directory, port=ports[s], database_url=urls[s], env=env)
        for s in SERVICES
    }
    router_port = free_port()
    stack = Stack(
        directory,
        subgraphs,
        ports,
        router(
            directory=directory,
            port=router_port,
            subgraph_ports=ports,
            env=env,
            supergraph=supergraph,
        ),
        router_port,
    )
    try:
        for service in SERVICES:
            stack.start_subgraph(service)
        stack.router.start().wait_until_up(f"http://127.0.0.1:{router_port}/health")
    except BaseException:
        stack.stop()
        raise
    return stack
