"""Exponential back-off with full jitter: ceilings double up to the cap, waits stay under them."""

from __future__ import annotations

import pytest

from router.transport.backoff import backoff_ceiling, full_jitter


def test_ceilings_double_from_the_base_until_the_cap() -> None:
    ceilings = [backoff_ceiling(n, base=0.05, cap=1.0) for n in range(8)]

    assert ceilings == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0])


def test_a_huge_attempt_number_is_the_cap_not_an_overflow() -> None:
    assert backoff_ceiling(10_000, base=0.05, cap=2.0) == 2.0


@pytest.mark.parametrize("attempt", [0, 1, 2, 5])
def test_full_jitter_spreads_waits_over_zero_to_the_ceiling(attempt: int) -> None:
    ceiling = backoff_ceiling(attempt, base=0.05, cap=1.0)

    assert full_jitter(attempt, base=0.05, cap=1.0, rand=lambda: 0.0) == 0.0
    assert full_jitter(attempt, base=0.05, cap=1.0, rand=lambda: 0.5) == pytest.approx(ceiling / 2)
    assert full_jitter(attempt, base=0.05, cap=1.0, rand=lambda: 0.999) < ceiling


def test_the_default_randomness_stays_within_the_ceiling() -> None:
    waits = [full_jitter(3, base=0.05, cap=1.0) for _ in range(200)]

    assert all(0.0 <= wait < 0.4 for wait in waits)
    assert len(set(waits)) > 1
