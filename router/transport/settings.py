"""How subgraph calls are bounded, retried and cut off, read from the environment.

``fedtasks router`` reads these once at start (a reload keeps them): per-subgraph
timeouts, retries of query fetches, and the circuit breaker. A value that does not parse
is a ValueError naming the variable, so the router refuses to start with a clear message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from router.env_values import seconds, switch

TIMEOUT_PREFIX = "FEDTASKS_SUBGRAPH_TIMEOUT_"


@dataclass(frozen=True)
class RetrySettings:
    """Retries of a failed query fetch: how many, and the exponential back-off between them.

    The n-th retry (from 0) waits a random time in ``[0, min(max_seconds, base_seconds * 2**n)]``
    ("full jitter"), so callers that failed together do not all come back together.
    """

    retries: int = 2
    base_seconds: float = 0.05
    max_seconds: float = 1.0


@dataclass(frozen=True)
class BreakerSettings:
    """When a subgraph's circuit opens, and how it is probed again.

    The circuit opens when, over the last ``window_seconds``, at least ``minimum_calls``
    calls were made and a share of at least ``failure_rate`` failed. While open, calls are
    refused without being sent; after ``cooldown_seconds`` up to ``half_open_calls`` probe
    calls go through (half-open): that many successes close it, one failure opens it again.
    """

    enabled: bool = True
    failure_rate: float = 0.5
    minimum_calls: int = 20
    window_seconds: float = 10.0
    cooldown_seconds: float = 5.0
    half_open_calls: int = 1


@dataclass(frozen=True)
class TransportSettings:
    """Everything the router's subgraph calls are configured with."""

    timeout: float = 10.0
    # Per subgraph, by upper-cased name (FEDTASKS_SUBGRAPH_TIMEOUT_<NAME>).
    timeouts: Mapping[str, float] = field(default_factory=dict)
    retry: RetrySettings = field(default_factory=RetrySettings)
    breaker: BreakerSettings = field(default_factory=BreakerSettings)

    def timeout_for(self, subgraph: str) -> float:
        """The whole-exchange timeout of calls to ``subgraph``."""
        return self.timeouts.get(subgraph.upper(), self.timeout)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TransportSettings:
        """The settings in ``environ`` (the variables named in the README, "Resilience")."""
        defaults = cls()
        # An empty per-subgraph variable is unset: that subgraph keeps the general timeout.
        timeouts = {
            name[len(TIMEOUT_PREFIX) :]: seconds(environ, name, defaults.timeout)
            for name, value in environ.items()
            if name.startswith(TIMEOUT_PREFIX) and value.strip()
        }
        retry = RetrySettings(
            retries=_count(environ, "FEDTASKS_RETRIES", defaults.retry.retries, minimum=0),
            base_seconds=seconds(
                environ, "FEDTASKS_RETRY_BACKOFF_SECONDS", defaults.retry.base_seconds
            ),
            max_seconds=seconds(
                environ, "FEDTASKS_RETRY_MAX_BACKOFF_SECONDS", defaults.retry.max_seconds
            ),
        )
        breaker = BreakerSettings(
            enabled=switch(environ, "FEDTASKS_BREAKER", defaults.breaker.enabled),
            failure_rate=_rate(
                environ, "FEDTASKS_BREAKER_FAILURE_RATE", defaults.breaker.failure_rate
            ),
            minimum_calls=_count(
                environ, "FEDTASKS_BREAKER_MIN_CALLS", defaults.breaker.minimum_calls, minimum=1
            ),
            window_seconds=seconds(
                environ, "FEDTASKS_BREAKER_WINDOW_SECONDS", defaults.breaker.window_seconds
            ),
            cooldown_seconds=seconds(
                environ, "FEDTASKS_BREAKER_COOLDOWN_SECONDS", defaults.breaker.cooldown_seconds
            ),
            half_open_calls=_count(
                environ,
                "FEDTASKS_BREAKER_HALF_OPEN_CALLS",
                defaults.breaker.half_open_calls,
                minimum=1,
            ),
        )
        return cls(
            timeout=seconds(environ, "FEDTASKS_SUBGRAPH_TIMEOUT", defaults.timeout),
            timeouts=timeouts,
            retry=retry,
            breaker=breaker,
        )


def _count(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    """A whole number of at least ``minimum``."""
    raw = environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {raw!r}")
    return value


def _rate(environ: Mapping[str, str], name: str, default: float) -> float:
    """A share in (0, 1]."""
    raw = environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 < value <= 1:
        raise ValueError(f"{name} must be a share between 0 (excluded) and 1, got {raw!r}")
    return value
