from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.interface_object.subgraphs import accounts, activity


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"accounts": accounts, "activity": activity})
