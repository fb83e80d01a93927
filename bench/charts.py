"""PNG charts of the suite's and the soak run's figures (matplotlib, Agg backend).

matplotlib comes with the ``bench`` extra (``make bench-install``). The figures are built
with its object API on an Agg canvas: no display, no pyplot state shared between charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from memory import Memory
from suite_report import ScenarioResult

BAR_GROUP_WIDTH = 0.8


def _grouped_bars(
    axes: Axes, groups: Sequence[str], series: Mapping[str, Sequence[float]]
) -> list[float]:
    """Bars of each series side by side within each group; returns the bars' x offsets."""
    width = BAR_GROUP_WIDTH / max(len(series), 1)
    offsets = []
    for index, (label, values) in enumerate(series.items()):
        offset = (index - (len(series) - 1) / 2) * width
        offsets.append(offset)
        axes.bar([g + offset for g in range(len(groups))], values, width, label=label)
    axes.set_xticks(range(len(groups)), list(groups))
    return offsets


def suite_chart(
    path: Path,
    results: Sequence[ScenarioResult],
    memory: Mapping[str, Memory],
    title: str,
) -> None:
    """Throughput, latency (p50 bars, whiskers to p99) and memory per process, as a PNG."""
    figure = Figure(figsize=(13, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    rates, latency, rss = figure.subplots(1, 3, width_ratios=(2, 2, 1.3))
    workloads = [r.name for r in results]
    targets = list(results[0].runs) if results else []

    rate_series = {t: [r.runs[t].per_second for r in results] for t in targets}
    _grouped_bars(rates, workloads, rate_series)
    rates.set_title("Throughput")
    rates.set_ylabel("requests per second")
    rates.legend(fontsize="small")

    medians = {t: [r.runs[t].latency_ms(50) or 0.0 for r in results] for t in targets}
    offsets = _grouped_bars(latency, workloads, medians)
    for offset, target in zip(offsets, targets, strict=True):
        tails = [(r.runs[target].latency_ms(99) or 0.0) for r in results]
        xs = [g + offset for g in range(len(workloads))]
        spread = [
            max(tail - median, 0.0) for tail, median in zip(tails, medians[target], strict=True)
        ]
        latency.errorbar(
            xs,
            medians[target],
            yerr=[[0.0] * len(xs), spread],
            fmt="none",
            ecolor="black",
            capsize=3,
        )
    latency.set_title("Latency under load (bar p50, whisker p99)")
    latency.set_ylabel("milliseconds")

    names = list(memory)
    rss.barh(names, [memory[n].rss_mib for n in names])
    rss.invert_yaxis()
    rss.set_title("Memory (RSS) after the run")
    rss.set_xlabel("MiB")
    figure.suptitle(title)
    figure.savefig(path, dpi=100)


def soak_chart(
    path: Path,
    series: Mapping[str, Sequence[tuple[float, float]]],
    fitted: Mapping[str, tuple[tuple[float, float], tuple[float, float]]],
    title: str,
) -> None:
    """RSS over time per process, with the fitted line of the second half where given.

    ``series`` maps a process to (seconds, MiB) samples; ``fitted`` maps a process to the
    two end points (seconds, MiB) of its second half's least-squares line.
    """
    figure = Figure(figsize=(10, 5), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    for name, samples in series.items():
        lines = axes.plot([t / 60 for t, _ in samples], [m for _, m in samples], label=name)
        if name in fitted:
            (t0, m0), (t1, m1) = fitted[name]
            color = lines[0].get_color()
            axes.plot(
                [t0 / 60, t1 / 60], [m0, m1], linestyle="--", color=color, label=f"{name} trend"
            )
    axes.set_xlabel("minutes")
    axes.set_ylabel("RSS MiB")
    axes.set_ylim(bottom=0)
    axes.legend(fontsize="small")
    figure.suptitle(title)
    figure.savefig(path, dpi=100)
