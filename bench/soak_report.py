"""The soak run's figures: memory series per process, their trends, the verdict's table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from growth import Criterion, Growth, judge
from memory import Memory

Series = list[tuple[float, Memory]]  # (seconds since the load began, memory then)


@dataclass(frozen=True)
class ProcessTrend:
    """One process's memory over the run and the trend of its second half."""

    name: str
    samples: tuple[tuple[float, Memory], ...]
    growth: Growth

    def mib(self) -> list[tuple[float, float]]:
        """The samples as (seconds, RSS MiB)."""
        return [(t, m.rss_mib) for t, m in self.samples]


def trends(series: Mapping[str, Series], criterion: Criterion) -> list[ProcessTrend]:
    """Every process's trend against ``criterion``, in the order given."""
    found = []
    for name, samples in series.items():
        mib = [(t, m.rss_mib) for t, m in samples]
        found.append(ProcessTrend(name, tuple(samples), judge(mib, criterion)))
    return found


def _at(samples: Sequence[tuple[float, Memory]], seconds: float) -> Memory:
    """The first sample taken at or after ``seconds`` (the last one if none is)."""
    return next((m for t, m in samples if t >= seconds), samples[-1][1])


def rows(found: list[ProcessTrend], watched: str) -> list[list[str]]:
    """The soak table: RSS at the start, middle and end, peak, and the second half's trend.

    Only ``watched`` (the router) decides the run; the others' verdicts are shown too.
    """
    table = [
        [
            "process",
            "processes",
            "RSS start MiB",
            "RSS middle MiB",
            "RSS end MiB",
            "peak MiB",
            "2nd half slope MiB/min",
            "2nd half growth MiB",
            "keeps growing",
        ]
    ]
    for trend in found:
        samples = trend.samples
        middle = (samples[0][0] + samples[-1][0]) / 2
        last = samples[-1][1]
        verdict = "YES" if trend.growth.keeps_growing else "no"
        table.append(
            [
                trend.name + (" (decides)" if trend.name == watched else ""),
                str(last.processes),
                f"{samples[0][1].rss_mib:.1f}",
                f"{_at(samples, middle).rss_mib:.1f}",
                f"{last.rss_mib:.1f}",
                f"{max(m.peak_mib for _, m in samples):.1f}",
                f"{trend.growth.slope:+.3f}",
                f"{trend.growth.growth:+.2f}",
                verdict,
            ]
        )
    return table
