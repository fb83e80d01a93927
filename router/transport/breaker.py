"""A circuit breaker per subgraph: stop calling a subgraph that keeps failing, probe it later.

The state machine (Nygard, "Release It!", and resilience4j's count-and-rate variant):

- CLOSED: calls go through; outcomes are counted over a rolling time window. When the
  window holds at least ``minimum_calls`` calls and the share that failed reaches
  ``failure_rate``, the circuit opens.
- OPEN: calls are refused at once, without touching the network, for ``cooldown_seconds``.
- HALF_OPEN: up to ``half_open_calls`` probe calls go through, the rest are refused. That
  many successes close the circuit (with a fresh window); one failure opens it again.

The clock is injected, so the machine is pure code tested without waiting. Each call holds
a ``Ticket`` naming the state generation it was admitted in: an outcome that arrives after
the state changed (a slow call admitted while closed, ending while half-open) is ignored,
so only probes decide whether a half-open circuit closes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from router.transport.settings import BreakerSettings

Clock = Callable[[], float]

# The rolling window is kept as this many buckets, so old outcomes leave it in steps of
# window/BUCKETS instead of one by one (bounded memory under any load).
BUCKETS = 10


class CircuitState(IntEnum):
    """The circuit's state; the values are the Prometheus gauge's."""

    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


@dataclass(frozen=True)
class Ticket:
    """Admission of one call: the generation it was admitted in, and whether it probes."""

    generation: int
    probe: bool


@dataclass
class _Bucket:
    start: float
    calls: int = 0
    failures: int = 0


class CircuitBreaker:
    """One subgraph's circuit. Not thread-safe: one event loop uses it."""

    def __init__(self, settings: BreakerSettings, *, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._state = CircuitState.CLOSED
        self._generation = 0
        self._buckets: deque[_Bucket] = deque()
        self._opened_at = 0.0
        self._probes_in_flight = 0
        self._probe_successes = 0
        # What the window held when the circuit last opened, for the refusal message.
        self._opened_with = (0, 0)

    @property
    def state(self) -> CircuitState:
        """The current state (an open circuit whose cool-down is over is half-open)."""
        if (
            self._state is CircuitState.OPEN
            and self._clock() - self._opened_at >= self.settings.cooldown_seconds
        ):
            self._enter(CircuitState.HALF_OPEN)
        return self._state

    def acquire(self) -> Ticket | None:
        """Admit a call (a ticket to report its outcome with), or refuse it (None)."""
        state = self.state
        if state is CircuitState.CLOSED:
            return Ticket(self._generation, probe=False)
        if state is CircuitState.HALF_OPEN and (
            self._probes_in_flight + self._probe_successes < self.settings.half_open_calls
        ):
            self._probes_in_flight += 1
            return Ticket(self._generation, probe=True)
        return None

    def succeeded(self, ticket: Ticket) -> None:
        """The admitted call got an answer."""
        if ticket.generation != self._generation:
            return
        if ticket.probe:
            self._probes_in_flight -= 1
            self._probe_successes += 1
            if self._probe_successes >= self.settings.half_open_calls:
                self._enter(CircuitState.CLOSED)
            return
        self._record(failed=False)

    def failed(self, ticket: Ticket) -> None:
        """The admitted call failed (unreachable, timed out, not a GraphQL answer)."""
        if ticket.generation != self._generation:
            return
        if ticket.probe:
            self._opened_with = (1, 1)
            self._enter(CircuitState.OPEN)
            return
        self._record(failed=True)
        calls, failures = self.window()
        if calls >= self.settings.minimum_calls and failures >= self.settings.failure_rate * calls:
            self._opened_with = (calls, failures)
            self._enter(CircuitState.OPEN)

    def abandoned(self, ticket: Ticket) -> None:
        """The admitted call ended without an outcome (cancelled): free its probe slot."""
        if ticket.generation == self._generation and ticket.probe:
            self._probes_in_flight -= 1

    def window(self) -> tuple[int, int]:
        """Calls and failures in the rolling window, as of now."""
        self._expire()
        calls = sum(bucket.calls for bucket in self._buckets)
        failures = sum(bucket.failures for bucket in self._buckets)
        return calls, failures

    def retry_in(self) -> float:
        """Seconds until an open circuit lets a probe through (0 unless open)."""
        if self.state is not CircuitState.OPEN:
            return 0.0
        return max(0.0, self._opened_at + self.settings.cooldown_seconds - self._clock())

    def refusal(self) -> str:
        """Why a call is refused, for the client's error message."""
        if self.state is CircuitState.HALF_OPEN:
            return "circuit breaker half-open: only a probe call goes through until it succeeds"
        calls, failures = self._opened_with
        if calls == 1:
            cause = "the probe call failed"
        else:
            cause = f"{failures} of {calls} calls failed within {self.settings.window_seconds:g}s"
        return f"circuit breaker open ({cause}); next probe in {self.retry_in():.1f}s"

    def _enter(self, state: CircuitState) -> None:
        self._state = state
        self._generation += 1
        self._probes_in_flight = 0
        self._probe_successes = 0
        if state is CircuitState.OPEN:
            self._opened_at = self._clock()
        if state is CircuitState.CLOSED:
            self._buckets.clear()

    def _record(self, *, failed: bool) -> None:
        now = self._clock()
        self._expire()
        width = self.settings.window_seconds / BUCKETS
        if not self._buckets or now - self._buckets[-1].start >= width:
            self._buckets.append(_Bucket(start=now))
        bucket = self._buckets[-1]
        bucket.calls += 1
        bucket.failures += int(failed)

    def _expire(self) -> None:
        # A bucket leaves once all of it is older than the window.
        width = self.settings.window_seconds / BUCKETS
        oldest = self._clock() - self.settings.window_seconds
        while self._buckets and self._buckets[0].start + width <= oldest:
            self._buckets.popleft()


class Breakers:
    """The circuit of every subgraph, made on first use; ``reset`` starts one afresh."""

    def __init__(self, settings: BreakerSettings, *, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._circuits: dict[str, CircuitBreaker] = {}

    def get(self, subgraph: str) -> CircuitBreaker:
        """The circuit of ``subgraph``."""
        circuit = self._circuits.get(subgraph)
        if circuit is None:
            circuit = self._circuits[subgraph] = CircuitBreaker(self.settings, clock=self._clock)
        return circuit

    def reset(self, subgraph: str) -> None:
        """Forget ``subgraph``'s circuit (its URL changed: the new server starts closed)."""
        self._circuits.pop(subgraph, None)

    def states(self) -> dict[str, CircuitState]:
        """Every known circuit's state, by subgraph."""
        return {name: circuit.state for name, circuit in self._circuits.items()}
