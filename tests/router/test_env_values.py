"""Typed environment values: switches and seconds, defaults when unset or empty."""

from __future__ import annotations

import pytest

from router.env_values import seconds, switch
from router.transport.settings import TransportSettings


@pytest.mark.parametrize(
    ("raw", "expected"), [("on", True), ("TRUE", True), (" off ", False), ("false", False)]
)
def test_a_switch_reads_on_and_off(raw: str, expected: bool) -> None:
    assert switch({"X": raw}, "X", not expected) is expected


@pytest.mark.parametrize("environ", [{}, {"X": ""}, {"X": "  "}])
def test_an_unset_or_empty_switch_takes_its_default(environ: dict[str, str]) -> None:
    assert switch(environ, "X", True) is True
    assert switch(environ, "X", False) is False


def test_a_bad_switch_names_its_variable() -> None:
    with pytest.raises(ValueError, match=r"^X must be on or off, got 'maybe'$"):
        switch({"X": "maybe"}, "X", True)


def test_seconds_are_positive_unless_zero_is_allowed() -> None:
    assert seconds({"X": "0.5"}, "X", 1.0) == 0.5
    assert seconds({"X": "0"}, "X", 1.0, zero_allowed=True) == 0.0
    assert seconds({"X": ""}, "X", 1.0) == 1.0
    with pytest.raises(ValueError, match=r"^X must be a positive number of seconds, got '0'$"):
        seconds({"X": "0"}, "X", 1.0)
    with pytest.raises(
        ValueError, match=r"^X must be a number of seconds \(0 or more\), got '-1'$"
    ):
        seconds({"X": "-1"}, "X", 1.0, zero_allowed=True)
    with pytest.raises(ValueError, match=r"got 'nan'$"):
        seconds({"X": "nan"}, "X", 1.0, zero_allowed=True)


def test_an_empty_per_subgraph_timeout_keeps_the_general_one() -> None:
    settings = TransportSettings.from_env(
        {"FEDTASKS_SUBGRAPH_TIMEOUT": "3", "FEDTASKS_SUBGRAPH_TIMEOUT_USERS": ""}
    )
    assert settings.timeout_for("users") == 3.0
