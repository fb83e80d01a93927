"""The suite's and the soak's options: bounded runs, refusals with exit code 2."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
import soak
import suite


def test_the_suite_defaults_compare_one_and_two_workers_on_every_workload() -> None:
    args = suite.arguments([])
    assert args.workers == (1, 2)
    assert args.workloads == ("Q1", "Q2", "lookup", "mix")
    assert args.output.name == "bench-suite.md"
    assert args.chart == args.output.with_suffix(".png")
    assert (args.dataset.users, args.dataset.tasks, args.dataset.seed) == (100, 2000, 1)
    assert not args.entity_cache


def test_the_suite_reads_its_lists(tmp_path: Path) -> None:
    args = suite.arguments(
        ["--workers", "1,2,4", "--workloads", "mix,Q1", "--output", str(tmp_path / "s.md")]
    )
    assert args.workers == (1, 2, 4)
    assert args.workloads == ("mix", "Q1")
    assert args.chart == tmp_path / "s.png"


def test_the_soak_defaults_to_ten_minutes() -> None:
    args = soak.arguments([])
    assert args.minutes == 10
    assert args.workers == 1
    assert args.output.name == "bench-suite-soak.md"
    assert (args.max_slope, args.min_growth) == (1.0, 4.0)


@pytest.mark.parametrize(
    ("script", "argv"),
    [
        (suite, ["--workloads", "Q1,Q3"]),
        (suite, ["--workers", "0"]),
        (suite, ["--workers", "1,x"]),
        (suite, ["--seconds", "0"]),
        (suite, ["--seconds", "121"]),
        (suite, ["--requests", "0"]),
        (suite, ["--users", "0"]),
        (suite, ["--statement-requests", "0"]),
        (soak, ["--minutes", "0"]),
        (soak, ["--minutes", "121"]),
        (soak, ["--minutes", "1", "--interval", "15"]),  # fewer than 6 samples to judge
    ],
)
def test_unbounded_unknown_or_unjudgeable_runs_are_refused(
    script: ModuleType, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        script.arguments(argv)
    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err
