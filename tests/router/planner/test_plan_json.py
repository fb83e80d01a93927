"""Plans read back from JSON are the plans that were written (every conformance snapshot)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from router.planner.plan_json import PlanFormatError, read_plan

SNAPSHOTS = sorted(Path("tests/conformance").glob("*/plan_*.json"))


@pytest.mark.parametrize("path", SNAPSHOTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_snapshot_plan_survives_the_round_trip(path: Path) -> None:
    value = json.loads(path.read_text())

    assert read_plan(value).to_json() == value


def test_there_are_snapshots_to_read() -> None:
    kinds = {n for p in SNAPSHOTS for n in ("Condition", "Parallel") if n in p.read_text()}

    assert len(SNAPSHOTS) > 20
    assert kinds == {"Condition", "Parallel"}


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"kind": "QueryPlan"},
        {"kind": "Plan", "node": None},
        {"kind": "QueryPlan", "node": {"kind": "Defer"}},
        {
            "kind": "QueryPlan",
            "node": {"kind": "Flatten", "path": [], "node": {"kind": "Sequence", "nodes": []}},
        },
        {
            "kind": "QueryPlan",
            "node": {
                "kind": "Fetch",
                "serviceName": "a",
                "operation": "{a}",
                "operationKind": "subscription",
                "variableUsages": [],
            },
        },
        [],
        "plan",
    ],
)
def test_anything_else_is_refused(value: object) -> None:
    with pytest.raises(PlanFormatError):
        read_plan(value)
