"""The router's limits and safety settings from the environment."""

from __future__ import annotations

import pytest

from router.operation.limits import OperationLimits
from router.server.safety_config import SafetyConfig


def test_production_defaults() -> None:
    config = SafetyConfig.from_env({}, dev_mode=False)
    assert config == SafetyConfig(
        limits=OperationLimits(
            max_depth=15,
            max_aliases=30,
            max_root_fields=20,
            max_tokens=5000,
            max_cost=100_000,
            default_list_size=20,
            introspection=False,
            max_document_bytes=65_536,
            max_selections=100,
            max_fields=2000,
            prepare_seconds=2.0,
        ),
        max_body_bytes=1_048_576,
        max_batch=10,
        cors_origins=(),
        csrf_prevention=True,
        rate_limit=0,
        rate_limit_burst=0,
    )


def test_dev_mode_differs_only_in_introspection() -> None:
    dev = SafetyConfig.from_env({}, dev_mode=True)
    production = SafetyConfig.from_env({}, dev_mode=False)
    assert dev.limits.introspection is True
    assert dev.limits.max_depth == production.limits.max_depth
    assert SafetyConfig.from_env({"FEDTASKS_INTROSPECTION": "off"}, dev_mode=True).limits == (
        production.limits
    )


def test_every_variable() -> None:
    config = SafetyConfig.from_env(
        {
            "FEDTASKS_MAX_DEPTH": "7",
            "FEDTASKS_MAX_ALIASES": "0",
            "FEDTASKS_MAX_ROOT_FIELDS": "3",
            "FEDTASKS_MAX_TOKENS": "900",
            "FEDTASKS_MAX_COST": "500",
            "FEDTASKS_DEFAULT_LIST_SIZE": "50",
            "FEDTASKS_MAX_BODY_BYTES": "0",
            "FEDTASKS_MAX_BATCH": "2",
            "FEDTASKS_INTROSPECTION": "on",
            "FEDTASKS_CORS_ORIGINS": " https://a.example , https://b.example,",
            "FEDTASKS_CSRF": "off",
            "FEDTASKS_RATE_LIMIT": "120",
            "FEDTASKS_RATE_LIMIT_BURST": "20",
            "FEDTASKS_MAX_DOCUMENT_BYTES": "1000",
            "FEDTASKS_MAX_SELECTIONS": "0",
            "FEDTASKS_MAX_FIELDS": "40",
            "FEDTASKS_PREPARE_TIMEOUT": "0.5",
        },
        dev_mode=False,
    )
    assert config.limits == OperationLimits(
        max_depth=7,
        max_aliases=None,  # 0: no limit
        max_root_fields=3,
        max_tokens=900,
        max_cost=500,
        default_list_size=50,
        introspection=True,
        max_document_bytes=1000,
        max_selections=None,
        max_fields=40,
        prepare_seconds=0.5,
    )
    assert (config.max_body_bytes, config.max_batch) == (None, 2)
    assert config.cors_origins == ("https://a.example", "https://b.example")
    assert config.csrf_prevention is False
    assert (config.rate_limit, config.rate_limit_burst) == (120, 20)


def test_the_burst_defaults_to_the_rate() -> None:
    config = SafetyConfig.from_env({"FEDTASKS_RATE_LIMIT": "600"}, dev_mode=False)
    assert (config.rate_limit, config.rate_limit_burst) == (600, 600)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FEDTASKS_MAX_DEPTH", "-1", "FEDTASKS_MAX_DEPTH must be a whole number of 0 or more"),
        ("FEDTASKS_MAX_COST", "1e4", "FEDTASKS_MAX_COST must be a whole number"),
        ("FEDTASKS_INTROSPECTION", "maybe", "FEDTASKS_INTROSPECTION must be on or off"),
        ("FEDTASKS_CSRF", "0", "FEDTASKS_CSRF must be on or off"),
        ("FEDTASKS_PREPARE_TIMEOUT", "0", "FEDTASKS_PREPARE_TIMEOUT must be a positive number"),
    ],
)
def test_a_malformed_value_names_its_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SafetyConfig.from_env({name: value}, dev_mode=False)


def test_a_rate_limit_needs_a_burst_of_at_least_one() -> None:
    with pytest.raises(ValueError, match="FEDTASKS_RATE_LIMIT_BURST must be at least 1"):
        SafetyConfig.from_env(
            {"FEDTASKS_RATE_LIMIT": "60", "FEDTASKS_RATE_LIMIT_BURST": "0"}, dev_mode=False
        )
