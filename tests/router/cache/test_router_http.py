"""The cache as clients and operators meet it over HTTP: APQ, safelist, extensions.cache,
shared plans, the admin endpoint and /metrics (real subgraphs in-process, real Redis)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from router.cache.admin import admin_route
from router.cache.backend import CacheBackend
from router.cache.persisted import PersistedQueries, sha256_of
from router.cache.plans import SharedPlans
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from tests.router.cache.conftest import CacheUnderTest, require_shared_redis, unique_namespace
from tests.router.cache.router_stack import USERS, Stack, running_stack, seed

TOKEN = "s3cret-admin-token"


@pytest.fixture
async def stack(users_url: str, tasks_url: str) -> AsyncIterator[Stack]:
    async with running_stack(users_url, tasks_url) as stack:
        yield stack


async def client_for(
    stack: Stack, backend: CacheBackend, *, safelist: bool = False, fresh: bool = True
) -> tuple[httpx.AsyncClient, RouterPipeline, SharedPlans]:
    replica = await stack.replica(backend)
    plans = SharedPlans(backend)
    pipeline = RouterPipeline(
        stack.supergraph,
        replica.cache,
        dev_mode=True,
        persisted=PersistedQueries(backend, safelist=safelist),
        shared_plans=plans,
    )
    app: Starlette = create_router_app(pipeline)
    app.router.routes.append(admin_route(replica.cache, TOKEN))
    if fresh:
        await seed(replica, users=1, tasks_each=1)
    # As a GraphQL over HTTP client asks: a request error (an APQ miss) then answers 400.
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://router",
        headers={"accept": "application/graphql-response+json"},
    )
    return http, pipeline, plans


async def post(http: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> Any:
    response = await http.post("/graphql", json=body, headers=headers)
    return response.status_code, response.json()


async def test_apq_miss_then_registration_then_hash_only(
    stack: Stack, cache: CacheUnderTest
) -> None:
    http, _, _ = await client_for(stack, cache.backend)
    apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(USERS)}}
    async with http:
        status, missed = await post(http, {"extensions": apq})
        _, registered = await post(http, {"query": USERS, "extensions": apq})
        _, by_hash = await post(http, {"extensions": apq})
        _, mismatch = await post(
            http, {"query": "{ users(first: 1) { edges { cursor } } }", "extensions": apq}
        )

    # A request error under GraphQL over HTTP; APQ clients read the code from the body.
    assert status == 400
    assert missed == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert by_hash == registered
    assert registered["data"]["users"]["edges"][0]["node"]["name"] == "User 0"
    assert mismatch["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_safelist_mode_refuses_unregistered_operations(
    stack: Stack, cache: CacheUnderTest
) -> None:
    http, _, _ = await client_for(stack, cache.backend, safelist=True)
    await PersistedQueries(cache.backend).register([USERS])
    async with http:
        _, allowed = await post(http, {"query": USERS})
        _, refused = await post(http, {"query": "{ tasks(first: 1) { totalCount } }"})

    assert "errors" not in allowed
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
    assert "data" not in refused


async def test_the_dev_header_says_what_came_from_the_cache(
    stack: Stack, cache: CacheUnderTest
) -> None:
    http, _, _ = await client_for(stack, cache.backend)
    async with http:
        _, cold = await post(http, {"query": USERS}, **{"fedtasks-include-cache": "true"})
        _, warm = await post(http, {"query": USERS}, **{"fedtasks-include-cache": "true"})
        _, plain = await post(http, {"query": USERS})

    assert (cold["extensions"]["cache"]["hits"], cold["extensions"]["cache"]["misses"]) == (0, 2)
    assert (warm["extensions"]["cache"]["hits"], warm["extensions"]["cache"]["misses"]) == (2, 0)
    assert warm["data"] == cold["data"] == plain["data"]
    assert "extensions" not in plain


async def test_a_new_replica_reads_plans_from_the_shared_backend(
    stack: Stack, cache: CacheUnderTest
) -> None:
    first, _, first_plans = await client_for(stack, cache.backend)
    second, _, second_plans = await client_for(stack, cache.backend, fresh=False)
    async with first, second:
        await post(first, {"query": USERS})
        await post(second, {"query": USERS})

    assert (first_plans.hits, first_plans.misses) == (0, 1)
    assert (second_plans.hits, second_plans.misses) == (1, 0)


async def test_the_admin_endpoint_invalidates_and_is_guarded(
    stack: Stack, cache: CacheUnderTest
) -> None:
    http, _, _ = await client_for(stack, cache.backend)
    admin = {"authorization": f"Bearer {TOKEN}"}
    header = {"fedtasks-include-cache": "true"}
    async with http:
        await post(http, {"query": USERS})
        no_token = await http.post("/admin/cache/invalidate", json={"kind": "all"})
        bad = await http.post("/admin/cache/invalidate", json={"kind": "x"}, headers=admin)
        by_type = await http.post(
            "/admin/cache/invalidate", json={"kind": "type", "type": "User"}, headers=admin
        )
        _, after_type = await post(http, {"query": USERS}, **header)
        everything = await http.post("/admin/cache/invalidate", json={"kind": "all"}, headers=admin)
        _, after_all = await post(http, {"query": USERS}, **header)

    assert no_token.status_code == 401
    assert bad.status_code == 400
    assert by_type.status_code == 200
    assert by_type.json()["invalidated"] >= 1
    # The User type's entries (tasks' User entities) and the users root list went.
    assert after_type["extensions"]["cache"]["misses"] == 2
    assert everything.json() == {"invalidated": "all"}
    assert after_all["extensions"]["cache"]["misses"] == 2


def test_persisted_register_stores_operations_in_redis_and_writes_manifests(
    tmp_path: Path,
) -> None:
    url, namespace = require_shared_redis(), unique_namespace()
    document = tmp_path / "users.graphql"
    document.write_text("query Users { users(first: 5) { edges { node { name } } } }\n")
    env = {"REDIS_URL": url, "FEDTASKS_CACHE_NAMESPACE": namespace, "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "router.cli", "persisted", "register", str(document)]

    stored = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    manifest = tmp_path / "manifest.json"
    written = subprocess.run(
        [*command, "--manifest", str(manifest)], capture_output=True, text=True, check=False
    )
    missing = subprocess.run(
        command, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=False
    )

    assert stored.returncode == 0, stored.stderr
    assert sha256_of(document.read_text()) in stored.stdout.split()
    assert written.returncode == 0
    operations = orjson.loads(manifest.read_bytes())["operations"]
    assert {o["name"] for o in operations} == {"Users"}
    assert missing.returncode == 2
    assert "REDIS_URL" in missing.stderr
