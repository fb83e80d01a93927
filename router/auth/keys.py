"""The public keys of RS256/ES256 tokens: a JSON Web Key Set from a file or a URL.

A file is read once at start. A URL is fetched on first use, kept for ``max_age``
seconds, and fetched again early when a token names a key id the set does not hold (a
rotated key), at most once per ``refresh_cooldown`` so that tokens with made-up key ids
cannot make the router hammer the identity provider. When a refresh fails the keys
already known keep serving. PyJWT parses the keys; nothing here handles JWT itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson
from jwt import PyJWK, PyJWKSet
from jwt.exceptions import PyJWKError, PyJWKSetError

from router.auth.errors import AuthenticationError, KeysUnavailable


class KeySet(Protocol):
    """Finds the signing key a token names."""

    async def find(self, kid: str | None) -> PyJWK:
        """The key with id ``kid`` (None: the set's only key); AuthenticationError if none."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def parse_key_set(document: Any) -> list[PyJWK]:
    """The signing keys of a JWKS document; ValueError unless it holds at least one."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError('a JWKS document is an object with a "keys" list')
    signing = [k for k in document["keys"] if not (isinstance(k, dict) and k.get("use") == "enc")]
    try:
        return list(PyJWKSet(signing).keys)
    except (PyJWKSetError, PyJWKError) as error:
        raise ValueError(f"no usable signing key in the JWKS document: {error}") from None


def _pick(keys: list[PyJWK], kid: str | None) -> PyJWK | None:
    if kid is None:
        return keys[0] if len(keys) == 1 else None
    return next((key for key in keys if key.key_id == kid), None)


def _unknown(kid: str | None) -> AuthenticationError:
    if kid is None:
        return AuthenticationError("The token names no key id (kid), and the key set has several.")
    return AuthenticationError("The token's key id (kid) is not in the router's key set.")


class StaticKeySet:
    """Keys read once, from a JWKS file."""

    def __init__(self, keys: list[PyJWK]) -> None:
        self.keys = keys

    @classmethod
    def from_file(cls, path: str) -> StaticKeySet:
        """The keys of a JWKS file; ValueError (with the path) if unreadable or malformed."""
        try:
            document = orjson.loads(Path(path).read_bytes())
        except OSError as error:
            raise ValueError(f"cannot read FEDTASKS_JWKS_FILE {path}: {error.strerror}") from None
        except orjson.JSONDecodeError:
            raise ValueError(f"FEDTASKS_JWKS_FILE {path} is not JSON") from None
        try:
            return cls(parse_key_set(document))
        except ValueError as error:
            raise ValueError(f"FEDTASKS_JWKS_FILE {path}: {error}") from None

    async def find(self, kid: str | None) -> PyJWK:
        """The key with id ``kid``."""
        key = _pick(self.keys, kid)
        if key is None:
            raise _unknown(kid)
        return key

    async def aclose(self) -> None:
        """Nothing to release."""


class RemoteKeySet:
    """Keys fetched from a JWKS URL, cached, and refreshed when a token names a new one."""

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient | None = None,
        max_age: float = 300.0,
        refresh_cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.client = client or httpx.AsyncClient(timeout=5.0)
        self.max_age = max_age
        self.refresh_cooldown = refresh_cooldown
        self.clock = clock
        self.fetches = 0
        self._keys: list[PyJWK] | None = None
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def find(self, kid: str | None) -> PyJWK:
        """The key with id ``kid``, fetching the set when it is stale or lacks that key."""
        if self._keys is None or self.clock() - self._fetched_at >= self.max_age:
            await self._refresh(since=self._fetched_at)
        assert self._keys is not None
        key = _pick(self._keys, kid)
        if key is None and self.clock() - self._fetched_at >= self.refresh_cooldown:
            await self._refresh(since=self._fetched_at)
            key = _pick(self._keys, kid)
        if key is None:
            raise _unknown(kid)
        return key

    async def _refresh(self, *, since: float) -> None:
        """Fetch the set once for every caller waiting (unless one did it after ``since``)."""
        async with self._lock:
            if self._fetched_at > since:
                return
            try:
                self._keys = await self._fetch()
            except (httpx.HTTPError, ValueError) as error:
                if self._keys is None:
                    raise KeysUnavailable(
                        "The router cannot fetch the keys that verify tokens; try again shortly."
                    ) from error
                # The known keys keep serving; the next attempt waits for the cooldown.
                self._fetched_at = self.clock() - self.max_age + self.refresh_cooldown
                return
            self._fetched_at = self.clock()

    async def _fetch(self) -> list[PyJWK]:
        self.fetches += 1
        response = await self.client.get(self.url)
        response.raise_for_status()
        return parse_key_set(response.json())

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()
