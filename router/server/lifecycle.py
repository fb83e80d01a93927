"""The router process's shutdown grace and its periodic checks, from the environment.

``FEDTASKS_SHUTDOWN_GRACE_SECONDS`` (default 25, under Kubernetes' 30-second termination
grace): on SIGTERM the server stops accepting connections and gives the requests in flight
that long to finish before cancelling them. ``FEDTASKS_SUPERGRAPH_POLL_SECONDS`` (default
5; 0 turns hot reload off): how often the supergraph file is checked for a new version.
``FEDTASKS_SUBGRAPH_HEALTH_SECONDS`` (default 10; 0: only when ``/health/subgraphs`` is
asked): how often the subgraphs are checked for ``fedtasks_subgraph_up``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from router.env_values import seconds

GRACE = "FEDTASKS_SHUTDOWN_GRACE_SECONDS"
POLL = "FEDTASKS_SUPERGRAPH_POLL_SECONDS"
SUBGRAPH_HEALTH = "FEDTASKS_SUBGRAPH_HEALTH_SECONDS"


@dataclass(frozen=True)
class LifecycleSettings:
    """Shutdown grace (whole seconds, as uvicorn takes it), supergraph and health periods."""

    shutdown_grace_seconds: int = 25
    supergraph_poll_seconds: float = 5.0
    subgraph_health_seconds: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LifecycleSettings:
        """Read the variables; a bad value is a ValueError naming it."""
        defaults = cls()
        return cls(
            shutdown_grace_seconds=_whole_seconds(environ, GRACE, defaults.shutdown_grace_seconds),
            supergraph_poll_seconds=seconds(
                environ, POLL, defaults.supergraph_poll_seconds, zero_allowed=True
            ),
            subgraph_health_seconds=seconds(
                environ, SUBGRAPH_HEALTH, defaults.subgraph_health_seconds, zero_allowed=True
            ),
        )


def _whole_seconds(environ: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of seconds, zero or more."""
    raw = environ.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit():
        raise ValueError(f"{name} must be a whole number of seconds (0 or more), got {raw!r}")
    return int(raw)
