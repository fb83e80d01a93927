from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.skip_include.subgraphs import reviews, users


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "reviews": reviews})


@pytest.fixture(scope="module")
def users_down() -> Federation:
    return Federation({"users": users, "reviews": reviews}, down={"users"})


@pytest.fixture(scope="module")
def reviews_down() -> Federation:
    return Federation({"users": users, "reviews": reviews}, down={"reviews"})
