"""README.md stays true: its commands exist, and its Postgres recipe runs as written.

`make dev` and `make check` are run by .ci/run.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.support.processes import FEDTASKS, environment
from tests.support.services import POSTGRES_HOST, POSTGRES_PORT, require

README = Path(__file__).resolve().parents[1] / "README.md"
POSTGRES_DATABASES = ("fedtasks_users", "fedtasks_tasks")


def _shell_blocks() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return [[line.split("  #")[0].strip() for line in block.splitlines()] for block in blocks]


def _fedtasks_commands() -> list[str]:
    return sorted(
        {line for block in _shell_blocks() for line in block if line.startswith("fedtasks ")}
    )


def test_readme_names_the_two_setup_commands() -> None:
    assert ["make dev"] in _shell_blocks()
    assert ["make check"] in _shell_blocks()


@pytest.mark.parametrize("command", _fedtasks_commands())
def test_every_fedtasks_command_in_the_readme_exists(command: str, tmp_path: Path) -> None:
    words = command.split()
    words[0] = FEDTASKS
    result = subprocess.run(
        [*words, "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def _drop(databases: list[str]) -> None:
    for name in databases:
        subprocess.run(
            ["dropdb", "-h", POSTGRES_HOST, "-U", "postgres", "--if-exists", "--force", name],
            check=True,
            capture_output=True,
        )


@pytest.mark.postgres
def test_the_postgres_recipe_runs(tmp_path: Path) -> None:
    require("Postgres", POSTGRES_HOST, POSTGRES_PORT)
    block = next(b for b in _shell_blocks() if any(line.startswith("createdb") for line in b))
    assert block[-1] == "fedtasks dev"  # the long-running last step is run by .ci/run
    script = "\n".join(["set -e", *block[:-1]]).replace("fedtasks ", f"{FEDTASKS} ")
    # The recipe's own database names are a user's: the test runs it on names of its own.
    suffix = uuid.uuid4().hex[:10]
    databases = [f"{name}_test_{suffix}" for name in POSTGRES_DATABASES]
    for name, unique in zip(POSTGRES_DATABASES, databases, strict=True):
        assert re.search(rf"\b{name}\b", script), name
        script = re.sub(rf"\b{name}\b", unique, script)
    try:
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "seeded 50 users and 500 tasks" in result.stdout
    finally:
        _drop(databases)
