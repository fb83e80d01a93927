"""Plan snapshots of aliases (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_keeps_aliases_with_their_arguments_in_the_entity_fetch(fed: Federation) -> None:
    plan = fed.plan('{ posts { author { en: greeting(lang: "en") fr: greeting(lang: "fr") } } }')

    assert_snapshot(plan, HERE / "plan_aliases.json")
