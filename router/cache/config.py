"""Which cache backend the router uses, chosen by the environment.

``REDIS_URL`` set: Redis, shared by every replica. Not set: the in-process cache. Either
way the backend is wrapped fail-open, so the code above it never changes with the choice
and never sees a cache error.

| variable                         | default   | meaning                                       |
|----------------------------------|-----------|-----------------------------------------------|
| REDIS_URL                        | (unset)   | redis:// or rediss:// URL of the shared cache |
| FEDTASKS_CACHE_NAMESPACE         | fedtasks: | prefix of every Redis key the router writes   |
| FEDTASKS_CACHE_MAX_ENTRIES       | 10000     | size bound of the in-process cache            |
| FEDTASKS_CACHE_CONNECT_TIMEOUT   | 0.1       | seconds to connect to Redis                   |
| FEDTASKS_CACHE_COMMAND_TIMEOUT   | 0.05      | seconds to wait for a Redis answer            |
| FEDTASKS_CACHE_BACKOFF           | 1.0       | seconds without calls after a cache failure   |
| FEDTASKS_CACHE_INVALIDATION_WAIT | 3.0       | longest wait of a mutation for its invalidation |
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from router.cache.backend import CacheBackend
from router.cache.fail_open import DEFAULT_BACKOFF, FailOpenBackend
from router.cache.invalidation import INVALIDATION_WAIT
from router.cache.memory import MemoryBackend
from router.cache.metrics import CacheMetrics
from router.cache.redis_backend import (
    DEFAULT_COMMAND_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    RedisBackend,
)

N = TypeVar("N", int, float)


@dataclass(frozen=True)
class CacheSettings:
    """The cache backend's configuration."""

    redis_url: str | None = None
    namespace: str = "fedtasks:"
    max_entries: int = 10_000
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT
    backoff: float = DEFAULT_BACKOFF
    invalidation_wait: float = INVALIDATION_WAIT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> CacheSettings:
        """Read the settings from environment variables; a malformed value is refused."""
        defaults = cls()
        return cls(
            redis_url=environ.get("REDIS_URL") or None,
            namespace=environ.get("FEDTASKS_CACHE_NAMESPACE", defaults.namespace),
            max_entries=_positive(environ, "FEDTASKS_CACHE_MAX_ENTRIES", int, defaults.max_entries),
            connect_timeout=_positive(
                environ, "FEDTASKS_CACHE_CONNECT_TIMEOUT", float, defaults.connect_timeout
            ),
            command_timeout=_positive(
                environ, "FEDTASKS_CACHE_COMMAND_TIMEOUT", float, defaults.command_timeout
            ),
            backoff=_positive(environ, "FEDTASKS_CACHE_BACKOFF", float, defaults.backoff),
            invalidation_wait=_positive(
                environ, "FEDTASKS_CACHE_INVALIDATION_WAIT", float, defaults.invalidation_wait
            ),
        )


def build_backend(
    settings: CacheSettings, *, metrics: CacheMetrics | None = None
) -> FailOpenBackend:
    """The backend the settings describe, wrapped fail-open."""
    inner: CacheBackend
    if settings.redis_url is not None:
        inner = RedisBackend(
            settings.redis_url,
            namespace=settings.namespace,
            connect_timeout=settings.connect_timeout,
            command_timeout=settings.command_timeout,
        )
    else:
        inner = MemoryBackend(max_entries=settings.max_entries)
    return FailOpenBackend(inner, metrics=metrics, backoff=settings.backoff)


def backend_from_env(
    environ: Mapping[str, str] = os.environ, *, metrics: CacheMetrics | None = None
) -> FailOpenBackend:
    """Redis when REDIS_URL is set, else the in-process cache; always fail-open."""
    return build_backend(CacheSettings.from_env(environ), metrics=metrics)


def _positive(environ: Mapping[str, str], name: str, kind: type[N], default: N) -> N:
    raw = environ.get(name, "")
    if not raw:
        return default
    refusal = f"{name} must be a positive {kind.__name__}, got {raw!r}"
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(refusal) from None
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(refusal)
    return value
