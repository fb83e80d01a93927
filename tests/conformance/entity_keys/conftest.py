from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.entity_keys.subgraphs import CALLS, accounts, orders, reviews, shipping
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation(
        {"accounts": accounts, "reviews": reviews, "shipping": shipping, "orders": orders}
    )


@pytest.fixture(autouse=True)
def _calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()
