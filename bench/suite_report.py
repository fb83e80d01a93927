"""The benchmark suite's figures and their tables: pure functions of measured numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from memory import Memory
from report import percentile

GATEWAY = "gateway"
QUANTILES = (50, 95, 99)


@dataclass(frozen=True)
class LoadRun:
    """One target under one workload: closed-loop load, then SQL cost per request."""

    per_second: float
    latencies: tuple[float, ...]  # seconds, one per successful answer
    failures: int
    first_failure: str | None
    statements: Mapping[str, float]  # SQL statements per request, by subgraph

    def latency_ms(self, q: int) -> float | None:
        """The ``q``-th percentile latency in milliseconds (None without answers)."""
        return percentile(self.latencies, q) * 1000 if self.latencies else None


@dataclass(frozen=True)
class Overhead:
    """The router against the direct subgraph calls of its own plan, one request at a time."""

    subgraph_calls: int
    router: tuple[float, ...]
    direct: tuple[float, ...]

    @property
    def ratio(self) -> float:
        """Router p50 over direct p50."""
        return percentile(self.router, 50) / percentile(self.direct, 50)


@dataclass(frozen=True)
class ScenarioResult:
    """Everything measured for one workload."""

    name: str
    description: str
    runs: Mapping[str, LoadRun]  # by target: routers by name, then the gateway
    overhead: Overhead | None  # None for workloads that write


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:.2f}" if bottom else "-"


def _statements(per_subgraph: Mapping[str, float]) -> str:
    """``1 + 2 = 3``: per subgraph (in name order), then the total."""
    parts = [f"{per_subgraph[name]:g}" for name in sorted(per_subgraph)]
    return f"{' + '.join(parts)} = {sum(per_subgraph.values()):g}"


def subgraph_names(results: list[ScenarioResult]) -> list[str]:
    """The subgraphs the statement counts name, in name order."""
    return sorted({name for r in results for run in r.runs.values() for name in run.statements})


def load_rows(results: list[ScenarioResult]) -> list[list[str]]:
    """Throughput, latency percentiles, failures and SQL per request: one row per target."""
    names = " + ".join(subgraph_names(results))
    percentiles = [f"p{q} ms" for q in QUANTILES]
    sql = f"SQL statements/request ({names})"
    rows = [["workload", "target", "req/s", *percentiles, "failed", sql]]
    for r in results:
        for target, run in r.runs.items():
            timings = [_ms(run.latency_ms(q)) for q in QUANTILES]
            rate = f"{run.per_second:.1f}"
            rows.append(
                [r.name, target, rate, *timings, str(run.failures), _statements(run.statements)]
            )
    return rows


def scaling_rows(results: list[ScenarioResult], routers: list[str]) -> list[list[str]]:
    """Requests per second of each router (by worker count) and the gateway, with ratios.

    ``routers`` are the router targets in order, the first one the single-worker router.
    """
    first = routers[0]
    header = ["workload", *(f"{name} req/s" for name in routers)]
    header += [f"{name} / {first}" for name in routers[1:]]
    header += [f"{GATEWAY} req/s", f"{first} / {GATEWAY}"]
    rows = [header]
    for r in results:
        rates = {target: run.per_second for target, run in r.runs.items()}
        row = [r.name, *(f"{rates[name]:.1f}" for name in routers)]
        row += [_ratio(rates[name], rates[first]) for name in routers[1:]]
        row += [f"{rates[GATEWAY]:.1f}", _ratio(rates[first], rates[GATEWAY])]
        rows.append(row)
    return rows


def overhead_rows(results: list[ScenarioResult]) -> list[list[str]]:
    """The router's latency over the direct subgraph calls of its plan, per read workload."""
    percentiles = [f"{side} p{q} ms" for side in ("router", "direct") for q in QUANTILES]
    rows = [["workload", "subgraph calls", *percentiles, "router/direct p50"]]
    for r in results:
        if r.overhead is None:
            continue
        o = r.overhead
        rows.append(
            [
                r.name,
                str(o.subgraph_calls),
                *(_ms(percentile(o.router, q) * 1000) for q in QUANTILES),
                *(_ms(percentile(o.direct, q) * 1000) for q in QUANTILES),
                f"{o.ratio:.2f}",
            ]
        )
    return rows


def memory_rows(start: Mapping[str, Memory], end: Mapping[str, Memory]) -> list[list[str]]:
    """RSS of every service's processes before and after the load, and their peak."""
    rows = [["process", "processes", "RSS before MiB", "RSS after MiB", "peak RSS MiB"]]
    for name, before in start.items():
        after = end[name]
        rows.append(
            [
                name,
                str(after.processes),
                f"{before.rss_mib:.1f}",
                f"{after.rss_mib:.1f}",
                f"{after.peak_mib:.1f}",
            ]
        )
    return rows


def tables(
    results: list[ScenarioResult],
    routers: list[str],
    start: Mapping[str, Memory],
    end: Mapping[str, Memory],
) -> dict[str, list[list[str]]]:
    """Every table of the suite, by name: load, scaling, overhead, memory."""
    return {
        "load": load_rows(results),
        "scaling": scaling_rows(results, routers),
        "overhead": overhead_rows(results),
        "memory": memory_rows(start, end),
    }


def failed(results: list[ScenarioResult]) -> list[str]:
    """One line per target that had failed requests (empty when none failed)."""
    return [
        f"{r.name} via {target}: {run.failures} failed, first: {run.first_failure}"
        for r in results
        for target, run in r.runs.items()
        if run.failures
    ]
