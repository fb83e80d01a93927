"""Whether and how long a subgraph answer may be cached, and who may be served it.

Safe by default: an answer is kept in an entry shared between callers only when it is
known to be public, and a caller's own data is kept only under that caller's verified id.
:meth:`CachePolicy.storage` decides, from the subgraph's ``Cache-Control`` (which the
subgraphs compute from their ``@cacheControl`` hints) and the router's configuration:

- ``no-store`` (or ``no-cache``, ``max-age=0``, an unreadable age): not kept.
- ``private``: kept per caller identity; not kept for an anonymous caller. A
  configuration that calls the data public cannot override this.
- ``max-age=N, public``: shared. ``max-age=N`` alone: shared when the caller is
  anonymous, per identity when the request carried a verified identity.
- no ``Cache-Control``: not kept, unless the configuration opts every type or field the
  answer holds in with ``public`` (shared) or ``private`` (per identity); a ``private``
  coordinate anywhere in the answer makes it per identity.

The configuration also gives a default TTL and TTLs per type and field (``"User"``,
``"User.tasks"``); an entry lives for the shortest TTL among what it holds, and never
longer than the subgraph's ``max-age``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

DEFAULT_TTL = 60.0


class PolicyError(ValueError):
    """The cache configuration is malformed."""


@dataclass(frozen=True)
class CacheControl:
    """What a subgraph's ``Cache-Control`` header allows."""

    max_age: float | None = None
    private: bool = False
    no_store: bool = False
    public: bool = False


@dataclass(frozen=True)
class Storage:
    """Where an answer may be kept: for ``ttl`` seconds, shared or under the caller's id."""

    ttl: float
    per_identity: bool


def parse_cache_control(header: str | None) -> CacheControl:
    """Parse a ``Cache-Control`` header (RFC 9111 section 5.2); unknown directives are ignored."""
    if not header:
        return CacheControl()
    max_age: float | None = None
    private = no_store = public = False
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name in ("no-store", "no-cache"):
            no_store = True
        elif name == "private":
            private = True
        elif name == "public":
            public = True
        elif name in ("max-age", "s-maxage"):
            try:
                seconds = float(value.strip().strip('"'))
            except ValueError:
                no_store = True  # a directive we cannot read must not widen caching
                continue
            max_age = seconds if max_age is None else min(max_age, seconds)
    if max_age is not None and max_age <= 0:
        no_store = True
    # Both said (two headers joined): the stricter holds.
    return CacheControl(max_age, private, no_store, public and not private)


@dataclass(frozen=True)
class CachePolicy:
    """TTLs by type and field, with a default; ``enabled`` switches entity caching.

    ``public`` and ``private`` name types (``"Task"``) and fields (``"Query.tasks"``)
    whose answers may be cached when the subgraph sends no ``Cache-Control``: shared
    between callers, or per caller identity.
    """

    enabled: bool = True
    default_ttl: float = DEFAULT_TTL
    types: Mapping[str, float] = field(default_factory=dict)
    fields: Mapping[str, float] = field(default_factory=dict)
    public: frozenset[str] = frozenset()
    private: frozenset[str] = frozenset()

    def ttl(self, coordinates: Iterable[tuple[str, str]]) -> float:
        """The TTL of an entry holding these (type, field) pairs: the shortest that applies."""
        ttl = self.default_ttl
        for type_name, field_name in coordinates:
            ttl = min(
                ttl,
                self.types.get(type_name, ttl),
                self.fields.get(f"{type_name}.{field_name}", ttl),
            )
        return ttl

    def storage(
        self,
        control: CacheControl,
        *,
        coordinates: Iterable[tuple[str, str]],
        nested: Iterable[tuple[str, str]],
        identified: bool,
    ) -> Storage | None:
        """Where an answer may be kept (module docstring), or None: not at all.

        ``coordinates`` are the (type, field) pairs at the top of the answer, which set
        its TTL and which the configuration must all declare to opt a header-less answer
        in; ``nested`` are all of them, below the top too, any one of which declared
        private keeps the answer per identity.
        """
        if control.no_store:
            return None
        top = list(coordinates)
        ttl = self.ttl(top)
        if control.max_age is not None:
            ttl = min(ttl, control.max_age)
        if ttl <= 0:
            return None
        private = control.private or any(self._declared(c, self.private) for c in nested)
        opted_in = bool(top) and all(self._declared(c, self.public | self.private) for c in top)
        if control.max_age is None and not opted_in:
            return None  # the subgraph said nothing, and neither did the operator
        declared_public = bool(top) and all(self._declared(c, self.public) for c in top)
        shared = control.public or declared_public or not identified
        if private or not shared:
            return Storage(ttl, per_identity=True) if identified else None
        return Storage(ttl, per_identity=False)

    @staticmethod
    def _declared(coordinate: tuple[str, str], names: frozenset[str]) -> bool:
        type_name, field_name = coordinate
        return type_name in names or f"{type_name}.{field_name}" in names

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> CachePolicy:
        """Read ``{enabled, default_ttl, types: {T: s}, fields: {"T.f": s}, public, private}``."""
        unknown = set(config) - {"enabled", "default_ttl", "types", "fields", "public", "private"}
        if unknown:
            raise PolicyError(f"unknown cache settings: {', '.join(sorted(unknown))}")
        enabled = config.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PolicyError("cache.enabled must be true or false")
        return cls(
            enabled=enabled,
            default_ttl=_seconds("cache.default_ttl", config.get("default_ttl", DEFAULT_TTL)),
            types=_ttls("cache.types", config.get("types") or {}),
            fields=_ttls("cache.fields", config.get("fields") or {}),
            public=_names("cache.public", config.get("public") or []),
            private=_names("cache.private", config.get("private") or []),
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> CachePolicy:
        """``FEDTASKS_CACHE_CONFIG`` (a YAML file with a ``cache:`` section) or defaults.

        ``FEDTASKS_ENTITY_CACHE=off`` turns entity and root-field caching off.
        """
        policy = cls()
        path = environ.get("FEDTASKS_CACHE_CONFIG")
        if path:
            try:
                document = yaml.safe_load(Path(path).read_text()) or {}
            except (OSError, yaml.YAMLError) as error:
                raise PolicyError(f"cannot read the cache configuration {path}: {error}") from None
            if not isinstance(document, dict) or not isinstance(document.get("cache", {}), dict):
                raise PolicyError(f"{path}: expected a mapping with a 'cache' section")
            policy = cls.from_mapping(document.get("cache") or {})
        switch = environ.get("FEDTASKS_ENTITY_CACHE", "on").lower()
        if switch not in ("on", "off"):
            raise PolicyError("FEDTASKS_ENTITY_CACHE must be 'on' or 'off'")
        if switch == "off":
            policy = replace(policy, enabled=False)
        return policy


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise PolicyError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _ttls(name: str, value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise PolicyError(f"{name} must map names to seconds")
    return {str(k): _seconds(f"{name}.{k}", v) for k, v in value.items()}


def _names(name: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PolicyError(f"{name} must be a list of type names and Type.field names")
    return frozenset(value)
