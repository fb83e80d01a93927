"""The workloads' request schedules and the signed-in client's token."""

from __future__ import annotations

import jwt
import orjson
import pytest
from router_latency import QUERIES
from workloads import (
    LOOKUP,
    LOOKUPS_PER_CLIENT,
    WRITE,
    Fixture,
    mix_schedule,
    scenarios,
    token,
)

SECRET = "s" * 32
FIXTURE = Fixture(
    user_id="7",
    token="t",
    lookup_ids=tuple(str(i) for i in range(100, 120)),
    own_tasks=("900", "901", "902", "903"),
)


def _decoded(schedule: tuple[bytes, ...]) -> list[dict[str, object]]:
    return [orjson.loads(body) for body in schedule]


def test_the_token_is_what_the_router_verifies() -> None:
    claims = jwt.decode(token(SECRET, "7", lifetime=600), SECRET, algorithms=["HS256"],
                        issuer="fedtasks")  # fmt: skip
    assert claims["sub"] == "7"
    assert claims["exp"] - claims["iat"] == 600
    assert claims["scope"] == "member"
    assert FIXTURE.headers == {"authorization": "Bearer t"}


def test_the_mix_is_nine_reads_to_one_write_on_the_clients_own_task() -> None:
    requests = _decoded(mix_schedule(FIXTURE, 2))
    assert len(requests) == 20
    writes = [r for r in requests if r["query"] == WRITE]
    assert [i for i, r in enumerate(requests) if r["query"] == WRITE] == [9, 19]
    assert {w["variables"]["id"] for w in writes} == {"902"}  # type: ignore[index]
    assert len({w["variables"]["title"] for w in writes}) == 2  # type: ignore[index]
    reads = [r["query"] for r in requests if r["query"] != WRITE]
    assert reads.count(QUERIES["Q1"]) == reads.count(QUERIES["Q2"]) == reads.count(LOOKUP) == 6


def test_each_client_looks_up_its_own_tasks() -> None:
    [lookup] = scenarios(FIXTURE, 4, ("lookup",))
    ids = [[orjson.loads(b)["variables"]["id"] for b in s] for s in lookup.schedules]
    assert len(ids) == 4
    assert all(len(client) == LOOKUPS_PER_CLIENT for client in ids)
    assert len({i for client in ids for i in client}) == 4 * LOOKUPS_PER_CLIENT
    assert lookup.probe == (LOOKUP, {"id": "100"})


def test_scenarios_come_in_the_order_asked_and_only_reads_have_a_probe() -> None:
    found = scenarios(FIXTURE, 3, ("mix", "Q2", "Q1"))
    assert [s.name for s in found] == ["mix", "Q2", "Q1"]
    assert found[0].probe is None
    assert found[1].probe == (QUERIES["Q2"], {})
    assert all(len(s.schedules) == 3 for s in found)


def test_an_unknown_scenario_is_refused() -> None:
    with pytest.raises(KeyError):
        scenarios(FIXTURE, 1, ("nope",))
