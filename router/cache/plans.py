"""Query plans shared through the cache backend, so a new replica starts warm.

Entries are keyed by the supergraph's hash, the operation's hash, its name and the
override labels of the request: a supergraph change can never serve a plan made for
another one. An entry that does not read back as a plan is ignored and planned again.
"""

from __future__ import annotations

import hashlib

import orjson

from router.cache.backend import CacheBackend
from router.planner.plan import QueryPlan
from router.planner.plan_json import PlanFormatError, read_plan

PLAN_TTL = 24 * 3600.0


def plan_key(
    supergraph_hash: str, query_hash: str, operation_name: str | None, labels: frozenset[str]
) -> str:
    """The backend key of one plan."""
    scope = orjson.dumps([query_hash, operation_name, sorted(labels)])
    return f"plan:{supergraph_hash}:{hashlib.sha256(scope).hexdigest()[:40]}"


class SharedPlans:
    """Reads and writes plans in the backend."""

    def __init__(self, backend: CacheBackend, *, ttl: float = PLAN_TTL) -> None:
        self.backend = backend
        self.ttl = ttl
        self.hits = 0
        self.misses = 0

    async def get(self, key: str) -> QueryPlan | None:
        """The stored plan, or None."""
        [blob] = await self.backend.get_many([key])
        if blob is not None:
            try:
                plan = read_plan(orjson.loads(blob))
            except (orjson.JSONDecodeError, PlanFormatError):
                plan = None
            if plan is not None:
                self.hits += 1
                return plan
        self.misses += 1
        return None

    async def put(self, key: str, plan: QueryPlan) -> None:
        """Store a plan for every replica."""
        await self.backend.set_many({key: orjson.dumps(plan.to_json())}, ttl=self.ttl)
