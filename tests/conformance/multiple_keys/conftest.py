from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.multiple_keys.subgraphs import accounts, karma, newsletter


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"accounts": accounts, "newsletter": newsletter, "karma": karma})
