"""Documents built to cost CPU, against the real router: each refused with its code, and a
well-behaved client answered meanwhile (tests/hostile/probe.py)."""

from __future__ import annotations

import http.client
import time

import orjson
import pytest

from tests.hostile.conftest import RouterProcess
from tests.hostile.probe import Probe, post


def root_bomb(levels: int) -> str:
    below = " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    )
    return f"query {{ ...F{levels} }} fragment F0 on Query {{ __typename }} {below}"


# Within every limit measured before validation (95 x 20 fields, 95 selections at the
# root), yet graphql-core compares the 95 root fields pairwise with their subfields:
# about 0.2 s of validation, over the 0.1 s deadline the conftest sets.
SLOW_TO_VALIDATE = "{ " + ("users { edges { node { " + "id " * 17 + "} } } ") * 95 + "}"

ATTACKS = [
    pytest.param(root_bomb(40), "MAX_FIELDS_EXCEEDED", id="root-fragment-bomb-2^40"),
    pytest.param(
        "{ users { edges { node { ...U30 } } } } fragment U0 on User { id } "
        + " ".join(f"fragment U{i} on User {{ ...U{i - 1} ...U{i - 1} }}" for i in range(1, 31)),
        "MAX_FIELDS_EXCEEDED",
        id="nested-fragment-bomb-2^30",
    ),
    pytest.param("{ " + "__typename " * 500 + "}", "MAX_SELECTIONS_EXCEEDED", id="one-field-x500"),
    pytest.param("{ " + "a: __typename " * 2600 + "}", "MAX_TOKENS_EXCEEDED", id="many-tokens"),
    pytest.param("{ __typename }" + " " * 70_000, "MAX_DOCUMENT_SIZE_EXCEEDED", id="64-kib-plus"),
    pytest.param(SLOW_TO_VALIDATE, "MAX_PREPARE_TIME_EXCEEDED", id="slow-to-validate"),
]


def attack(router: RouterProcess, query: str, times: int) -> list[tuple[int, str, float]]:
    """Send ``query`` ``times`` times, each with a new comment: status, code, seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", router.port, timeout=60)
    outcomes = []
    try:
        for turn in range(times):
            body = orjson.dumps({"query": f"# attempt {turn}\n{query}"})
            started = time.perf_counter()
            status, raw = post(connection, body)
            seconds = time.perf_counter() - started
            code = orjson.loads(raw)["errors"][0]["extensions"]["code"]
            outcomes.append((status, code, seconds))
    finally:
        connection.close()
    return outcomes


@pytest.mark.parametrize(("query", "code"), ATTACKS)
def test_the_attack_is_refused_and_others_are_served(
    router: RouterProcess, query: str, code: str
) -> None:
    with Probe(router.port) as probe:
        outcomes = attack(router, query, 5)
    assert {(status, got) for status, got, _ in outcomes} == {(400, code)}
    probe.assert_served()
