"""Persisted queries: Apollo's automatic persisted queries (APQ) and an optional safelist.

APQ (https://github.com/apollographql/apollo-link-persisted-queries#protocol): a client
sends ``extensions.persistedQuery = {"version": 1, "sha256Hash": h}``. Without a query,
the router runs the document stored under ``h``, or answers PERSISTED_QUERY_NOT_FOUND so
the client sends it again with the query; with a query, the query's SHA-256 must be ``h``
(else PERSISTED_QUERY_HASH_MISMATCH), and once the pipeline has prepared it (it parsed,
validated and passed every limit, the document size included) it is stored for every
replica sharing the backend (:meth:`PersistedQueries.register_apq`). Text that is not a
runnable operation is never stored. The store is bounded by a TTL of one day and, in
Redis, by ``maxmemory`` with an LRU eviction policy (docker-compose.yml, deploy/k8s); in
process by the memory backend's entry bound.

Safelist mode runs only registered operations: from the backend (``fedtasks persisted
register``) or from an Apollo persisted-query manifest file. A query that is not
registered gets QUERY_NOT_IN_SAFELIST, a hash that is not registered
PERSISTED_QUERY_NOT_IN_LIST, and APQ cannot register new documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from router.cache.backend import CacheBackend

APQ_TTL = 24 * 3600.0
SAFELIST_TTL = 10 * 365 * 24 * 3600.0
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_FORMAT = "apollo-persisted-query-manifest"


class PersistedQueryError(Exception):
    """A persisted-query request the router refuses, with its extensions.code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def sha256_of(query: str) -> str:
    """The hex SHA-256 of a document, as APQ clients compute it."""
    return hashlib.sha256(query.encode()).hexdigest()


def read_manifest(path: Path) -> dict[str, str]:
    """Operations of an Apollo persisted-query manifest, by id (raises ValueError)."""
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise ValueError(f"cannot read the persisted-query manifest {path}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"{path}: not an {MANIFEST_FORMAT} (version 1)")
    operations: dict[str, str] = {}
    for operation in manifest.get("operations", []):
        if not isinstance(operation, dict):
            raise ValueError(f"{path}: every operation must be an object")
        body, ident = operation.get("body"), operation.get("id")
        if not isinstance(body, str) or not isinstance(ident, str):
            raise ValueError(f"{path}: every operation needs a string id and body")
        operations[ident] = body
    return operations


def manifest_of(operations: Iterable[tuple[str | None, str, str]]) -> dict[str, Any]:
    """An Apollo manifest for (name, type, body) operations; ids are the bodies' SHA-256."""
    return {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "operations": [
            {"id": sha256_of(body), "name": name, "type": kind, "body": body}
            for name, kind, body in operations
        ],
    }


class PersistedQueries:
    """Resolves a request's document from its query text and persisted-query extension."""

    def __init__(
        self,
        backend: CacheBackend,
        *,
        safelist: bool = False,
        manifest: Mapping[str, str] | None = None,
        apq: bool = True,
    ) -> None:
        self.backend = backend
        self.safelist = safelist
        self.manifest = dict(manifest or {})
        self.apq = apq
        # Hashes known to be registered: a safelisted query costs no backend call again.
        self._registered: set[str] = set(self.manifest)

    async def resolve(self, query: str | None, extensions: Mapping[str, Any]) -> str | None:
        """The document to run (None when the request carries none at all).

        Raises PersistedQueryError for a refused request.
        """
        persisted = extensions.get("persistedQuery")
        if persisted is None:
            if query is not None and self.safelist:
                await self._require_registered(sha256_of(query))
            return query
        digest = _digest_of(persisted)
        if query is None:
            return await self._lookup(digest)
        if sha256_of(query) != digest:
            raise PersistedQueryError(
                "PERSISTED_QUERY_HASH_MISMATCH", "The query's SHA-256 does not match sha256Hash."
            )
        if self.safelist:
            await self._require_registered(digest)
        return query

    async def register_apq(self, query: str, extensions: Mapping[str, Any]) -> None:
        """Store an APQ registration: call it once ``query`` is known to be runnable.

        ``resolve`` has checked the hash; in safelist mode, or with APQ off, nothing is
        stored.
        """
        if self.safelist or not self.apq or "persistedQuery" not in extensions:
            return
        digest = _digest_of(extensions["persistedQuery"])
        await self.backend.set_many({_apq_key(digest): query.encode()}, ttl=APQ_TTL)

    async def register(self, queries: Iterable[str]) -> list[str]:
        """Add documents to the shared safelist; returns their hashes."""
        documents = {sha256_of(q): q for q in queries}
        items = {_safelist_key(d): q.encode() for d, q in documents.items()}
        await self.backend.set_many(items, ttl=SAFELIST_TTL)
        self._registered.update(documents)
        return list(documents)

    async def _lookup(self, digest: str) -> str:
        known = self.manifest.get(digest)
        if known is not None:
            return known
        keys = (
            [_safelist_key(digest)] if self.safelist else [_safelist_key(digest), _apq_key(digest)]
        )
        for blob in await self.backend.get_many(keys):
            if blob is not None:
                return blob.decode()
        if self.safelist:
            raise PersistedQueryError(
                "PERSISTED_QUERY_NOT_IN_LIST",
                f"Persisted query {digest} is not in the list of registered operations.",
            )
        if not self.apq:
            raise PersistedQueryError(
                "PERSISTED_QUERY_NOT_SUPPORTED", "Automatic persisted queries are turned off."
            )
        raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")

    async def _require_registered(self, digest: str) -> None:
        if digest in self._registered:
            return
        [blob] = await self.backend.get_many([_safelist_key(digest)])
        if blob is None:
            raise PersistedQueryError(
                "QUERY_NOT_IN_SAFELIST",
                "This operation is not registered; the router runs only registered operations.",
            )
        self._registered.add(digest)


def _digest_of(persisted: Any) -> str:
    if not isinstance(persisted, dict):
        raise PersistedQueryError("BAD_REQUEST", "extensions.persistedQuery must be an object.")
    if persisted.get("version") != 1:
        raise PersistedQueryError(
            "PERSISTED_QUERY_NOT_SUPPORTED", "Only persisted query version 1 is supported."
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not SHA256.match(digest):
        raise PersistedQueryError(
            "BAD_REQUEST", "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits."
        )
    return digest


def _apq_key(digest: str) -> str:
    return f"apq:{digest}"


def _safelist_key(digest: str) -> str:
    return f"safelist:{digest}"
