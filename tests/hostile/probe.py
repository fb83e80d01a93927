"""A well-behaved client beside an attack: how long its ``{ __typename }`` waits for answers."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

TYPENAME = b'{"query": "{ __typename }"}'


def post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    """POST ``body`` to /graphql as JSON on ``connection``; the status and the body.

    It accepts application/graphql-response+json, as a GraphQL-over-HTTP client does, so a
    refused request is a 400 (with no Accept the answer would be application/json, 200).
    """
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    connection.request("POST", "/graphql", body, headers)
    response = connection.getresponse()
    return response.status, response.read()


@dataclass
class Probe:
    """Sends ``{ __typename }`` on its own keep-alive connection, one after another.

    Use as a context manager around the attack; ``latencies`` are the seconds each answer
    took, every one of them checked to be the right answer.
    """

    port: int
    pause: float = 0.01
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        post(connection, TYPENAME)  # the plan is cached before the attack starts
        self._connection = connection
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        self._connection.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                status, body = post(self._connection, TYPENAME)
            except OSError as error:
                self.failures.append(repr(error))
                return
            self.latencies.append(time.perf_counter() - started)
            if (status, body) != (200, b'{"data":{"__typename":"Query"}}'):
                self.failures.append(f"{status} {body!r}")
            self._stop.wait(self.pause)

    @property
    def median(self) -> float:
        """The median wait, in seconds."""
        return statistics.median(self.latencies)

    def assert_served(self) -> None:
        """Every answer was right, there were some, and half came within 100 ms."""
        assert not self.failures, self.failures
        assert self.latencies, "the probe got no answer while the attack ran"
        # The bound for a concurrent client; the median, so that one scheduling
        # hiccup of a shared machine does not decide it.
        assert self.median < 0.1, sorted(self.latencies)[-5:]
