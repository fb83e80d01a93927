"""Persisted queries (APQ and safelist) on the in-process backend and the real Redis."""

from __future__ import annotations

import pytest

from router.cache.persisted import PersistedQueries, PersistedQueryError, sha256_of
from tests.router.cache.conftest import CacheUnderTest

QUERY = "{ users(first: 1) { edges { node { name } } } }"
HASH = sha256_of(QUERY)


def apq(digest: str = HASH, version: object = 1) -> dict[str, object]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def refusal(store: PersistedQueries, query: str | None, extensions: dict[str, object]) -> str:
    with pytest.raises(PersistedQueryError) as caught:
        await store.resolve(query, extensions)
    return caught.value.code


async def test_a_plain_query_runs_as_sent(cache: CacheUnderTest) -> None:
    store = PersistedQueries(cache.backend)

    assert await store.resolve(QUERY, {}) == QUERY
    assert await store.resolve(None, {}) is None


async def test_an_unknown_hash_is_not_found_then_registered_then_found(
    cache: CacheUnderTest,
) -> None:
    store = PersistedQueries(cache.backend)

    assert await refusal(store, None, apq()) == "PERSISTED_QUERY_NOT_FOUND"
    assert await store.resolve(QUERY, apq()) == QUERY
    # Resolving checks the hash only: the pipeline registers what it could prepare.
    assert await refusal(store, None, apq()) == "PERSISTED_QUERY_NOT_FOUND"
    await store.register_apq(QUERY, apq())
    assert await store.resolve(None, apq()) == QUERY


async def test_another_replica_on_the_same_backend_finds_the_registered_query(
    cache: CacheUnderTest,
) -> None:
    await PersistedQueries(cache.backend).register_apq(QUERY, apq())

    assert await PersistedQueries(cache.backend).resolve(None, apq()) == QUERY


async def test_a_hash_that_does_not_match_the_query_is_refused_and_not_stored(
    cache: CacheUnderTest,
) -> None:
    store = PersistedQueries(cache.backend)
    other = sha256_of("{ other }")

    assert await refusal(store, QUERY, apq(other)) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert await refusal(store, None, apq(other)) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("extensions", "code"),
    [
        ({"persistedQuery": "abc"}, "BAD_REQUEST"),
        (apq(version=2), "PERSISTED_QUERY_NOT_SUPPORTED"),
        (apq(version="1"), "PERSISTED_QUERY_NOT_SUPPORTED"),
        (apq(digest="ABC"), "BAD_REQUEST"),
        (apq(digest=HASH.upper()), "BAD_REQUEST"),
        ({"persistedQuery": {"version": 1}}, "BAD_REQUEST"),
    ],
)
async def test_a_malformed_extension_gets_its_code(
    cache: CacheUnderTest, extensions: dict[str, object], code: str
) -> None:
    assert await refusal(PersistedQueries(cache.backend), None, extensions) == code


async def test_safelist_mode_runs_only_registered_operations(cache: CacheUnderTest) -> None:
    registrar = PersistedQueries(cache.backend)
    [digest] = await registrar.register([QUERY])
    store = PersistedQueries(cache.backend, safelist=True)

    assert digest == HASH
    assert await store.resolve(QUERY, {}) == QUERY
    assert await store.resolve(None, apq()) == QUERY
    assert await refusal(store, "{ __typename }", {}) == "QUERY_NOT_IN_SAFELIST"
    other = "{ me }"
    assert await refusal(store, other, apq(sha256_of(other))) == "QUERY_NOT_IN_SAFELIST"
    assert await refusal(store, None, apq(sha256_of(other))) == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_safelist_mode_does_not_let_apq_register_new_operations(
    cache: CacheUnderTest,
) -> None:
    store = PersistedQueries(cache.backend, safelist=True)
    other = "{ me }"

    await refusal(store, other, apq(sha256_of(other)))

    assert await refusal(PersistedQueries(cache.backend), None, apq(sha256_of(other))) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


async def test_a_manifest_registers_operations_without_a_backend_entry(
    cache: CacheUnderTest,
) -> None:
    store = PersistedQueries(cache.backend, safelist=True, manifest={HASH: QUERY})

    assert await store.resolve(None, apq()) == QUERY
    assert await store.resolve(QUERY, {}) == QUERY


async def test_apq_can_be_turned_off(cache: CacheUnderTest) -> None:
    store = PersistedQueries(cache.backend, apq=False)

    assert await store.resolve(QUERY, apq()) == QUERY
    await store.register_apq(QUERY, apq())
    assert await refusal(store, None, apq()) == "PERSISTED_QUERY_NOT_SUPPORTED"
