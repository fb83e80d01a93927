from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.dedup.subgraphs import CALLS, one_entity_app, products, reviews, users
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "products": products, "reviews": reviews})


@pytest.fixture(autouse=True)
def _calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.fixture(scope="module")
def short_users() -> Federation:
    return Federation(
        {"users": users, "products": products, "reviews": reviews}, apps={"users": one_entity_app}
    )
