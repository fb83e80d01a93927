"""What every CacheBackend does, checked on the in-process cache and on the real Redis."""

from __future__ import annotations

import math

import pytest

from tests.router.cache.conftest import CacheUnderTest

# Entries as the entity cache will key them: subgraph, type, key fields, selection hash.
USER_1_NAME = "entity:users:User:{id:1}:name"
USER_1_EMAIL = "entity:users:User:{id:1}:email"
USER_2_NAME = "entity:users:User:{id:2}:name"
TASK_7_TITLE = "entity:tasks:Task:{id:7}:title"
ALL = [USER_1_NAME, USER_1_EMAIL, USER_2_NAME, TASK_7_TITLE]


async def store_entities(cache: CacheUnderTest, ttl: float = 60) -> None:
    """Four entries indexed by their entity and by their type, as the entity cache will."""
    await cache.backend.set_many({key: key.encode() for key in ALL}, ttl=ttl)
    await cache.backend.add_to_indexes(
        {
            "User:{id:1}": [USER_1_NAME, USER_1_EMAIL],
            "User:{id:2}": [USER_2_NAME],
            "Task:{id:7}": [TASK_7_TITLE],
            "User": [USER_1_NAME, USER_1_EMAIL, USER_2_NAME],
            "Task": [TASK_7_TITLE],
        },
        ttl=ttl,
    )


async def present(cache: CacheUnderTest) -> list[str]:
    values = await cache.backend.get_many(ALL)
    return [key for key, value in zip(ALL, values, strict=True) if value is not None]


async def test_a_key_never_set_is_a_miss(cache: CacheUnderTest) -> None:
    assert await cache.backend.get_many(["nothing", "here"]) == [None, None]
    assert await cache.backend.get_many([]) == []


async def test_values_come_back_in_the_order_asked_with_misses_in_place(
    cache: CacheUnderTest,
) -> None:
    await cache.backend.set_many({"a": b"1", "b": b"2"}, ttl=60)

    assert await cache.backend.get_many(["b", "missing", "a", "b"]) == [b"2", None, b"1", b"2"]


async def test_setting_again_replaces_the_value(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"old"}, ttl=60)
    await cache.backend.set_many({"a": b"new"}, ttl=60)

    assert await cache.backend.get_many(["a"]) == [b"new"]


async def test_values_are_bytes_kept_exactly(cache: CacheUnderTest) -> None:
    every_byte = bytes(range(256))
    values = {"every byte": every_byte, "empty": b"", "nul": b"\x00", "ünï cødé key": "é".encode()}
    await cache.backend.set_many(values, ttl=60)

    assert await cache.backend.get_many(list(values)) == list(values.values())


async def test_an_entry_expires_after_its_ttl(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"short": b"s"}, ttl=0.2)
    await cache.backend.set_many({"long": b"l"}, ttl=60)

    await cache.advance(0.05)
    assert await cache.backend.get_many(["short", "long"]) == [b"s", b"l"]
    await cache.advance(0.25)
    assert await cache.backend.get_many(["short", "long"]) == [None, b"l"]


async def test_setting_again_restarts_the_ttl(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"1"}, ttl=0.3)
    await cache.advance(0.2)
    await cache.backend.set_many({"a": b"2"}, ttl=0.3)
    await cache.advance(0.2)

    assert await cache.backend.get_many(["a"]) == [b"2"]


async def test_deleted_entries_are_misses(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"1", "b": b"2"}, ttl=60)
    await cache.backend.delete_many(["a", "never there"])
    await cache.backend.delete_many([])

    assert await cache.backend.get_many(["a", "b"]) == [None, b"2"]


async def test_invalidating_an_entity_deletes_its_entries_only(cache: CacheUnderTest) -> None:
    await store_entities(cache)

    assert await cache.backend.invalidate_indexes(["User:{id:1}"]) == 2

    assert await present(cache) == [USER_2_NAME, TASK_7_TITLE]
    assert await cache.backend.invalidate_indexes(["User:{id:1}"]) == 0


async def test_invalidating_a_type_deletes_every_entry_of_that_type(cache: CacheUnderTest) -> None:
    await store_entities(cache)

    assert await cache.backend.invalidate_indexes(["User"]) == 3

    assert await present(cache) == [TASK_7_TITLE]


async def test_an_entry_in_several_invalidated_indexes_counts_once(cache: CacheUnderTest) -> None:
    await store_entities(cache)

    assert await cache.backend.invalidate_indexes(["User:{id:1}", "User", "nothing"]) == 3
    assert await cache.backend.invalidate_indexes([]) == 0

    assert await present(cache) == [TASK_7_TITLE]


async def test_an_entry_set_again_after_indexing_is_still_invalidated(
    cache: CacheUnderTest,
) -> None:
    await store_entities(cache)
    await cache.backend.set_many({USER_2_NAME: b"fresher"}, ttl=60)

    assert await cache.backend.invalidate_indexes(["User:{id:2}"]) == 1

    assert await cache.backend.get_many([USER_2_NAME]) == [None]


async def test_expired_entries_do_not_count_as_invalidated(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"short": b"s"}, ttl=0.2)
    await cache.backend.set_many({"long": b"l"}, ttl=60)
    await cache.backend.add_to_indexes({"both": ["short", "long"]}, ttl=60)
    await cache.advance(0.3)

    assert await cache.backend.invalidate_indexes(["both"]) == 1


async def test_an_index_keeps_the_longest_ttl_it_was_given(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"1", "b": b"2"}, ttl=60)
    await cache.backend.add_to_indexes({"index": ["a"]}, ttl=0.6)
    await cache.backend.add_to_indexes({"index": ["b"]}, ttl=0.2)
    await cache.advance(0.35)

    assert await cache.backend.invalidate_indexes(["index"]) == 2


async def test_an_expired_index_invalidates_nothing(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"1"}, ttl=60)
    await cache.backend.add_to_indexes({"index": ["a"]}, ttl=0.2)
    await cache.advance(0.3)

    assert await cache.backend.invalidate_indexes(["index"]) == 0
    assert await cache.backend.get_many(["a"]) == [b"1"]


async def test_an_expired_index_starts_afresh_when_added_to(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a": b"1", "b": b"2"}, ttl=60)
    await cache.backend.add_to_indexes({"index": ["a"]}, ttl=0.2)
    await cache.advance(0.3)
    await cache.backend.add_to_indexes({"index": ["b"]}, ttl=60)

    assert await cache.backend.invalidate_indexes(["index"]) == 1
    assert await cache.backend.get_many(["a", "b"]) == [b"1", None]


async def test_clear_with_a_prefix_deletes_its_entries_and_indexes(cache: CacheUnderTest) -> None:
    await store_entities(cache)
    await cache.backend.set_many({"plan:abc": b"plan"}, ttl=60)
    await cache.backend.add_to_indexes({"entity:users:index": [USER_2_NAME]}, ttl=60)

    await cache.backend.clear("entity:users:")

    assert await present(cache) == [TASK_7_TITLE]
    assert await cache.backend.get_many(["plan:abc"]) == [b"plan"]
    # The index under the prefix went too: an entry stored again is not invalidated by it.
    await cache.backend.set_many({USER_2_NAME: b"again"}, ttl=60)
    assert await cache.backend.invalidate_indexes(["entity:users:index"]) == 0


async def test_clear_takes_the_prefix_literally(cache: CacheUnderTest) -> None:
    await cache.backend.set_many({"a*b": b"1", "a*c": b"2", "aXb": b"3", "a?": b"4"}, ttl=60)

    await cache.backend.clear("a*")

    assert await cache.backend.get_many(["a*b", "a*c", "aXb", "a?"]) == [None, None, b"3", b"4"]


async def test_clear_without_a_prefix_deletes_everything(cache: CacheUnderTest) -> None:
    await store_entities(cache)
    await cache.backend.set_many({"plan:abc": b"plan"}, ttl=60)

    await cache.backend.clear()

    assert await present(cache) == []
    assert await cache.backend.get_many(["plan:abc"]) == [None]
    assert await cache.backend.invalidate_indexes(["User", "Task"]) == 0


@pytest.mark.parametrize("ttl", [0, -1, math.nan, math.inf])
async def test_a_ttl_that_is_not_a_positive_finite_number_is_refused(
    cache: CacheUnderTest, ttl: float
) -> None:
    with pytest.raises(ValueError, match="positive, finite number of seconds"):
        await cache.backend.set_many({"a": b"1"}, ttl=ttl)
    with pytest.raises(ValueError, match="positive, finite number of seconds"):
        await cache.backend.add_to_indexes({"index": ["a"]}, ttl=ttl)

    assert await cache.backend.get_many(["a"]) == [None]
