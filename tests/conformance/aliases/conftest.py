from __future__ import annotations

import pytest

from tests.conformance.aliases.subgraphs import posts, users
from tests.conformance.harness import Federation


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"users": users, "posts": posts})
