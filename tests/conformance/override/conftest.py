from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.override.subgraphs import new, old


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"old": old, "new": new})


@pytest.fixture(scope="module")
def beta() -> Federation:
    return Federation({"old": old, "new": new}, enabled_labels=frozenset({"beta"}))
