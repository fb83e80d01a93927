"""``fedtasks router`` and ``fedtasks subgraph`` refuse bad resilience settings at start.

Each bad value stops the process before it serves (exit status 2) with the variable's
name in the message, instead of running with a setting nobody asked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import environment, run

REPO = Path(__file__).resolve().parents[2]
SUPERGRAPH = str(REPO / "schema/supergraph.graphql")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FEDTASKS_SUBGRAPH_TIMEOUT", "0", "must be a positive number of seconds, got '0'"),
        ("FEDTASKS_SUBGRAPH_TIMEOUT_USERS", "slow", "must be a positive number of seconds"),
        ("FEDTASKS_RETRIES", "-1", "must be a whole number of at least 0, got '-1'"),
        ("FEDTASKS_BREAKER", "maybe", "must be on or off, got 'maybe'"),
        ("FEDTASKS_BREAKER_MIN_CALLS", "0", "must be a whole number of at least 1, got '0'"),
        ("FEDTASKS_BREAKER_FAILURE_RATE", "2", "must be a share between 0 (excluded) and 1"),
        ("FEDTASKS_SUPERGRAPH_POLL_SECONDS", "-1", "must be a number of seconds (0 or more)"),
        ("FEDTASKS_SHUTDOWN_GRACE_SECONDS", "1.5", "must be a whole number of seconds"),
    ],
)
def test_the_router_refuses_a_bad_value_by_name(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = run(
        ["router", "--supergraph", SUPERGRAPH, "--port", "1"],
        cwd=tmp_path,
        env=environment(**{name: value}),
    )

    assert result.returncode == 2
    assert f"error: {name} {message}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("FEDTASKS_SHUTDOWN_GRACE_SECONDS", "-1"), ("DB_MAX_OVERFLOW", "-1"), ("DB_POOL_SIZE", "0")],
)
def test_a_subgraph_refuses_a_bad_value_by_name(tmp_path: Path, name: str, value: str) -> None:
    result = run(
        ["subgraph", "tasks", "--dev", "--port", "1"],
        cwd=tmp_path,
        env=environment(**{name: value}),
    )

    assert result.returncode == 2
    assert f"error: {name}: " in result.stderr
