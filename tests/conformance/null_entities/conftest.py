from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.null_entities.subgraphs import books, shelves


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"books": books, "shelves": shelves})
