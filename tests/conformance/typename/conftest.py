from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.typename.subgraphs import shop, vet


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"shop": shop, "vet": vet})
