"""The benchmark's figures, its verdicts against the targets, and their markdown page."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

LATENCY_TARGET = 1.25  # router p50 / direct subgraph calls p50, at most
THROUGHPUT_TARGET = 2.0  # router requests/s / Apollo gateway requests/s, at least


def percentile(samples: tuple[float, ...], q: int) -> float:
    """The ``q``-th percentile of ``samples`` (inclusive method, like numpy's default)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


@dataclass(frozen=True)
class LoadFigures:
    """One target under load: its rate, latency, failures and CPU cost per answer."""

    per_second: float
    p50: float
    failures: int
    cpu_ms: float  # CPU time of the router (or gateway) process per answer
    subgraphs_cpu_ms: float  # CPU time of both subgraph processes per answer


@dataclass(frozen=True)
class QueryResult:
    """Everything measured for one query."""

    name: str
    query: str
    subgraph_calls: int
    router_latencies: tuple[float, ...]
    direct_latencies: tuple[float, ...]
    router: LoadFigures
    gateway: LoadFigures

    @property
    def latency_ratio(self) -> float:
        """Router p50 over the p50 of the plan's subgraph calls made directly."""
        return percentile(self.router_latencies, 50) / percentile(self.direct_latencies, 50)

    @property
    def throughput_ratio(self) -> float:
        """Router requests per second over the gateway's."""
        if not self.gateway.per_second:
            return float("inf")
        return self.router.per_second / self.gateway.per_second

    @property
    def cpu_ratio(self) -> float:
        """Gateway CPU per answer over the router's: above 1, the router costs less."""
        return self.gateway.cpu_ms / self.router.cpu_ms if self.router.cpu_ms else float("inf")

    @property
    def latency_met(self) -> bool:
        """Whether the latency ratio is within its target."""
        return self.latency_ratio <= LATENCY_TARGET

    @property
    def throughput_met(self) -> bool:
        """Whether the throughput ratio reaches its target (and nothing failed)."""
        failures = self.router.failures + self.gateway.failures
        return self.throughput_ratio >= THROUGHPUT_TARGET and failures == 0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def latency_rows(results: list[QueryResult]) -> list[list[str]]:
    """Rows of the latency table (header first)."""
    rows = [
        [
            "query",
            "subgraph calls",
            "router p50 ms",
            "router p95 ms",
            "direct p50 ms",
            "direct p95 ms",
            f"router/direct p50 (target <= {LATENCY_TARGET})",
            "verdict",
        ]
    ]
    for r in results:
        rows.append(
            [
                r.name,
                str(r.subgraph_calls),
                _ms(percentile(r.router_latencies, 50)),
                _ms(percentile(r.router_latencies, 95)),
                _ms(percentile(r.direct_latencies, 50)),
                _ms(percentile(r.direct_latencies, 95)),
                f"{r.latency_ratio:.2f}",
                _verdict(r.latency_met),
            ]
        )
    return rows


def throughput_rows(results: list[QueryResult]) -> list[list[str]]:
    """Rows of the throughput table (header first)."""
    rows = [
        [
            "query",
            "router req/s",
            "gateway req/s",
            "router p50 ms",
            "gateway p50 ms",
            "failed requests",
            f"router/gateway (target >= {THROUGHPUT_TARGET:g})",
            "verdict",
        ]
    ]
    for r in results:
        rows.append(
            [
                r.name,
                f"{r.router.per_second:.1f}",
                f"{r.gateway.per_second:.1f}",
                _ms(r.router.p50),
                _ms(r.gateway.p50),
                str(r.router.failures + r.gateway.failures),
                f"{r.throughput_ratio:.2f}",
                _verdict(r.throughput_met),
            ]
        )
    return rows


def cpu_rows(results: list[QueryResult]) -> list[list[str]]:
    """Rows of the CPU-per-answer table (header first), measured during the load runs."""
    rows = [
        [
            "query",
            "router CPU ms/answer",
            "gateway CPU ms/answer",
            "subgraphs CPU ms/answer (router run)",
            "subgraphs CPU ms/answer (gateway run)",
            "gateway/router CPU",
        ]
    ]
    for r in results:
        rows.append(
            [
                r.name,
                f"{r.router.cpu_ms:.2f}",
                f"{r.gateway.cpu_ms:.2f}",
                f"{r.router.subgraphs_cpu_ms:.2f}",
                f"{r.gateway.subgraphs_cpu_ms:.2f}",
                f"{r.cpu_ratio:.2f}",
            ]
        )
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    """``rows`` as a GitHub markdown table."""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def text_table(rows: list[list[str]]) -> str:
    """``rows`` as aligned columns for a terminal."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def summary(results: list[QueryResult]) -> list[str]:
    """One line per target per query: the ratio and whether the router met the target."""
    lines = []
    for r in results:
        lines.append(
            f"{r.name}: router/direct latency ratio {r.latency_ratio:.2f} "
            f"(target <= {LATENCY_TARGET}): {_verdict(r.latency_met)}"
        )
        lines.append(
            f"{r.name}: router/gateway throughput ratio {r.throughput_ratio:.2f} "
            f"(target >= {THROUGHPUT_TARGET:g}): {_verdict(r.throughput_met)}"
        )
    return lines
