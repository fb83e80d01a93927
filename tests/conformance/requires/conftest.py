from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.harness import Federation
from tests.conformance.requires.subgraphs import SEEN, catalog, inventory, pricing


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"catalog": catalog, "pricing": pricing, "inventory": inventory})


@pytest.fixture(autouse=True)
def _seen() -> Iterator[None]:
    SEEN.clear()
    yield
    SEEN.clear()
