"""The subgraph commands of ``fedtasks``, run as real processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from subgraphs.common.database import create_engine
from subgraphs.schema_export import stale_files
from subgraphs.tasks.models import TaskRow
from subgraphs.users.models import UserRow
from tests.support.auth import ROUTER_SECRET_HEADER, SUBGRAPH_SECRET
from tests.support.processes import environment, free_port, run, running, wait_until_up

REPO = Path(__file__).resolve().parents[2]


def test_committed_subgraph_schemas_are_fresh() -> None:
    assert stale_files(REPO / "schema") == [], "run `fedtasks schema export` and commit"


def test_schema_export_writes_and_checks_files(tmp_path: Path) -> None:
    check = run(
        ["schema", "export", "--dir", str(tmp_path), "--check"], cwd=tmp_path, env=environment()
    )
    assert check.returncode == 1
    assert "stale" in check.stdout

    export = run(["schema", "export", "--dir", str(tmp_path)], cwd=tmp_path, env=environment())
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "users.graphql").read_text() == (REPO / "schema/users.graphql").read_text()
    assert (tmp_path / "tasks.graphql").read_text() == (REPO / "schema/tasks.graphql").read_text()
    again = run(
        ["schema", "export", "--dir", str(tmp_path), "--check"], cwd=tmp_path, env=environment()
    )
    assert again.returncode == 0, again.stdout


async def _count(url: str, table: type[UserRow] | type[TaskRow]) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        await engine.dispose()


def test_db_upgrade_then_seed(users_url: str, tasks_url: str, tmp_path: Path) -> None:
    env = environment(USERS_DATABASE_URL=users_url, TASKS_DATABASE_URL=tasks_url)
    upgraded = run(["db", "upgrade"], cwd=tmp_path, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "users: database upgraded" in upgraded.stdout
    assert "tasks: database upgraded" in upgraded.stdout

    seeded = run(["seed", "--users", "7", "--tasks", "60", "--seed", "1"], cwd=tmp_path, env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "seeded 7 users and 60 tasks" in seeded.stdout
    assert asyncio.run(_count(users_url, UserRow)) == 7
    assert asyncio.run(_count(tasks_url, TaskRow)) == 60


def test_seed_refuses_tasks_without_users(tmp_path: Path) -> None:
    result = run(["seed", "--users", "0", "--tasks", "5"], cwd=tmp_path, env=environment())
    assert result.returncode == 2
    assert "at least one user" in result.stderr


@pytest.mark.parametrize("service", ["users", "tasks"])
def test_subgraph_serves_graphql_health_ready_metrics_and_graphiql(
    service: str, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(
        ["subgraph", service, "--port", str(port)], cwd=tmp_path, env=environment()
    ) as process:
        wait_until_up(f"{base}/health", process)
        assert httpx.get(f"{base}/ready").json()["status"] == "ready"
        # Production mode: /graphql answers only requests carrying the router's secret.
        router = {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}
        answer = httpx.post(
            f"{base}/graphql", json={"query": "{ _service { sdl } }"}, headers=router
        )
        assert answer.status_code == 200
        assert "@key" in answer.json()["data"]["_service"]["sdl"]
        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html", **router})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()
        assert "https://" not in page.text
        assert "fedtasks_db_statements_total" in httpx.get(f"{base}/metrics").text
    # Migrations ran on start, into the embedded default SQLite file under ./data.
    assert (tmp_path / "data" / f"{service}.db").exists()
    assert process.returncode == 0
