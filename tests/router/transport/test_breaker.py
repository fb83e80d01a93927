"""The circuit breaker's state machine, on an injected clock (no waiting, no network)."""

from __future__ import annotations

from router.transport.breaker import Breakers, CircuitBreaker, CircuitState, Ticket
from router.transport.settings import BreakerSettings

SETTINGS = BreakerSettings(
    failure_rate=0.5,
    minimum_calls=4,
    window_seconds=10.0,
    cooldown_seconds=5.0,
    half_open_calls=2,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted(circuit: CircuitBreaker) -> Ticket:
    ticket = circuit.acquire()
    assert ticket is not None
    return ticket


def fail(circuit: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        circuit.failed(admitted(circuit))


def succeed(circuit: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        circuit.succeeded(admitted(circuit))


def opened(clock: Clock) -> CircuitBreaker:
    circuit = CircuitBreaker(SETTINGS, clock=clock)
    fail(circuit, 4)
    assert circuit.state is CircuitState.OPEN
    return circuit


def test_a_new_circuit_is_closed_and_admits_calls() -> None:
    circuit = CircuitBreaker(SETTINGS, clock=Clock())

    assert circuit.state is CircuitState.CLOSED
    assert circuit.acquire() == Ticket(generation=0, probe=False)


def test_failures_below_the_minimum_number_of_calls_never_open_it() -> None:
    circuit = CircuitBreaker(SETTINGS, clock=Clock())
    fail(circuit, 3)

    assert circuit.state is CircuitState.CLOSED
    assert circuit.window() == (3, 3)


def test_it_opens_when_the_failure_rate_reaches_the_threshold() -> None:
    circuit = CircuitBreaker(SETTINGS, clock=Clock())
    succeed(circuit, 3)
    fail(circuit, 2)
    assert circuit.state is CircuitState.CLOSED  # 2 of 5 failed: 40 %

    fail(circuit)  # 3 of 6: 50 %

    assert circuit.state is CircuitState.OPEN


def test_an_open_circuit_refuses_calls_and_says_why_and_when_it_probes() -> None:
    clock = Clock()
    circuit = opened(clock)
    clock.now += 1.5

    assert circuit.acquire() is None
    assert circuit.retry_in() == 3.5
    assert circuit.refusal() == (
        "circuit breaker open (4 of 4 calls failed within 10s); next probe in 3.5s"
    )


def test_after_the_cool_down_it_is_half_open_and_admits_only_the_probes() -> None:
    clock = Clock()
    circuit = opened(clock)
    clock.now += 5.0

    assert circuit.state is CircuitState.HALF_OPEN
    first, second = admitted(circuit), admitted(circuit)
    assert first.probe
    assert second.probe
    assert circuit.acquire() is None
    assert circuit.refusal().startswith("circuit breaker half-open")


def test_as_many_successful_probes_as_configured_close_it_with_a_fresh_window() -> None:
    clock = Clock()
    circuit = opened(clock)
    clock.now += 5.0
    first, second = admitted(circuit), admitted(circuit)

    circuit.succeeded(first)
    assert circuit.state is CircuitState.HALF_OPEN
    circuit.succeeded(second)

    assert circuit.state is CircuitState.CLOSED
    assert circuit.window() == (0, 0)
    assert not admitted(circuit).probe


def test_one_failed_probe_opens_it_again_for_a_whole_cool_down() -> None:
    clock = Clock()
    circuit = opened(clock)
    clock.now += 5.0
    probe = admitted(circuit)
    clock.now += 0.5

    circuit.failed(probe)

    assert circuit.state is CircuitState.OPEN
    assert circuit.retry_in() == 5.0
    assert circuit.refusal() == "circuit breaker open (the probe call failed); next probe in 5.0s"


def test_an_abandoned_probe_frees_its_slot() -> None:
    clock = Clock()
    circuit = opened(clock)
    clock.now += 5.0
    first, _second = admitted(circuit), admitted(circuit)
    assert circuit.acquire() is None

    circuit.abandoned(first)

    assert admitted(circuit).probe
    assert circuit.state is CircuitState.HALF_OPEN


def test_outcomes_of_calls_admitted_before_the_state_changed_are_ignored() -> None:
    clock = Clock()
    circuit = CircuitBreaker(SETTINGS, clock=clock)
    slow = admitted(circuit)  # admitted while closed, answers after the circuit opened
    fail(circuit, 4)
    clock.now += 5.0
    probe = admitted(circuit)

    circuit.succeeded(slow)
    assert circuit.state is CircuitState.HALF_OPEN
    circuit.failed(slow)
    assert circuit.state is CircuitState.HALF_OPEN

    circuit.failed(probe)
    assert circuit.state is CircuitState.OPEN


def test_old_outcomes_leave_the_rolling_window() -> None:
    clock = Clock()
    circuit = CircuitBreaker(SETTINGS, clock=clock)
    fail(circuit, 3)
    clock.now += 11.0  # the failures are older than the window now

    succeed(circuit, 3)
    fail(circuit)

    assert circuit.window() == (4, 1)
    assert circuit.state is CircuitState.CLOSED


def test_the_window_slides_in_buckets() -> None:
    clock = Clock()
    circuit = CircuitBreaker(SETTINGS, clock=clock)
    fail(circuit, 2)
    clock.now += 5.0
    succeed(circuit, 2)
    clock.now += 5.5  # the first bucket (1000 to 1001) is still partly in the window
    assert circuit.window() == (4, 2)

    clock.now += 0.5  # now all of it is older than 10 s

    assert circuit.window() == (2, 0)


def test_breakers_are_made_per_subgraph_and_reset_afresh() -> None:
    clock = Clock()
    breakers = Breakers(SETTINGS, clock=clock)
    fail(breakers.get("users"), 4)
    succeed(breakers.get("tasks"))

    assert breakers.states() == {"users": CircuitState.OPEN, "tasks": CircuitState.CLOSED}
    assert breakers.get("users") is breakers.get("users")

    breakers.reset("users")

    assert breakers.states() == {"tasks": CircuitState.CLOSED}
    assert breakers.get("users").state is CircuitState.CLOSED
