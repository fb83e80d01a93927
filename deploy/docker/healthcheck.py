"""The container's HEALTHCHECK: whether the fedtasks process in this container is alive.

Asks ``GET /health`` on 127.0.0.1 with the standard library only (the image has no curl).
``FEDTASKS_HEALTH_PORT`` names the port the process listens on; unset, the default ports
of the router (4000) and of the users (4001) and tasks (4002) subgraphs are tried, since
a container runs exactly one of them. Exits 0 when it answers 200, 1 otherwise (Docker's
contract for a health check command).
"""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Mapping

DEFAULT_PORTS = (4000, 4001, 4002)
TIMEOUT_SECONDS = 2.0


def ports_to_probe(environ: Mapping[str, str]) -> tuple[int, ...]:
    """The port named by ``FEDTASKS_HEALTH_PORT``, or every default port."""
    configured = environ.get("FEDTASKS_HEALTH_PORT", "").strip()
    return (int(configured),) if configured else DEFAULT_PORTS


def alive(port: int) -> bool:
    """Whether ``/health`` on ``port`` answers 200 within the timeout."""
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/health", timeout=TIMEOUT_SECONDS
        ) as response:
            return bool(response.status == 200)
    except OSError:  # refused, timed out, or an HTTP error status (URLError is an OSError)
        return False


def main() -> int:
    """Exit status for Docker: 0 healthy, 1 unhealthy."""
    try:
        ports = ports_to_probe(os.environ)
    except ValueError:
        print("FEDTASKS_HEALTH_PORT must be a port number", file=sys.stderr)
        return 1
    return 0 if any(alive(port) for port in ports) else 1


if __name__ == "__main__":
    sys.exit(main())
