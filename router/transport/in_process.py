"""SubgraphTransport to ASGI apps in this process, with the same handling as over HTTP.

Each app is reached through ``httpx.ASGITransport`` under ``HttpTransport``, so requests,
answers and errors go through exactly the code the router uses over the network: only the
socket is missing. Meant for tests and for running the whole graph in one process.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from starlette.types import ASGIApp

from router.transport.http import HttpTransport


class InProcessTransport(HttpTransport):
    """Sends operations to ASGI apps by subgraph name, each served at ``path``.

    The caller runs each app's lifespan (startup and shutdown, for example with
    ``asgi_lifespan.LifespanManager``): ``httpx.ASGITransport`` sends requests only. An
    exception an app raises is not caught by it: it propagates from ``send``, as a crash in a
    test should.
    """

    def __init__(
        self,
        apps: Mapping[str, ASGIApp],
        *,
        path: str = "/graphql",
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            {name: f"http://{name}{path}" for name in apps},
            timeout=timeout,
            headers=headers,
            transports={name: httpx.ASGITransport(app=app) for name, app in apps.items()},
        )
