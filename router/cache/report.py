"""What the cache did for one client request, for ``extensions.cache`` in dev mode.

The pipeline opens a report for a request; the caching transport, which serves every
request, adds to whichever report the current asyncio context holds (the executor's
tasks inherit it), and does nothing when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CacheReport:
    """Per subgraph fetch: what was served from the cache and what was fetched."""

    fetches: list[dict[str, Any]] = field(default_factory=list)
    invalidated: list[str] = field(default_factory=list)

    def fetch(self, subgraph: str, kind: str, types: list[str], hits: int, misses: int) -> None:
        """Record one fetch: ``hits`` entries came from the cache, ``misses`` from the subgraph."""
        self.fetches.append(
            {"subgraph": subgraph, "kind": kind, "types": types, "hits": hits, "misses": misses}
        )

    def as_extension(self) -> dict[str, Any]:
        """The ``extensions.cache`` value."""
        hits = sum(f["hits"] for f in self.fetches)
        misses = sum(f["misses"] for f in self.fetches)
        out: dict[str, Any] = {"hits": hits, "misses": misses, "fetches": self.fetches}
        if self.invalidated:
            out["invalidated"] = self.invalidated
        return out


_current: ContextVar[CacheReport | None] = ContextVar("fedtasks_cache_report", default=None)


def current_report() -> CacheReport | None:
    """The report of the request being served, if one was opened."""
    return _current.get()


@contextmanager
def reporting() -> Iterator[CacheReport]:
    """Open a report for the code run inside the block (and the tasks it starts)."""
    report = CacheReport()
    token = _current.set(report)
    try:
        yield report
    finally:
        _current.reset(token)
