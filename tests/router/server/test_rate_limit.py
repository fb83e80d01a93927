"""Rate limiting per caller: 429 with Retry-After and RATE_LIMITED, keyed on the verified
identity or the client's address, in process and in the real Redis (shared by replicas,
failing open when Redis is gone)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware

from router.auth.identity import STATE_KEY, Identity
from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from router.server.app import create_router_app
from router.server.rate_limit import RateLimitMiddleware, caller_key
from router.server.rate_limit_buckets import (
    Buckets,
    FailOpenBuckets,
    MemoryBuckets,
    RedisBuckets,
    retry_after,
)
from tests.router.auth.tokens import SECRET, hs256
from tests.router.cache.conftest import require_shared_redis
from tests.router.server.test_app import GraphQLCorePipeline
from tests.support.redis_server import RedisServer

QUERY = {"query": "{ hello }"}


class ManualClock:
    """Seconds that pass only when a test says so (the in-process buckets' clock)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def router(buckets: Buckets) -> Starlette:
    verifier = TokenVerifier.from_settings(AuthSettings(secret=SECRET))
    return create_router_app(
        GraphQLCorePipeline(),
        middleware=[
            Middleware(AuthenticationMiddleware, verifier=verifier),
            Middleware(RateLimitMiddleware, buckets=buckets),
        ],
    )


def client(app: Starlette, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 4321))
    return httpx.AsyncClient(transport=transport, base_url="http://router")


async def statuses(http: httpx.AsyncClient, count: int, **headers: str) -> list[int]:
    return [
        (await http.post("/graphql", json=QUERY, headers=headers)).status_code for _ in range(count)
    ]


# --- the token bucket, in process -----------------------------------------------------


async def test_a_bucket_holds_burst_tokens_and_refills_at_the_rate() -> None:
    clock = ManualClock()
    buckets = MemoryBuckets(per_minute=30, burst=3, clock=clock)  # a token every 2 s
    assert [await buckets.take("k") for _ in range(3)] == [0, 0, 0]
    assert await buckets.take("k") == pytest.approx(2.0)
    clock.now += 1
    assert await buckets.take("k") == pytest.approx(1.0)  # a refusal takes nothing
    clock.now += 1
    assert await buckets.take("k") == 0
    clock.now += 60  # full again, never more than the burst
    assert [await buckets.take("k") for _ in range(4)][-1] == pytest.approx(2.0)
    assert await buckets.take("other") == 0


async def test_the_in_process_buckets_keep_a_bounded_number_of_callers() -> None:
    buckets = MemoryBuckets(per_minute=1, burst=1, clock=ManualClock(), max_keys=2)
    for key in ("a", "b", "c"):
        assert await buckets.take(key) == 0
    # "a" was dropped (least recently used): it starts with a full bucket again.
    assert await buckets.take("a") == 0
    assert await buckets.take("c") > 0


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after(w) for w in (0.01, 1.0, 1.2, 59.5)] == [1, 1, 2, 60]


# --- over HTTP --------------------------------------------------------------------------


async def test_every_entry_of_a_batch_takes_a_token() -> None:
    clock = ManualClock()
    async with client(router(MemoryBuckets(per_minute=6, burst=3, clock=clock))) as http:
        batch = await http.post("/graphql", json=[QUERY] * 5)
        assert batch.status_code == 200
        limited = {
            "errors": [
                {
                    "message": "Rate limit exceeded: more than 6 requests a minute; retry in 10 s.",
                    "extensions": {"code": "RATE_LIMITED"},
                }
            ]
        }
        # Three tokens: the request's and two more; the last two entries do not run.
        assert batch.json() == [{"data": {"hello": "hello world"}}] * 3 + [limited] * 2
        assert await statuses(http, 1) == [429]
        clock.now += 10
        assert await statuses(http, 1) == [200]


async def test_over_the_limit_is_429_with_retry_after_and_rate_limited() -> None:
    clock = ManualClock()
    async with client(router(MemoryBuckets(per_minute=6, burst=2, clock=clock))) as http:
        assert await statuses(http, 2) == [200, 200]
        refused = await http.post("/graphql", json=QUERY, headers={"Accept": "application/json"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "10"
        assert refused.headers["content-type"] == "application/json; charset=utf-8"
        assert refused.json() == {
            "errors": [
                {
                    "message": "Rate limit exceeded: more than 6 requests a minute; retry in 10 s.",
                    "extensions": {"code": "RATE_LIMITED"},
                }
            ]
        }
        # Health checks and metrics are never limited.
        assert (await http.get("/health")).status_code == 200
        clock.now += 10
        assert await statuses(http, 2) == [200, 429]


async def test_each_identity_has_its_own_bucket_and_anonymous_callers_go_by_address() -> None:
    app = router(MemoryBuckets(per_minute=1, burst=2, clock=ManualClock()))
    ada = {"Authorization": f"Bearer {hs256(subject='ada')}"}
    bob = {"Authorization": f"Bearer {hs256(subject='bob')}"}
    async with client(app) as here, client(app, address="198.51.100.9") as there:
        assert await statuses(here, 3, **ada) == [200, 200, 429]
        # Ada's bucket follows her token, whatever her address.
        assert await statuses(there, 1, **ada) == [429]
        assert await statuses(here, 3, **bob) == [200, 200, 429]
        # Without a token, each address is a caller of its own.
        assert await statuses(here, 3) == [200, 200, 429]
        assert await statuses(there, 3) == [200, 200, 429]


def test_caller_keys() -> None:
    assert caller_key({"state": {STATE_KEY: Identity("u-1")}, "client": ("10.0.0.1", 1)}) == (
        "user:u-1"
    )
    assert caller_key({"client": ("10.0.0.1", 1)}) == "ip:10.0.0.1"
    assert caller_key({"client": None}) == "ip:unknown"


# --- in Redis ---------------------------------------------------------------------------


@pytest.fixture
async def redis_buckets() -> AsyncIterator[Sequence[RedisBuckets]]:
    """Two replicas' buckets on the shared Redis, in a namespace of their own."""
    url = require_shared_redis()
    namespace = f"fedtasks-test:{uuid.uuid4().hex[:12]}:"
    replicas = [
        RedisBuckets(url, 1, 2, namespace=namespace, connect_timeout=1, command_timeout=1)
        for _ in range(2)
    ]
    yield replicas
    for replica in replicas:
        await replica.aclose()


async def test_replicas_share_one_bucket_per_caller_in_redis(
    redis_buckets: Sequence[RedisBuckets],
) -> None:
    first, second = (router(buckets) for buckets in redis_buckets)
    ada = {"Authorization": f"Bearer {hs256(subject='ada')}"}
    async with client(first) as one, client(second) as two:
        assert await statuses(one, 1, **ada) == [200]
        assert await statuses(two, 1, **ada) == [200]
        refused = await one.post("/graphql", json=QUERY, headers=ada)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
        # One token a minute: the next comes within the minute.
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert await statuses(two, 1, **ada) == [429]
        # Another caller is untouched.
        assert await statuses(two, 2) == [200, 200]


async def test_a_redis_bucket_expires_once_it_would_be_full(
    redis_buckets: Sequence[RedisBuckets],
) -> None:
    buckets = redis_buckets[0]
    await buckets.take("user:ttl")
    redis = Redis.from_url(require_shared_redis())
    try:
        ttl = await redis.pttl(f"{buckets.namespace}rl:user:ttl")
        fields = await redis.hgetall(f"{buckets.namespace}rl:user:ttl")
    finally:
        await redis.aclose()
    # One token used at one a minute: full again within a minute (plus a second's margin).
    assert 0 < ttl <= 61_000
    assert float(fields[b"tokens"]) == pytest.approx(1.0, abs=0.01)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


async def test_without_redis_requests_go_and_one_warning_is_logged(
    private_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()
    buckets = FailOpenBuckets(
        RedisBuckets(private_redis.url, 1, 1, connect_timeout=1, command_timeout=1),
        backoff=5,
        clock=clock,
    )
    try:
        async with client(router(buckets)) as http:
            assert await statuses(http, 2) == [200, 429]
            private_redis.kill()
            with caplog.at_level(logging.INFO, logger="router.server.rate_limit_buckets"):
                assert await statuses(http, 5) == [200] * 5
                clock.now += 5  # the back-off is over: Redis is tried again, and fails
                assert await statuses(http, 2) == [200, 200]
                warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
                assert len(warnings) == 1
                assert "rate limiting off until its Redis answers again" in warnings[0].message
                private_redis.start()  # back, empty: the caller has a full bucket
                clock.now += 5
                assert await statuses(http, 2) == [200, 429]
            assert any("rate limiting back" in r.message for r in caplog.records)
    finally:
        await buckets.aclose()
