"""Query plans shared through the backend (in-process and the real Redis)."""

from __future__ import annotations

from router.cache.plans import SharedPlans, plan_key
from router.planner.plan import Fetch, QueryPlan
from tests.router.cache.conftest import CacheUnderTest

PLAN = QueryPlan(Fetch("users", "{users{name}}", "query"))


async def test_a_stored_plan_is_read_back_equal(cache: CacheUnderTest) -> None:
    key = plan_key("sg1", "q1", None, frozenset())
    await SharedPlans(cache.backend).put(key, PLAN)

    assert await SharedPlans(cache.backend).get(key) == PLAN


async def test_another_supergraph_labels_or_name_never_share_a_plan(
    cache: CacheUnderTest,
) -> None:
    plans = SharedPlans(cache.backend)
    await plans.put(plan_key("sg1", "q1", None, frozenset()), PLAN)

    assert await plans.get(plan_key("sg2", "q1", None, frozenset())) is None
    assert await plans.get(plan_key("sg1", "q1", "Named", frozenset())) is None
    assert await plans.get(plan_key("sg1", "q1", None, frozenset({"beta"}))) is None
    assert (plans.hits, plans.misses) == (0, 3)


async def test_an_entry_that_is_not_a_plan_is_ignored(cache: CacheUnderTest) -> None:
    key = plan_key("sg1", "q1", None, frozenset())
    await cache.backend.set_many({key: b'{"kind": "Other"}'}, ttl=60)

    assert await SharedPlans(cache.backend).get(key) is None
