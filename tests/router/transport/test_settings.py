"""Resilience settings from the environment: defaults, overrides, and refusals by name."""

from __future__ import annotations

import pytest

from router.transport.settings import (
    BreakerSettings,
    RetrySettings,
    TransportSettings,
)


def test_the_defaults() -> None:
    settings = TransportSettings.from_env({})

    assert settings == TransportSettings()
    assert settings.timeout == 10.0
    assert settings.retry == RetrySettings(retries=2, base_seconds=0.05, max_seconds=1.0)
    assert settings.breaker == BreakerSettings(
        enabled=True,
        failure_rate=0.5,
        minimum_calls=20,
        window_seconds=10.0,
        cooldown_seconds=5.0,
        half_open_calls=1,
    )


def test_every_variable_is_read() -> None:
    settings = TransportSettings.from_env(
        {
            "FEDTASKS_SUBGRAPH_TIMEOUT": "3",
            "FEDTASKS_SUBGRAPH_TIMEOUT_USERS": "0.5",
            "FEDTASKS_RETRIES": "0",
            "FEDTASKS_RETRY_BACKOFF_SECONDS": "0.1",
            "FEDTASKS_RETRY_MAX_BACKOFF_SECONDS": "2",
            "FEDTASKS_BREAKER": "off",
            "FEDTASKS_BREAKER_FAILURE_RATE": "0.25",
            "FEDTASKS_BREAKER_MIN_CALLS": "5",
            "FEDTASKS_BREAKER_WINDOW_SECONDS": "30",
            "FEDTASKS_BREAKER_COOLDOWN_SECONDS": "1.5",
            "FEDTASKS_BREAKER_HALF_OPEN_CALLS": "3",
        }
    )

    assert settings.timeout_for("users") == 0.5
    assert settings.timeout_for("tasks") == 3.0
    assert settings.retry == RetrySettings(retries=0, base_seconds=0.1, max_seconds=2.0)
    assert settings.breaker == BreakerSettings(
        enabled=False,
        failure_rate=0.25,
        minimum_calls=5,
        window_seconds=30.0,
        cooldown_seconds=1.5,
        half_open_calls=3,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FEDTASKS_SUBGRAPH_TIMEOUT", "soon", "a positive number of seconds, got 'soon'"),
        ("FEDTASKS_SUBGRAPH_TIMEOUT", "0", "a positive number of seconds, got '0'"),
        ("FEDTASKS_SUBGRAPH_TIMEOUT_USERS", "-1", "a positive number of seconds, got '-1'"),
        ("FEDTASKS_SUBGRAPH_TIMEOUT", "inf", "a positive number of seconds, got 'inf'"),
        ("FEDTASKS_RETRIES", "-1", "a whole number of at least 0, got '-1'"),
        ("FEDTASKS_RETRIES", "two", "a whole number of at least 0, got 'two'"),
        ("FEDTASKS_BREAKER_MIN_CALLS", "0", "a whole number of at least 1, got '0'"),
        ("FEDTASKS_BREAKER_HALF_OPEN_CALLS", "0", "a whole number of at least 1, got '0'"),
        ("FEDTASKS_BREAKER_FAILURE_RATE", "1.5", "between 0 (excluded) and 1, got '1.5'"),
        ("FEDTASKS_BREAKER_FAILURE_RATE", "0", "between 0 (excluded) and 1, got '0'"),
        ("FEDTASKS_BREAKER", "maybe", "must be on or off, got 'maybe'"),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_name(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match="must") as raised:
        TransportSettings.from_env({name: value})

    assert str(raised.value).startswith(f"{name} must")
    assert message in str(raised.value)
