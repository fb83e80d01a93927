from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.subgraph_down.subgraphs import broken_app, reviews, users


@pytest.fixture(scope="module")
def reviews_down() -> Federation:
    return Federation({"users": users, "reviews": reviews}, down={"reviews"})


@pytest.fixture(scope="module")
def users_down() -> Federation:
    return Federation({"users": users, "reviews": reviews}, down={"users"})


@pytest.fixture(scope="module")
def reviews_broken() -> Federation:
    return Federation({"users": users, "reviews": reviews}, apps={"reviews": broken_app})
