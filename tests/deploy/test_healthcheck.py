"""The image's health check script, against a real subgraph process and a closed port."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from subgraphs.cli import DEFAULT_PORTS as SUBGRAPH_PORTS
from tests.deploy.commands import parse_fedtasks
from tests.deploy.files import HEALTHCHECK_SCRIPT
from tests.support.processes import environment, free_port, running, wait_until_up


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", HEALTHCHECK_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(port: int | str | None) -> int:
    env = {"PATH": environment()["PATH"]}
    if port is not None:
        env["FEDTASKS_HEALTH_PORT"] = str(port)
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK_SCRIPT)], env=env, capture_output=True, timeout=30
    ).returncode


def test_without_a_port_it_probes_the_default_port_of_every_command() -> None:
    router = parse_fedtasks(["router"], {})
    assert _script().ports_to_probe({}) == (router.port, *SUBGRAPH_PORTS.values())
    assert _script().ports_to_probe({"FEDTASKS_HEALTH_PORT": "8080"}) == (8080,)


def test_healthy_while_the_process_answers_and_unhealthy_otherwise(tmp_path: Path) -> None:
    port = free_port()
    env = environment(
        USERS_DATABASE_URL=f"sqlite:///{tmp_path / 'users.db'}",
        FEDTASKS_SUBGRAPH_SECRET="a-secret-for-the-health-check-test",
    )
    args = ["subgraph", "users", "--host", "127.0.0.1", "--port", str(port)]
    with running(args, cwd=tmp_path, env=env) as process:
        wait_until_up(f"http://127.0.0.1:{port}/health", process)
        assert _check(port) == 0
    assert _check(port) == 1  # stopped: refused
    assert _check(free_port()) == 1
    assert _check("not-a-port") == 1
