"""Prometheus metrics of the entity and root-field cache, labelled by type.

Entity fetches are labelled by the types they ask for (``User``, or ``Book,Pen`` for a
fetch of several), root-field fetches by ``Query``; invalidations by the kind of tag
(entity, type, root). Like CacheMetrics, each instance has its own registry unless one is
passed in.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class EntityCacheMetrics:
    """Hits, misses, stores and invalidations of cached subgraph answers."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.hits = Counter(
            "fedtasks_entity_cache_hits",
            "Entities and root fields served from the cache.",
            ["type"],
            registry=self.registry,
        )
        self.misses = Counter(
            "fedtasks_entity_cache_misses",
            "Entities and root fields fetched from a subgraph on a cache miss.",
            ["type"],
            registry=self.registry,
        )
        self.stores = Counter(
            "fedtasks_entity_cache_stores",
            "Entities and root fields written to the cache.",
            ["type"],
            registry=self.registry,
        )
        self.invalidations = Counter(
            "fedtasks_entity_cache_invalidations",
            "Cache tags invalidated, by kind of tag (entity, type, root).",
            ["kind"],
            registry=self.registry,
        )
