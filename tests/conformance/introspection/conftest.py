from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.introspection.subgraphs import reviews, users


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "reviews": reviews})
