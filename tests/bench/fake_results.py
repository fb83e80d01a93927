"""Made-up suite figures for the tests of the pure table, page and chart writers."""

from __future__ import annotations

from memory import MIB, Memory
from suite_report import LoadRun, Overhead, ScenarioResult


def run(per_second: float, *, failures: int = 0, statements: float = 1.0) -> LoadRun:
    """A load run whose latencies are 10, 20, ..., 100 ms."""
    return LoadRun(
        per_second=per_second,
        latencies=tuple(i / 100 for i in range(1, 11)),
        failures=failures,
        first_failure="HTTP 502: bad gateway" if failures else None,
        statements={"tasks": statements, "users": 1.0},
    )


def results() -> list[ScenarioResult]:
    """Q1 (with its overhead) and the mix (without), on router, router-2w and gateway."""
    q1 = ScenarioResult(
        "Q1",
        "`{ tasks }`",
        {"router": run(100), "router-2w": run(180), "gateway": run(50)},
        Overhead(2, router=(0.012, 0.012, 0.013), direct=(0.010, 0.010, 0.011)),
    )
    mix = ScenarioResult(
        "mix",
        "90/10",
        {"router": run(80, statements=1.1), "router-2w": run(150), "gateway": run(40, failures=2)},
        None,
    )
    return [q1, mix]


def memory(rss_mib: float) -> dict[str, Memory]:
    """Every service at ``rss_mib`` (the two-worker router at three processes)."""
    one = Memory(processes=1, rss=int(rss_mib * MIB), peak=int((rss_mib + 1) * MIB))
    three = Memory(processes=3, rss=int(3 * rss_mib * MIB), peak=int(3 * (rss_mib + 1) * MIB))
    return {"users": one, "tasks": one, "router": one, "router-2w": three, "gateway": one}
