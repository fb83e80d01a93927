"""The entity and root-field cache, as a transport between the executor and the subgraphs.

- Safe by default (``router.cache.policy``): an answer is stored in an entry shared
  between callers only when the subgraph's ``Cache-Control`` or the router's
  configuration says it is public; data of a signed-in caller that is not declared public
  is stored only under that caller's verified identity (user id and scopes, as the
  router's authentication set them), and what nothing allows is not stored. Callers meet
  only in shared entries, and concurrent misses are shared only between callers of one
  identity.
- Entity fetches (``_entities``): each representation is looked up under (subgraph,
  operation, its other variables, the representation); only the misses are sent, and the
  answer is put back together in the original order with error paths moved to the
  original indexes. Good answers are stored with the policy's TTL, tagged with their
  entity and type.
- Root queries are cached whole by (subgraph, operation, variables), tagged with the
  subgraph.
- Every fetch's effective policy (what was stored, or what a hit has left of its TTL)
  goes to the request's ``ResponsePolicy``, from which the pipeline writes the client's
  ``Cache-Control`` (``router.cache.response_policy``).
- Mutations are never cached. Once a mutation's answer arrives, and before it is handed
  back, every tag it makes stale is invalidated (``tags.Tagger.stale_after_mutation``) and
  the invalidation confirmed by the backend, within a bounded wait
  (``router.cache.invalidation``): no later query through any replica sharing the backend
  sees the old value. An invalidation also leaves a marker, so a fetch that started before
  it can neither store what it read nor hand it to callers waiting on it.
- Every entry carries the cache epoch it was fetched under and is served only in that
  epoch (read in the lookup's own round trip); after an invalidation that could not be
  confirmed, this replica stops reading the cache until it has moved the epoch, which
  retires every entry on every replica at once.
- Stampedes: concurrent misses of one key in this process make one subgraph call (the
  others wait for it), and an entry close to expiry is refreshed early by one caller with
  a probability that grows as expiry nears (probabilistic early expiration, Vattani et
  al., "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015).
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from router.auth.identity import SCOPES_HEADER, USER_ID_HEADER
from router.cache.backend import CacheBackend
from router.cache.entity_batches import failed_indexes, moved, remapped, with_representations
from router.cache.entity_metrics import EntityCacheMetrics
from router.cache.entries import MISS, Entries, Found
from router.cache.fetches import FetchShape, fetch_shape
from router.cache.invalidation import PREFIX, Invalidator
from router.cache.policy import CacheControl, CachePolicy, Storage, parse_cache_control
from router.cache.report import current_report
from router.cache.response_policy import NOT_STORED, effective, note_fetch_policy, strictest
from router.cache.tags import Tagger, embeds_tag, root_tag
from router.supergraph.model import Supergraph
from router.transport.base import SubgraphRequest, SubgraphResponse, SubgraphTransport

# The identity the router verified and sets itself (router/auth/identity.py); the raw
# Authorization header never reaches a subgraph, so it cannot key anything here.
IDENTITY_HEADERS = (USER_ID_HEADER, SCOPES_HEADER)
__all__ = ["PREFIX", "CachingTransport", "identity_of"]
_FETCHING = object()


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def identity_of(headers: Mapping[str, str]) -> str | None:
    """A digest of the caller's identity (user and scopes), from the subgraph call's headers."""
    if not headers.get(USER_ID_HEADER):
        return None
    identity = "\n".join(f"{name}:{headers.get(name, '')}" for name in IDENTITY_HEADERS)
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


class CachingTransport:
    """Wraps a transport with the entity and root-field cache."""

    def __init__(
        self,
        inner: SubgraphTransport,
        backend: CacheBackend,
        supergraph: Supergraph,
        *,
        policy: CachePolicy | None = None,
        metrics: EntityCacheMetrics | None = None,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        direct: CacheBackend | None = None,
        invalidation_wait: float | None = None,
    ) -> None:
        self.inner = inner
        self.backend = backend
        self.policy = policy or CachePolicy()
        self.supergraph = supergraph
        self.tagger = Tagger(supergraph)
        self._embeds: dict[str, list[str]] = {}
        self._nested: dict[str, list[tuple[str, str]]] = {}
        self.metrics = metrics or EntityCacheMetrics()
        self.clock = clock
        self.entries = Entries(backend, self.metrics, clock=clock, rand=rand)
        self._flights: dict[str, asyncio.Future[Any]] = {}
        # ``direct``: the backend under its fail-open wrapper, to confirm invalidations.
        wait = {} if invalidation_wait is None else {"wait": invalidation_wait}
        self.invalidator = Invalidator(backend, direct=direct, clock=clock, **wait)

    async def aclose(self) -> None:
        """Close the wrapped transport (the backend belongs to whoever made it)."""
        await self.invalidator.aclose()
        await self.inner.aclose()

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Answer from the cache where it can, from the subgraph for the rest."""
        shape = fetch_shape(request.query)
        if shape.kind == "mutation":
            note_fetch_policy(NOT_STORED)
            response = await self.inner.send(subgraph, request)
            await self._invalidate(subgraph, response)
            return response
        if shape.kind == "other":
            note_fetch_policy(NOT_STORED)
            return await self.inner.send(subgraph, request)
        if not self.policy.enabled or not await self.invalidator.ready():
            response = await self.inner.send(subgraph, request)
            storage = self._storage(shape, response, identity_of(request.headers))
            note_fetch_policy(effective(storage))
            return response
        if shape.kind == "entities":
            representations = request.variables.get("representations")
            if isinstance(representations, list) and representations:
                return await self._entities(subgraph, request, shape, representations)
            note_fetch_policy(NOT_STORED)
            return await self.inner.send(subgraph, request)
        return await self._root(subgraph, request, shape)

    # -- invalidation -----------------------------------------------------------------------

    async def _invalidate(self, subgraph: str, response: SubgraphResponse) -> None:
        tags = self.tagger.stale_after_mutation(subgraph, response.data, response.extensions)
        await self.invalidate(tags)

    async def invalidate(self, tags: Sequence[str]) -> int:
        """Drop every entry under these tags, confirmed (``router.cache.invalidation``)."""
        if not tags:
            return 0
        removed = await self.invalidator.invalidate(tags)
        for tag in tags:
            self.metrics.invalidations.labels(tag.split(":", 2)[1]).inc()
        report = current_report()
        if report is not None:
            report.invalidated.extend(tags)
        return removed or 0

    # -- entities ---------------------------------------------------------------------------

    async def _entities(
        self,
        subgraph: str,
        request: SubgraphRequest,
        shape: FetchShape,
        representations: list[Any],
    ) -> SubgraphResponse:
        others = {k: v for k, v in request.variables.items() if k != "representations"}
        scope = _digest([shape.digest, others])
        identity = identity_of(request.headers)
        keys = [f"{PREFIX}e:{subgraph}:{scope}:{_digest(r)}" for r in representations]
        lookup = await self.entries.lookup(keys, identity)
        results: list[Any] = [_FETCHING] * len(representations)
        controls: list[CacheControl] = []
        mine: list[int] = []
        waiting: list[tuple[int, asyncio.Future[Any]]] = []
        if lookup.control is not None:
            controls.append(lookup.control)
        for index, (key, value) in enumerate(zip(keys, lookup.values, strict=True)):
            if value is not MISS:
                results[index] = value
            elif (flight := self._flights.get(_flight(key, identity))) is not None:
                waiting.append((index, flight))
            else:
                mine.append(index)
        self._count(shape, hits=len(representations) - len(mine) - len(waiting), misses=len(mine))
        errors: list[dict[str, Any]] = []
        extensions: dict[str, Any] = {}
        headers: Mapping[str, str] = {}
        if mine:
            response, storage = await self._fetch_misses(
                subgraph, request, shape, representations, keys, mine, identity, lookup.epoch
            )
            errors, extensions, headers = response.errors, response.extensions, response.headers
            controls.append(effective(storage))
            fetched = (response.data or {}).get("_entities")
            if response.data is None or not isinstance(fetched, list):
                note_fetch_policy(NOT_STORED)
                return remapped(response, mine)
            for position, index in enumerate(mine):
                results[index] = fetched[position] if position < len(fetched) else None
            errors = [moved(e, mine) for e in errors]
        retry: list[int] = []
        for index, flight in waiting:
            shared = await asyncio.shield(flight)
            if isinstance(shared, Found):
                results[index] = shared.value
                controls.append(shared.control)
            else:
                retry.append(index)
        if retry:
            # The calls they waited for gave no cacheable answer for these: ask for them.
            again = await self.inner.send(
                subgraph, with_representations(request, [representations[i] for i in retry])
            )
            controls.append(effective(self._storage(shape, again, identity)))
            fetched = (again.data or {}).get("_entities")
            fetched = fetched if isinstance(fetched, list) else []
            for position, index in enumerate(retry):
                results[index] = fetched[position] if position < len(fetched) else None
            errors = [*errors, *(moved(e, retry) for e in again.errors)]
        note_fetch_policy(strictest(controls))
        report = current_report()
        if report is not None:
            hits = len(representations) - len(mine) - len(waiting)
            report.fetch(subgraph, "entities", list(shape.types), hits, len(mine) + len(waiting))
        return SubgraphResponse(
            data={"_entities": results}, errors=errors, extensions=extensions, headers=headers
        )

    async def _fetch_misses(
        self,
        subgraph: str,
        request: SubgraphRequest,
        shape: FetchShape,
        representations: list[Any],
        keys: list[str],
        mine: list[int],
        identity: str | None,
        epoch: str,
    ) -> tuple[SubgraphResponse, Storage | None]:
        loop = asyncio.get_running_loop()
        flights = {_flight(keys[i], identity): loop.create_future() for i in mine}
        self._flights.update(flights)
        started = self.clock()
        try:
            response = await self.inner.send(
                subgraph, with_representations(request, [representations[i] for i in mine])
            )
        except BaseException:
            _settle(flights, {}, None)
            for key in flights:
                self._flights.pop(key, None)
            raise
        stored: dict[str, Any] = {}
        storage = self._storage(shape, response, identity)
        try:
            stored = await self._store_entities(
                response, shape, representations, keys, mine, identity, storage, started, epoch
            )
        finally:
            _settle(flights, {_flight(k, identity): v for k, v in stored.items()}, storage)
            for key in flights:
                self._flights.pop(key, None)
        return response, storage

    async def _store_entities(
        self,
        response: SubgraphResponse,
        shape: FetchShape,
        representations: list[Any],
        keys: list[str],
        mine: list[int],
        identity: str | None,
        storage: Storage | None,
        started: float,
        epoch: str,
    ) -> dict[str, Any]:
        """Store the good answers; returns those kept, by key (for waiting callers)."""
        fetched = (response.data or {}).get("_entities")
        if storage is None or not isinstance(fetched, list) or len(fetched) != len(mine):
            return {}
        failed = failed_indexes(response.errors)
        if failed is None:
            return {}
        good: dict[str, Any] = {}
        tags: dict[str, list[str]] = {}
        for position, index in enumerate(mine):
            value = fetched[position]
            representation = representations[index]
            if position in failed or not isinstance(value, dict):
                continue
            if not isinstance(representation, dict):
                continue
            typename = representation.get("__typename")
            if not isinstance(typename, str):
                continue
            good[keys[index]] = value
            embedded = [embeds_tag(t) for t in self._embedded(shape)]
            tags[keys[index]] = [*embedded, *self.tagger.entity_tags(typename, representation)]
        owner = identity if storage.per_identity else None
        kept = await self.entries.store(
            good,
            tags,
            ttl=storage.ttl,
            started=started,
            owner=owner,
            epoch=epoch,
            label=",".join(shape.types),
        )
        return {key: good[key] for key in kept}

    # -- root fields ------------------------------------------------------------------------

    async def _root(
        self, subgraph: str, request: SubgraphRequest, shape: FetchShape
    ) -> SubgraphResponse:
        scope = _digest([shape.digest, request.variables, request.operation_name])
        key = f"{PREFIX}r:{subgraph}:{scope}"
        identity = identity_of(request.headers)
        lookup = await self.entries.lookup([key], identity)
        [cached] = lookup.values
        report = current_report()
        if cached is not MISS and lookup.control is not None:
            self._count(shape, hits=1, misses=0)
            if report is not None:
                report.fetch(subgraph, "root", list(shape.types), 1, 0)
            note_fetch_policy(lookup.control)
            return SubgraphResponse(data=cached)
        flight_key = _flight(key, identity)
        flight = self._flights.get(flight_key)
        if flight is not None:
            shared = await asyncio.shield(flight)
            if isinstance(shared, Found):
                note_fetch_policy(shared.control)
                return SubgraphResponse(data=orjson.loads(orjson.dumps(shared.value)))
        self._count(shape, hits=0, misses=1)
        if report is not None:
            report.fetch(subgraph, "root", list(shape.types), 0, 1)
        future = self._flights[flight_key] = asyncio.get_running_loop().create_future()
        shared_value: Any = _FETCHING
        try:
            started = self.clock()
            response = await self.inner.send(subgraph, request)
            storage = None
            if response.data is not None and not response.errors:
                storage = self._storage(shape, response, identity)
            note_fetch_policy(effective(storage))
            if storage is not None:
                value = orjson.loads(orjson.dumps(response.data))
                shared_value = Found(value, effective(storage))
                tags = {key: [*map(embeds_tag, self._embedded(shape)), root_tag(subgraph)]}
                owner = identity if storage.per_identity else None
                kept = await self.entries.store(
                    {key: value},
                    tags,
                    ttl=storage.ttl,
                    started=started,
                    owner=owner,
                    epoch=lookup.epoch,
                    label="Query",
                )
                if not kept:
                    shared_value = _FETCHING  # invalidated meanwhile: waiters ask again
            return response
        finally:
            future.set_result(shared_value)
            self._flights.pop(flight_key, None)

    # -- storage ----------------------------------------------------------------------------

    def _embedded(self, shape: FetchShape) -> list[str]:
        """Entity types nested in a fetch's answer (read once per operation)."""
        known = self._embeds.get(shape.digest)
        if known is None:
            known = self._embeds[shape.digest] = shape.embedded(self.supergraph)
        return known

    def _storage(
        self, shape: FetchShape, response: SubgraphResponse, identity: str | None
    ) -> Storage | None:
        """Where this answer may be kept (``CachePolicy.storage``), or None."""
        nested = self._nested.get(shape.digest)
        if nested is None:
            nested = self._nested[shape.digest] = shape.nested(self.supergraph)
        return self.policy.storage(
            parse_cache_control(response.headers.get("cache-control")),
            coordinates=shape.coordinates,
            nested=nested,
            identified=identity is not None,
        )

    def _count(self, shape: FetchShape, *, hits: int, misses: int) -> None:
        label = ",".join(shape.types) or "Query"
        if hits:
            self.metrics.hits.labels(label).inc(hits)
        if misses:
            self.metrics.misses.labels(label).inc(misses)


def _flight(key: str, identity: str | None) -> str:
    """The in-flight key of an entry for a caller: only callers of one identity share a miss."""
    return f"{key}|{identity or '-'}"


def _settle(
    flights: Mapping[str, asyncio.Future[Any]],
    stored: Mapping[str, Any],
    storage: Storage | None,
) -> None:
    """Hand each waiting caller its copy of what was stored, or _FETCHING (ask yourself)."""
    for key, future in flights.items():
        if not future.done():
            value = stored.get(key, _FETCHING)
            future.set_result(
                _FETCHING
                if value is _FETCHING
                else Found(orjson.loads(orjson.dumps(value)), effective(storage))
            )
