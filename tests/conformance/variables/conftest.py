from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.variables.subgraphs import catalog, reviews


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"catalog": catalog, "reviews": reviews})
