from __future__ import annotations

import pytest

from tests.conformance.harness import Federation
from tests.conformance.query_graph.subgraphs import catalog, music, registry, studios


@pytest.fixture(scope="module")
def fed() -> Federation:
    return Federation(
        {"catalog": catalog, "music": music, "studios": studios, "registry": registry}
    )
