from __future__ import annotations

import pytest

from tests.conformance.external.subgraphs import catalog, inventory
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"catalog": catalog, "inventory": inventory})
