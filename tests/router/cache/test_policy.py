"""What may be stored where, and what the client is told: the policy's decisions (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.cache.policy import (
    CacheControl,
    CachePolicy,
    PolicyError,
    Storage,
    parse_cache_control,
)
from router.cache.response_policy import ResponsePolicy

TASKS = [("Query", "tasks")]
ME = [("Query", "me")]
DECLARED = CachePolicy(public=frozenset({"Query.tasks", "Task"}), private=frozenset({"Query.me"}))


@pytest.mark.parametrize(
    ("header", "identified", "policy", "expected"),
    [
        # The subgraph says it is public: shared, for anyone.
        ("max-age=30, public", False, CachePolicy(), Storage(30, per_identity=False)),
        ("max-age=30, public", True, CachePolicy(), Storage(30, per_identity=False)),
        # max-age alone: shared for an anonymous caller, per identity for a signed-in one.
        ("max-age=30", False, CachePolicy(), Storage(30, per_identity=False)),
        ("max-age=30", True, CachePolicy(), Storage(30, per_identity=True)),
        # private: per identity, or not at all without one; configuration cannot widen it.
        ("max-age=30, private", True, CachePolicy(), Storage(30, per_identity=True)),
        ("max-age=30, private", False, CachePolicy(), None),
        ("max-age=30, private", False, DECLARED, None),
        # Saying nothing is not cacheable, unless the operator opts the fields in.
        (None, False, CachePolicy(), None),
        (None, True, CachePolicy(), None),
        (None, False, DECLARED, Storage(60, per_identity=False)),
        (None, True, DECLARED, Storage(60, per_identity=False)),
        # no-store and its kin always win.
        ("no-store", True, DECLARED, None),
        ("max-age=30, public, no-store", False, CachePolicy(), None),
        ("max-age=0, public", False, CachePolicy(), None),
        ("max-age=soon", False, CachePolicy(), None),
        # The router's TTL and the subgraph's max-age: the shorter.
        ("max-age=300, public", False, CachePolicy(default_ttl=20), Storage(20, False)),
        # Two headers joined, one private: private.
        ("max-age=30, public, private", True, CachePolicy(), Storage(30, per_identity=True)),
    ],
)
def test_where_a_root_answer_may_be_stored(
    header: str | None, identified: bool, policy: CachePolicy, expected: Storage | None
) -> None:
    control = parse_cache_control(header)
    assert policy.storage(control, coordinates=TASKS, nested=TASKS, identified=identified) == (
        expected
    )


def test_a_private_declaration_anywhere_in_the_answer_keeps_it_per_identity() -> None:
    policy = CachePolicy(public=frozenset({"Query"}), private=frozenset({"User.email"}))
    nested = [("Query", "users"), ("User", "email")]
    anonymous = policy.storage(CacheControl(), coordinates=TASKS, nested=nested, identified=False)
    signed_in = policy.storage(CacheControl(), coordinates=TASKS, nested=nested, identified=True)

    assert anonymous is None
    assert signed_in == Storage(60, per_identity=True)


def test_declared_private_fields_are_kept_per_identity_only() -> None:
    storage = DECLARED.storage(CacheControl(), coordinates=ME, nested=ME, identified=True)
    assert storage == Storage(60, per_identity=True)
    assert DECLARED.storage(CacheControl(), coordinates=ME, nested=ME, identified=False) is None


def test_an_answer_only_partly_declared_is_not_stored() -> None:
    both = [*TASKS, ("Query", "users")]
    assert DECLARED.storage(CacheControl(), coordinates=both, nested=both, identified=False) is None


def test_public_and_private_are_read_from_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / "cache.yaml"
    config.write_text("cache:\n  public: [Task, Query.tasks]\n  private: [Query.me]\n")

    policy = CachePolicy.from_env({"FEDTASKS_CACHE_CONFIG": str(config)})

    assert policy.public == {"Task", "Query.tasks"}
    assert policy.private == {"Query.me"}


@pytest.mark.parametrize("value", ["Task", "[1, 2]", "['']"])
def test_a_malformed_scope_list_is_refused(tmp_path: Path, value: str) -> None:
    config = tmp_path / "cache.yaml"
    config.write_text(f"cache:\n  public: {value}\n")

    with pytest.raises(PolicyError, match=r"cache\.public must be a list"):
        CachePolicy.from_env({"FEDTASKS_CACHE_CONFIG": str(config)})


def shared(seconds: float) -> CacheControl:
    return CacheControl(max_age=seconds, public=True)


def per_caller(seconds: float) -> CacheControl:
    return CacheControl(max_age=seconds, private=True)


@pytest.mark.parametrize(
    ("fetches", "mutation", "errors", "header"),
    [
        ([shared(60), shared(12.7)], False, False, "max-age=12, public"),
        ([shared(60), per_caller(30)], False, False, "max-age=30, private"),
        ([shared(60), CacheControl(no_store=True)], False, False, "no-store"),
        ([shared(60), CacheControl(max_age=0.4, public=True)], False, False, "no-store"),
        ([shared(60)], True, False, "no-store"),
        ([shared(60)], False, True, "no-store"),
        ([], False, False, "no-store"),
        # Never public for a part that was not declared public.
        ([shared(60), CacheControl(max_age=60)], False, False, "max-age=60, private"),
    ],
)
def test_the_clients_cache_control_is_the_strictest_of_its_fetches(
    fetches: list[CacheControl], mutation: bool, errors: bool, header: str
) -> None:
    policy = ResponsePolicy()
    for control in fetches:
        policy.add(control)
    assert policy.header(mutation=mutation, errors=errors) == header
