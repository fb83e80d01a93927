"""The environment picks the backend: Redis with REDIS_URL, else in-process; always fail-open."""

from __future__ import annotations

from types import ModuleType

import pytest

import router.cache
from router.cache import (
    CacheMetrics,
    CacheSettings,
    FailOpenBackend,
    MemoryBackend,
    RedisBackend,
    backend_from_env,
)
from tests.router.cache.conftest import require_shared_redis, unique_namespace


async def test_without_redis_url_the_cache_is_in_process() -> None:
    cache = backend_from_env({})

    assert isinstance(cache, FailOpenBackend)
    assert isinstance(cache.inner, MemoryBackend)
    assert cache.inner.max_entries == 10_000
    assert cache.backoff == 1.0
    await cache.aclose()


async def test_an_empty_redis_url_counts_as_unset() -> None:
    cache = backend_from_env({"REDIS_URL": "", "FEDTASKS_CACHE_MAX_ENTRIES": "25"})

    assert isinstance(cache.inner, MemoryBackend)
    assert cache.inner.max_entries == 25
    await cache.aclose()


async def test_with_redis_url_the_cache_is_redis_in_the_configured_namespace() -> None:
    namespace = unique_namespace()
    metrics = CacheMetrics()
    cache = backend_from_env(
        {
            "REDIS_URL": require_shared_redis(),
            "FEDTASKS_CACHE_NAMESPACE": namespace,
            "FEDTASKS_CACHE_COMMAND_TIMEOUT": "1",
            "FEDTASKS_CACHE_BACKOFF": "0.5",
        },
        metrics=metrics,
    )
    try:
        assert isinstance(cache.inner, RedisBackend)
        assert cache.inner.namespace == namespace
        assert cache.backoff == 0.5
        assert cache.metrics is metrics
        await cache.set_many({"a": b"1"}, ttl=60)
        assert await cache.get_many(["a"]) == [b"1"]
    finally:
        await cache.clear()
        await cache.aclose()


def test_every_setting_is_read_from_the_environment() -> None:
    settings = CacheSettings.from_env(
        {
            "REDIS_URL": "redis://cache:6379/2",
            "FEDTASKS_CACHE_NAMESPACE": "staging:",
            "FEDTASKS_CACHE_MAX_ENTRIES": "500",
            "FEDTASKS_CACHE_CONNECT_TIMEOUT": "0.2",
            "FEDTASKS_CACHE_COMMAND_TIMEOUT": "0.01",
            "FEDTASKS_CACHE_BACKOFF": "2.5",
            "FEDTASKS_CACHE_INVALIDATION_WAIT": "3",
        }
    )

    assert settings == CacheSettings(
        redis_url="redis://cache:6379/2",
        namespace="staging:",
        max_entries=500,
        connect_timeout=0.2,
        command_timeout=0.01,
        backoff=2.5,
        invalidation_wait=3.0,
    )


def test_the_defaults() -> None:
    assert CacheSettings.from_env({}) == CacheSettings(
        redis_url=None,
        namespace="fedtasks:",
        max_entries=10_000,
        connect_timeout=0.1,
        command_timeout=0.05,
        backoff=1.0,
        invalidation_wait=3.0,
    )


@pytest.mark.parametrize(
    ("variable", "value", "kind"),
    [
        ("FEDTASKS_CACHE_MAX_ENTRIES", "lots", "int"),
        ("FEDTASKS_CACHE_MAX_ENTRIES", "0", "int"),
        ("FEDTASKS_CACHE_MAX_ENTRIES", "2.5", "int"),
        ("FEDTASKS_CACHE_COMMAND_TIMEOUT", "-1", "float"),
        ("FEDTASKS_CACHE_CONNECT_TIMEOUT", "nan", "float"),
        ("FEDTASKS_CACHE_BACKOFF", "soon", "float"),
        ("FEDTASKS_CACHE_INVALIDATION_WAIT", "0", "float"),
    ],
)
def test_a_malformed_setting_is_refused_by_name(variable: str, value: str, kind: str) -> None:
    with pytest.raises(ValueError, match=f"^{variable} must be a positive {kind}, got '{value}'$"):
        CacheSettings.from_env({variable: value})


def test_the_package_exports_exactly_its_public_names() -> None:
    public = {
        name
        for name, value in vars(router.cache).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }

    assert set(router.cache.__all__) == public
