from __future__ import annotations

import pytest

from tests.conformance.abstract_types.subgraphs import news, pricing, shop, stock
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"shop": shop, "stock": stock, "pricing": pricing, "news": news})
