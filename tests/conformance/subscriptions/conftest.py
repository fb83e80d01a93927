from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.subscriptions.subgraphs import ticks


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"ticks": ticks})
