"""Whether a process's memory keeps growing: the soak run's verdict.

The criterion, stated in every soak report: take the memory samples of the second half of
the run (by time: by then the warm-up is over, caches are full, pools open, every code path
taken once), and fit a least-squares line through them. The memory keeps growing when that
line rises faster than ``max_slope`` MiB per minute *and* by more than ``min_growth`` MiB
over the half. The slope decides on a long run (over a 10-minute run's 5-minute half, 1
MiB/min is 5 MiB); the second condition keeps a 1-minute smoke run from failing on a few
hundred KiB of allocator noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_MAX_SLOPE = 1.0  # MiB per minute
DEFAULT_MIN_GROWTH = 4.0  # MiB over the second half


@dataclass(frozen=True)
class Criterion:
    """The thresholds both of which a growing memory exceeds."""

    max_slope: float = DEFAULT_MAX_SLOPE  # MiB per minute
    min_growth: float = DEFAULT_MIN_GROWTH  # MiB over the second half

    def describe(self) -> str:
        """The criterion in one sentence, for the report."""
        return (
            "memory keeps growing when the least-squares line through its samples of the "
            f"second half of the run rises faster than {self.max_slope:g} MiB/min and by "
            f"more than {self.min_growth:g} MiB over that half"
        )


@dataclass(frozen=True)
class Growth:
    """The fitted trend of one process's memory over the second half of a run."""

    slope: float  # MiB per minute
    growth: float  # MiB the fitted line rises from the half's first sample to its last
    samples: int  # samples in the second half
    keeps_growing: bool
    # The fitted line's end points, (seconds, MiB) at the half's first and last sample.
    line: tuple[tuple[float, float], tuple[float, float]]


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Slope and intercept of the least-squares line through the points.

    ValueError unless there are as many ys as xs and at least two distinct xs.
    """
    if len(xs) != len(ys):
        raise ValueError("as many x as y values are needed")
    if len(set(xs)) < 2:
        raise ValueError("a line needs at least two distinct x values")
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    variance = sum((x - mean_x) ** 2 for x in xs)
    slope = covariance / variance
    return slope, mean_y - slope * mean_x


def second_half(samples: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (seconds, MiB) samples taken at or after the middle of the run's time span."""
    if not samples:
        return []
    middle = (samples[0][0] + samples[-1][0]) / 2
    return [sample for sample in samples if sample[0] >= middle]


def judge(samples: Sequence[tuple[float, float]], criterion: Criterion) -> Growth:
    """The growth of memory ``samples`` (seconds, MiB; in time order) against ``criterion``."""
    half = second_half(samples)
    if len(half) < 2:
        raise ValueError("the second half of the run needs at least two samples")
    start, end = half[0][0], half[-1][0]
    slope, intercept = least_squares([t / 60 for t, _ in half], [mib for _, mib in half])
    growth = slope * (end - start) / 60
    return Growth(
        slope=slope,
        growth=growth,
        samples=len(half),
        keeps_growing=slope > criterion.max_slope and growth > criterion.min_growth,
        line=((start, intercept + slope * start / 60), (end, intercept + slope * end / 60)),
    )
