"""What the builder stage installs runs: the wheel built from the files the Dockerfile copies.

The image cannot be built here (no Docker engine), so this test does what its builder
stage does with the same files: build fedtasks from exactly the sources the stage copies
(a regular install, not the checkout's editable one), and run the installed `fedtasks`
console script from another folder, as the image does from /app.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.deploy.files import ROOT, dockerfile_stages

WHERE = "import router, subgraphs; print(router.__file__, subgraphs.__file__)"


def _builder_sources() -> list[str]:
    builder = next(stage for stage in dockerfile_stages() if stage.name == "builder")
    return [source for copy in builder.all("COPY") for source in copy.arguments[:-1]]


def _pip(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_installed_wheel_runs_fedtasks_commands_and_migrations(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name in _builder_sources():
        if (ROOT / name).is_dir():
            skip = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, source / name)
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path / "wheels"), str(source))
    (wheel,) = (tmp_path / "wheels").glob("fedtasks-*.whl")
    site = tmp_path / "site"
    _pip("install", "--quiet", "--no-deps", "--target", str(site), str(wheel))

    workdir = tmp_path / "app"
    workdir.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(site),
        "USERS_DATABASE_URL": f"sqlite:///{workdir / 'users.db'}",
        "TASKS_DATABASE_URL": f"sqlite:///{workdir / 'tasks.db'}",
    }

    def fedtasks(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(site / "bin" / "fedtasks"), *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    where = subprocess.run(
        [sys.executable, "-c", WHERE],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(path.startswith(str(site)) for path in where.stdout.split()), where.stdout

    assert "router" in fedtasks("--help").stdout
    assert fedtasks("subgraph", "users", "--help").returncode == 0
    upgraded = fedtasks("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.splitlines() == [
        "users: database upgraded to head",
        "tasks: database upgraded to head",
    ]
    # The migration scripts (a folder without __init__.py) made it into the wheel.
    for service, table in (("users", "users"), ("tasks", "tasks")):
        with sqlite3.connect(workdir / f"{service}.db") as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert {table, "alembic_version"} <= tables
