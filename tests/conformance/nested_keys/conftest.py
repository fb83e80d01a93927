from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.harness import Federation
from tests.conformance.nested_keys.subgraphs import CALLS, payroll, staff


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation({"staff": staff, "payroll": payroll})


@pytest.fixture(autouse=True)
def _calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()
