"""The soak run's growth criterion: a least-squares line over the second half of the run."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from growth import Criterion, judge, least_squares, second_half


def _samples(
    minutes: float, every: float, rss: Callable[[float], float]
) -> list[tuple[float, float]]:
    """Samples every ``every`` seconds for ``minutes``; ``rss`` maps minutes to MiB."""
    count = int(minutes * 60 / every) + 1
    return [(i * every, rss(i * every / 60)) for i in range(count)]


def test_least_squares_recovers_a_line() -> None:
    slope, intercept = least_squares([0, 1, 2, 3], [1, 3, 5, 7])
    assert slope == pytest.approx(2)
    assert intercept == pytest.approx(1)


def test_least_squares_needs_two_distinct_xs() -> None:
    with pytest.raises(ValueError, match="two distinct"):
        least_squares([1, 1], [2, 3])
    with pytest.raises(ValueError, match="as many"):
        least_squares([1, 2], [2])


def test_second_half_is_by_time() -> None:
    samples = [(0.0, 1.0), (10.0, 2.0), (20.0, 3.0), (30.0, 4.0), (40.0, 5.0)]
    assert second_half(samples) == [(20.0, 3.0), (30.0, 4.0), (40.0, 5.0)]
    assert second_half([]) == []


def test_warm_up_growth_then_flat_levels_off() -> None:
    # Grows 30 MiB in the first minute (caches filling), then flat for nine.
    samples = _samples(10, 5, lambda m: 60 + 30 * min(m, 1))
    growth = judge(samples, Criterion())
    assert growth.slope == pytest.approx(0)
    assert not growth.keeps_growing


def test_steady_leak_over_a_long_run_keeps_growing() -> None:
    samples = _samples(10, 5, lambda m: 60 + 2 * m)  # 2 MiB per minute throughout
    growth = judge(samples, Criterion(max_slope=1, min_growth=4))
    assert growth.slope == pytest.approx(2)
    assert growth.growth == pytest.approx(10)
    assert growth.keeps_growing
    (t0, m0), (t1, m1) = growth.line
    assert (t0, t1) == (300, 600)
    assert (m0, m1) == (pytest.approx(70), pytest.approx(80))


def test_a_short_run_needs_more_than_noise_to_fail() -> None:
    # 3 MiB/min is above the slope threshold, but 1.5 MiB over a 30 s half is not growth.
    samples = _samples(1, 5, lambda m: 60 + 3 * m)
    growth = judge(samples, Criterion(max_slope=1, min_growth=4))
    assert growth.slope == pytest.approx(3)
    assert growth.growth == pytest.approx(1.5)
    assert not growth.keeps_growing


def test_slow_growth_below_the_slope_threshold_passes() -> None:
    samples = _samples(120, 60, lambda m: 60 + 0.5 * m)  # 30 MiB over the last hour
    assert not judge(samples, Criterion(max_slope=1, min_growth=4)).keeps_growing


def test_judging_needs_two_samples_in_the_second_half() -> None:
    with pytest.raises(ValueError, match="at least two samples"):
        judge([(0.0, 1.0), (60.0, 2.0)], Criterion())


def test_the_criterion_states_its_thresholds() -> None:
    text = Criterion(max_slope=1.5, min_growth=4).describe()
    assert "second half" in text
    assert "1.5 MiB/min" in text
    assert "4 MiB" in text
