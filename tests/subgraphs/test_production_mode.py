"""`fedtasks subgraph` as a real process: production mode needs the router's secret."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.processes import environment, free_port, run, running, wait_until_up

SCHEMA = "{ __schema { queryType { name } } }"


def without_secret(**overrides: str) -> dict[str, str]:
    env = environment()
    env.pop("FEDTASKS_SUBGRAPH_SECRET")
    env.pop("FEDTASKS_DEV", None)
    return {**env, **overrides}


@pytest.mark.parametrize("service", ["users", "tasks"])
def test_production_mode_refuses_to_start_without_the_secret(service: str, tmp_path: Path) -> None:
    result = run(
        ["subgraph", service, "--port", str(free_port())], cwd=tmp_path, env=without_secret()
    )
    assert result.returncode == 2
    assert "FEDTASKS_SUBGRAPH_SECRET is not set" in result.stderr
    assert "--dev" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_jwt_secret_is_refused_at_start(tmp_path: Path) -> None:
    env = environment(FEDTASKS_JWT_SECRET="short")
    result = run(["subgraph", "users", "--port", str(free_port())], cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "FEDTASKS_JWT_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("flags", "overrides"),
    [(["--dev"], {}), ([], {"FEDTASKS_DEV": "true"})],
    ids=["--dev", "FEDTASKS_DEV=true"],
)
def test_dev_mode_runs_without_the_secret(
    flags: list[str], overrides: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = without_secret(**overrides)
    with running(["subgraph", "users", "--port", str(port), *flags], cwd=tmp_path, env=env) as p:
        wait_until_up(f"{base}/health", p)
        answer = httpx.post(f"{base}/graphql", json={"query": SCHEMA})
    assert answer.status_code == 200
    assert answer.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
