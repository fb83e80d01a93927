"""Caching for the router: one CacheBackend protocol, Redis and in-process implementations.

``backend_from_env`` picks the backend (Redis when REDIS_URL is set) and wraps it
fail-open, so a cache outage only ever costs cache misses.
"""

from router.cache.backend import CacheBackend, CacheError
from router.cache.config import CacheSettings, backend_from_env, build_backend
from router.cache.fail_open import FailOpenBackend
from router.cache.memory import MemoryBackend
from router.cache.metrics import CacheMetrics
from router.cache.redis_backend import RedisBackend

__all__ = [
    "CacheBackend",
    "CacheError",
    "CacheMetrics",
    "CacheSettings",
    "FailOpenBackend",
    "MemoryBackend",
    "RedisBackend",
    "backend_from_env",
    "build_backend",
]
