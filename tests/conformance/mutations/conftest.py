from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.harness import Federation
from tests.conformance.mutations.subgraphs import accounts, ledger, reset


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"accounts": accounts, "ledger": ledger})


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    reset()
    yield
    reset()
