"""How long subgraph answers may be cached: the router's TTL policy and the subgraph's say.

The router's configuration gives a default TTL, TTLs per type and per field
(``"User"``, ``"User.tasks"``); an entry lives for the shortest TTL among the types and
fields it holds. A subgraph's ``Cache-Control`` header can only make that more
restrictive: ``max-age`` shortens it, ``no-store`` (or ``max-age=0``) stops it, and
``private`` allows caching only per caller identity.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def parse_cache_control(header: str | None) -> CacheControl:
    """Parse a ``Cache-Control`` header (RFC 9111 section 5.2); unknown directives are ignored."""
    if not header:
        return CacheControl()
    max_age: float | None = None
    private = no_store = False
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name in ("no-store", "no-cache"):
            no_store = True
        elif name == "private":
            private = True
        elif name in ("max-age", "s-maxage"):
            try:
                seconds = float(value.strip().strip('"'))
            except ValueError:
                no_store = True  # a directive we cannot read must not widen caching
                continue
            max_age = seconds if max_age is None else min(max_age, seconds)
    if max_age is not None and max_age <= 0:
        no_store = True
    return CacheControl(max_age, private, no_store)


@dataclass(frozen=True)
class CachePolicy:
    """TTLs by type and field, with a default; ``enabled`` switches entity caching."""

    enabled: bool = True
    default_ttl: float = DEFAULT_TTL
    types: Mapping[str, float] = field(default_factory=dict)
    fields: Mapping[str, float] = field(default_factory=dict)

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

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> CachePolicy:
        """Read ``{enabled, default_ttl, types: {T: s}, fields: {"T.f": s}}``."""
        unknown = set(config) - {"enabled", "default_ttl", "types", "fields"}
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
            policy = cls(False, policy.default_ttl, policy.types, policy.fields)
        return policy


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise PolicyError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _ttls(name: str, value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise PolicyError(f"{name} must map names to seconds")
    return {str(k): _seconds(f"{name}.{k}", v) for k, v in value.items()}
