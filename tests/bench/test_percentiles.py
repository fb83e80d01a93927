"""Latency percentiles (inclusive method, numpy's default) and their empty case."""

from __future__ import annotations

import pytest
from report import percentile
from suite_report import LoadRun


def test_percentiles_of_a_known_sample() -> None:
    samples = tuple(float(i) for i in range(1, 101))
    assert percentile(samples, 50) == pytest.approx(50.5)
    assert percentile(samples, 95) == pytest.approx(95.05)
    assert percentile(samples, 99) == pytest.approx(99.01)


def test_one_sample_is_every_percentile() -> None:
    assert percentile((0.25,), 50) == 0.25
    assert percentile((0.25,), 99) == 0.25


def test_a_run_without_answers_has_no_latency() -> None:
    run = LoadRun(per_second=0, latencies=(), failures=3, first_failure="HTTP 500", statements={})
    assert run.latency_ms(50) is None
    run = LoadRun(per_second=1, latencies=(0.010, 0.020), failures=0, first_failure=None,
                  statements={})  # fmt: skip
    assert run.latency_ms(50) == pytest.approx(15)
