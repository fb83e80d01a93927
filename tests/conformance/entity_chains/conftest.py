from __future__ import annotations

import pytest

from tests.conformance.entity_chains.subgraphs import products, reviews, users
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "reviews": reviews, "products": products})
