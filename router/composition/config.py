"""``supergraph.yaml``: which subgraphs to compose, in the shape Rover reads.

```yaml
federation_version: =2.7.0
subgraphs:
  users:
    routing_url: http://127.0.0.1:4001/graphql
    schema:
      file: ./users.graphql          # relative to this file
  tasks:
    routing_url: http://127.0.0.1:4002/graphql
    schema:
      subgraph_url: http://127.0.0.1:4002/graphql   # fetch `_service { sdl }`
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from router.composition.compose import SubgraphSource


class ConfigError(Exception):
    """The configuration cannot be read, or a subgraph's SDL cannot be obtained."""


@dataclass(frozen=True)
class SubgraphConfig:
    """One subgraph entry: where it is served and where its SDL comes from."""

    name: str
    routing_url: str
    file: Path | None
    subgraph_url: str | None


def load_config(path: Path) -> list[SubgraphConfig]:
    """The subgraph entries of a supergraph.yaml."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    subgraphs = raw.get("subgraphs") if isinstance(raw, dict) else None
    if not isinstance(subgraphs, dict) or not subgraphs:
        raise ConfigError(f"{path}: `subgraphs` must map subgraph names to their settings")
    entries = []
    for name, settings in subgraphs.items():
        if not isinstance(settings, dict) or not isinstance(settings.get("routing_url"), str):
            raise ConfigError(f"{path}: subgraph {name!r} needs a `routing_url`")
        schema = settings.get("schema")
        if not isinstance(schema, dict) or not ({"file", "subgraph_url"} & set(schema)):
            raise ConfigError(
                f"{path}: subgraph {name!r} needs `schema: {{file: ...}}` or "
                "`schema: {subgraph_url: ...}`"
            )
        file = schema.get("file")
        entries.append(
            SubgraphConfig(
                name=str(name),
                routing_url=settings["routing_url"],
                file=(path.parent / str(file)).resolve() if file else None,
                subgraph_url=schema.get("subgraph_url"),
            )
        )
    return entries


def subgraph_headers() -> dict[str, str]:
    """Headers the router's tools send a subgraph: its shared secret, when one is set.

    Subgraphs in production mode answer only requests carrying FEDTASKS_SUBGRAPH_SECRET.
    """
    secret = os.environ.get("FEDTASKS_SUBGRAPH_SECRET")
    return {"x-fedtasks-router-secret": secret} if secret else {}


def fetch_sdl(url: str, *, timeout: float = 10.0, headers: Mapping[str, str] | None = None) -> str:
    """A running subgraph's SDL, from its ``_service { sdl }`` field (``headers`` sent along)."""
    try:
        response = httpx.post(
            url,
            json={"query": "{ _service { sdl } }"},
            headers=dict(headers or {}),
            timeout=timeout,
        )
        body = response.json()
        return str(body["data"]["_service"]["sdl"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"cannot fetch the SDL of {url}: {error}") from None


def read_sources(
    entries: list[SubgraphConfig], overrides: dict[str, str] | None = None
) -> list[SubgraphSource]:
    """The subgraphs' SDLs; ``overrides`` replaces a subgraph's SDL by name."""
    sources = []
    for entry in entries:
        if overrides and entry.name in overrides:
            sdl = overrides[entry.name]
        elif entry.file is not None:
            try:
                sdl = entry.file.read_text(encoding="utf-8")
            except OSError as error:
                raise ConfigError(
                    f"subgraph {entry.name!r}: cannot read {entry.file}: {error.strerror}"
                ) from None
        else:
            assert entry.subgraph_url is not None
            sdl = fetch_sdl(entry.subgraph_url, headers=subgraph_headers())
        sources.append(SubgraphSource(entry.name, entry.routing_url, sdl))
    return sources
