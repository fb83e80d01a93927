from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.harness import Federation
from tests.conformance.provides.subgraphs import CALLS, accounts, reviews


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"accounts": accounts, "reviews": reviews})


@pytest.fixture(autouse=True)
def _calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()
