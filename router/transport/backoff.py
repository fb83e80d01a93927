"""Exponential back-off with full jitter, as pure arithmetic.

"Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th retry
waits a uniformly random time between zero and ``min(cap, base * 2**n)``. Callers that
failed at the same moment spread out instead of retrying in step, which is what keeps a
recovering subgraph from being knocked over again.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_ceiling(attempt: int, *, base: float, cap: float) -> float:
    """The longest wait before retry number ``attempt`` (0 for the first retry)."""
    # 2**attempt grows without bound; the cap is reached long before it could overflow.
    growth: float = 2.0 ** min(attempt, 64)
    return min(cap, base * growth)


def full_jitter(
    attempt: int,
    *,
    base: float,
    cap: float,
    rand: Callable[[], float] = random.random,
) -> float:
    """A wait in ``[0, backoff_ceiling(attempt))``; ``rand`` returns a float in [0, 1)."""
    return rand() * backoff_ceiling(attempt, base=base, cap=cap)
