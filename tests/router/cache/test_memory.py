"""The in-process cache's size bound: least recently used entries and indexes go first."""

from __future__ import annotations

import pytest

from router.cache import MemoryBackend
from tests.router.cache.conftest import FakeClock


async def test_the_least_recently_set_entry_is_evicted_past_the_bound() -> None:
    memory = MemoryBackend(max_entries=3)
    await memory.set_many({"a": b"1", "b": b"2", "c": b"3"}, ttl=60)
    await memory.set_many({"d": b"4"}, ttl=60)

    assert await memory.get_many(["a", "b", "c", "d"]) == [None, b"2", b"3", b"4"]


async def test_a_hit_makes_an_entry_the_most_recently_used() -> None:
    memory = MemoryBackend(max_entries=3)
    await memory.set_many({"a": b"1", "b": b"2", "c": b"3"}, ttl=60)
    await memory.get_many(["a"])
    await memory.set_many({"d": b"4"}, ttl=60)

    assert await memory.get_many(["a", "b", "c", "d"]) == [b"1", None, b"3", b"4"]


async def test_setting_an_entry_again_makes_it_the_most_recently_used() -> None:
    memory = MemoryBackend(max_entries=2)
    await memory.set_many({"a": b"1", "b": b"2"}, ttl=60)
    await memory.set_many({"a": b"1 again"}, ttl=60)
    await memory.set_many({"c": b"3"}, ttl=60)

    assert await memory.get_many(["a", "b", "c"]) == [b"1 again", None, b"3"]


async def test_one_batch_larger_than_the_bound_keeps_its_last_entries() -> None:
    memory = MemoryBackend(max_entries=2)
    await memory.set_many({"a": b"1", "b": b"2", "c": b"3"}, ttl=60)

    assert await memory.get_many(["a", "b", "c"]) == [None, b"2", b"3"]


async def test_an_evicted_index_takes_its_entries_with_it() -> None:
    # An index the cache forgot could not invalidate its entries any more: drop them.
    memory = MemoryBackend(max_entries=2)
    await memory.set_many({"u1": b"1", "u2": b"2"}, ttl=60)
    await memory.add_to_indexes({"User:1": ["u1"], "User:2": ["u2"]}, ttl=60)
    await memory.add_to_indexes({"User:3": []}, ttl=60)

    assert await memory.get_many(["u1", "u2"]) == [None, b"2"]
    assert await memory.invalidate_indexes(["User:2"]) == 1


async def test_expiry_follows_the_injected_clock() -> None:
    clock = FakeClock()
    memory = MemoryBackend(clock=clock)
    await memory.set_many({"a": b"1"}, ttl=10)

    clock.advance(9.999)
    assert await memory.get_many(["a"]) == [b"1"]
    clock.advance(0.001)
    assert await memory.get_many(["a"]) == [None]


def test_the_bound_must_hold_at_least_one_entry() -> None:
    with pytest.raises(ValueError, match="max_entries must be at least 1, got 0"):
        MemoryBackend(max_entries=0)
