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
  back, every tag it makes stale is invalidated (``tags.Tagger.stale_after_mutation``), so
  no later query through any replica sharing the backend sees the old value. An
  invalidation also leaves a marker, so a fetch that started before it cannot store what
  it read afterwards.
- An invalidation that cannot reach the backend (an outage) is not lost: this replica
  stops reading the cache and keeps trying to drop every cached answer (``PREFIX``);
  the backend's first successful command does it, so no replica can serve what the
  invalidation should have removed for longer than one retry. Plans and persisted
  queries live under other prefixes and stay.
- Stampedes: concurrent misses of one key in this process make one subgraph call (the
  others wait for it), and an entry close to expiry is refreshed early by one caller with
  a probability that grows as expiry nears (probabilistic early expiration, Vattani et
  al., "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from router.auth.identity import SCOPES_HEADER, USER_ID_HEADER
from router.cache.backend import CacheBackend
from router.cache.entity_metrics import EntityCacheMetrics
from router.cache.fetches import FetchShape, fetch_shape
from router.cache.policy import CacheControl, CachePolicy, Storage, parse_cache_control
from router.cache.report import current_report
from router.cache.response_policy import note_fetch_policy
from router.cache.tags import Tagger, embeds_tag, root_tag
from router.supergraph.model import Supergraph
from router.transport.base import SubgraphRequest, SubgraphResponse, SubgraphTransport

# The identity the router verified and sets itself (router/auth/identity.py); the raw
# Authorization header never reaches a subgraph, so it cannot key anything here.
IDENTITY_HEADERS = (USER_ID_HEADER, SCOPES_HEADER)
PREFIX = "ec:"
FLUSH_RETRY = 0.25
MARKER_TTL = 300.0
EARLY_REFRESH_BETA = 1.0
_FETCHING = object()
NOT_STORED = CacheControl(no_store=True)


@dataclass(frozen=True)
class _Found:
    """A cached value, with what its entry allows the client's answer."""

    value: Any
    control: CacheControl


def _control(storage: Storage | None) -> CacheControl:
    """The effective policy of an answer stored (or not) as ``storage`` says."""
    if storage is None:
        return NOT_STORED
    shared = not storage.per_identity
    return CacheControl(max_age=storage.ttl, private=not shared, public=shared)


def _strictest(controls: Sequence[CacheControl]) -> CacheControl:
    """One policy for an answer put together from several parts."""
    if not controls or any(c.no_store or c.max_age is None for c in controls):
        return NOT_STORED
    private = any(c.private or not c.public for c in controls)
    max_age = min(c.max_age for c in controls if c.max_age is not None)
    return CacheControl(max_age=max_age, private=private, public=not private)


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
        self.rand = rand
        self._flights: dict[str, asyncio.Future[Any]] = {}
        self._unflushed = False
        self._flusher: asyncio.Task[None] | None = None

    def _absorbed(self) -> int:
        """Backend operations that did not reach it (only a fail-open backend counts them)."""
        return int(getattr(self.backend, "absorbed", 0))

    async def _flush_if_needed(self) -> bool:
        """After a lost invalidation, drop every cached answer; False while that fails."""
        if not self._unflushed:
            return True
        before = self._absorbed()
        await self.backend.clear(PREFIX)
        if self._absorbed() == before:
            self._unflushed = False
        return not self._unflushed

    async def aclose(self) -> None:
        """Close the wrapped transport (the backend belongs to whoever made it)."""
        if self._flusher is not None:
            self._flusher.cancel()
        await self.inner.aclose()

    async def _flush_when_back(self) -> None:
        """Retry the flush until the backend answers (one probe per back-off)."""
        while True:
            if await self._flush_if_needed():
                return
            await asyncio.sleep(FLUSH_RETRY)

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
        if not self.policy.enabled or not await self._flush_if_needed():
            response = await self.inner.send(subgraph, request)
            storage = self._storage(shape, response, identity_of(request.headers))
            note_fetch_policy(_control(storage))
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
        """Delete every entry under these tags, and mark them for fetches in flight."""
        if not tags:
            return 0
        now = orjson.dumps(self.clock())
        before = self._absorbed()
        await self.backend.set_many({_marker(t): now for t in tags}, ttl=MARKER_TTL)
        removed = await self.backend.invalidate_indexes([_index(t) for t in tags])
        if self._absorbed() != before:
            self._unflushed = True
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush_when_back())
        for tag in tags:
            self.metrics.invalidations.labels(tag.split(":", 2)[1]).inc()
        report = current_report()
        if report is not None:
            report.invalidated.extend(tags)
        return removed

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
        found = await self._lookup(keys, identity)
        results: list[Any] = [_FETCHING] * len(representations)
        controls: list[CacheControl] = []
        mine: list[int] = []
        waiting: list[tuple[int, asyncio.Future[Any]]] = []
        for index, (key, hit) in enumerate(zip(keys, found, strict=True)):
            if hit is not None:
                results[index] = hit.value
                controls.append(hit.control)
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
                subgraph, request, shape, representations, keys, mine, identity
            )
            errors, extensions, headers = response.errors, response.extensions, response.headers
            controls.append(_control(storage))
            fetched = (response.data or {}).get("_entities")
            if response.data is None or not isinstance(fetched, list):
                note_fetch_policy(NOT_STORED)
                return _remap(response, mine)
            for position, index in enumerate(mine):
                results[index] = fetched[position] if position < len(fetched) else None
            errors = [_moved(e, mine) for e in errors]
        retry: list[int] = []
        for index, flight in waiting:
            shared = await asyncio.shield(flight)
            if isinstance(shared, _Found):
                results[index] = shared.value
                controls.append(shared.control)
            else:
                retry.append(index)
        if retry:
            # The calls they waited for gave no cacheable answer for these: ask for them.
            again = await self.inner.send(
                subgraph, _with(request, [representations[i] for i in retry])
            )
            controls.append(_control(self._storage(shape, again, identity)))
            fetched = (again.data or {}).get("_entities")
            fetched = fetched if isinstance(fetched, list) else []
            for position, index in enumerate(retry):
                results[index] = fetched[position] if position < len(fetched) else None
            errors = [*errors, *(_moved(e, retry) for e in again.errors)]
        note_fetch_policy(_strictest(controls))
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
    ) -> tuple[SubgraphResponse, Storage | None]:
        loop = asyncio.get_running_loop()
        flights = {_flight(keys[i], identity): loop.create_future() for i in mine}
        self._flights.update(flights)
        started = self.clock()
        try:
            response = await self.inner.send(
                subgraph, _with(request, [representations[i] for i in mine])
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
                response, shape, representations, keys, mine, identity, storage, started
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
    ) -> dict[str, Any]:
        """Store the good answers; returns them by key (for waiting callers)."""
        fetched = (response.data or {}).get("_entities")
        if storage is None or not isinstance(fetched, list) or len(fetched) != len(mine):
            return {}
        failed = _failed_indexes(response.errors)
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
        await self._store(good, tags, storage.ttl, started, owner, ",".join(shape.types))
        return good

    # -- root fields ------------------------------------------------------------------------

    async def _root(
        self, subgraph: str, request: SubgraphRequest, shape: FetchShape
    ) -> SubgraphResponse:
        scope = _digest([shape.digest, request.variables, request.operation_name])
        key = f"{PREFIX}r:{subgraph}:{scope}"
        identity = identity_of(request.headers)
        [hit] = await self._lookup([key], identity)
        report = current_report()
        if hit is not None:
            self._count(shape, hits=1, misses=0)
            if report is not None:
                report.fetch(subgraph, "root", list(shape.types), 1, 0)
            note_fetch_policy(hit.control)
            return SubgraphResponse(data=hit.value)
        flight_key = _flight(key, identity)
        flight = self._flights.get(flight_key)
        if flight is not None:
            shared = await asyncio.shield(flight)
            if isinstance(shared, _Found):
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
            note_fetch_policy(_control(storage))
            if storage is not None:
                value = orjson.loads(orjson.dumps(response.data))
                shared_value = _Found(value, _control(storage))
                tags = {key: [*map(embeds_tag, self._embedded(shape)), root_tag(subgraph)]}
                owner = identity if storage.per_identity else None
                await self._store({key: value}, tags, storage.ttl, started, owner, "Query")
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

    async def _lookup(self, keys: Sequence[str], identity: str | None) -> list[_Found | None]:
        """The cached value per key: the shared entry first, then the caller's own one."""
        names = list(keys)
        if identity is not None:
            names += [f"{k}:{identity}" for k in keys]
        raw = await self.backend.get_many(names)
        out: list[_Found | None] = []
        now = self.clock()
        for index in range(len(keys)):
            found = self._fresh(raw[index], now, private=False)
            if found is None and identity is not None:
                found = self._fresh(raw[len(keys) + index], now, private=True)
            out.append(found)
        return out

    def _fresh(self, blob: bytes | None, now: float, *, private: bool) -> _Found | None:
        """The stored value, or None when missing or chosen for early refresh."""
        if blob is None:
            return None
        stored_at, ttl, cost, value = orjson.loads(blob)
        expiry = stored_at + ttl
        # XFetch: refresh early with a probability that rises as expiry approaches.
        if now - cost * EARLY_REFRESH_BETA * math.log(max(self.rand(), 1e-12)) >= expiry:
            return None
        left = expiry - now
        return _Found(value, CacheControl(max_age=left, private=private, public=not private))

    async def _store(
        self,
        values: Mapping[str, Any],
        tags: Mapping[str, list[str]],
        ttl: float,
        started: float,
        identity: str | None,
        label: str,
    ) -> None:
        if not values:
            return
        every_tag = sorted({t for entry_tags in tags.values() for t in entry_tags})
        markers = await self.backend.get_many([_marker(t) for t in every_tag])
        stale = {
            tag
            for tag, marker in zip(every_tag, markers, strict=True)
            if marker is not None and orjson.loads(marker) >= started
        }
        now = self.clock()
        cost = max(now - started, 0.0)
        suffix = f":{identity}" if identity else ""
        items: dict[str, bytes] = {}
        memberships: dict[str, list[str]] = {}
        for key, value in values.items():
            if stale.intersection(tags[key]):
                continue  # invalidated while it was being fetched
            items[key + suffix] = orjson.dumps([now, ttl, cost, value])
            for tag in tags[key]:
                memberships.setdefault(_index(tag), []).append(key + suffix)
        if not items:
            return
        await self.backend.set_many(items, ttl=ttl)
        await self.backend.add_to_indexes(memberships, ttl=ttl)
        # An invalidation between the check above and the indexing would miss these
        # entries: look at the markers again and take back what it should have removed.
        markers = await self.backend.get_many([_marker(t) for t in every_tag])
        late = {
            tag
            for tag, marker in zip(every_tag, markers, strict=True)
            if marker is not None and orjson.loads(marker) >= started and tag not in stale
        }
        if late:
            await self.backend.delete_many(
                [key + suffix for key in values if late.intersection(tags[key])]
            )
        self.metrics.stores.labels(label).inc(len(items))

    def _count(self, shape: FetchShape, *, hits: int, misses: int) -> None:
        label = ",".join(shape.types) or "Query"
        if hits:
            self.metrics.hits.labels(label).inc(hits)
        if misses:
            self.metrics.misses.labels(label).inc(misses)


def _index(tag: str) -> str:
    return f"{PREFIX}{tag}"


def _marker(tag: str) -> str:
    return f"{PREFIX}m:{tag}"


def _with(request: SubgraphRequest, representations: list[Any]) -> SubgraphRequest:
    variables = dict(request.variables)
    variables["representations"] = representations
    return SubgraphRequest(request.query, variables, request.operation_name, request.headers)


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
                else _Found(orjson.loads(orjson.dumps(value)), _control(storage))
            )


def _failed_indexes(errors: list[dict[str, Any]]) -> set[int] | None:
    """Positions of ``_entities`` that came with errors; None if an error has no position."""
    failed: set[int] = set()
    for error in errors:
        path = error.get("path")
        if not isinstance(path, list) or len(path) < 2 or not isinstance(path[1], int):
            return None
        failed.add(path[1])
    return failed


def _moved(error: dict[str, Any], indexes: Sequence[int]) -> dict[str, Any]:
    """The error with its ``_entities`` position mapped back to the original index."""
    path = error.get("path")
    if isinstance(path, list) and len(path) >= 2 and path[0] == "_entities":
        position = path[1]
        if isinstance(position, int) and 0 <= position < len(indexes):
            return {**error, "path": ["_entities", indexes[position], *path[2:]]}
    return error


def _remap(response: SubgraphResponse, indexes: Sequence[int]) -> SubgraphResponse:
    return SubgraphResponse(
        data=response.data,
        errors=[_moved(e, indexes) for e in response.errors],
        extensions=response.extensions,
        status=response.status,
        headers=response.headers,
    )
