from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.root_fields.subgraphs import products, users


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "products": products})
