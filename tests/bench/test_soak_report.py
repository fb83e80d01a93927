"""The soak table: every process's trend, the router's deciding the run."""

from __future__ import annotations

from growth import Criterion
from memory import MIB, Memory
from soak_report import rows, trends


def _series(mib: list[float]) -> list[tuple[float, Memory]]:
    return [
        (i * 60.0, Memory(1, int(m * MIB), int(max(mib[: i + 1]) * MIB))) for i, m in enumerate(mib)
    ]


def test_a_growing_router_is_marked_and_decides() -> None:
    series = {
        "users": _series([90, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95]),
        "router": _series([60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80]),
    }
    found = trends(series, Criterion(max_slope=1, min_growth=4))
    assert [t.name for t in found] == ["users", "router"]
    assert not found[0].growth.keeps_growing
    assert found[1].growth.keeps_growing
    assert found[1].mib()[-1] == (600.0, 80.0)
    table = rows(found, "router")
    assert table[0][-1] == "keeps growing"
    assert table[1] == ["users", "1", "90.0", "95.0", "95.0", "95.0", "+0.000", "+0.00", "no"]
    assert table[2] == [
        "router (decides)",
        "1",
        "60.0",
        "70.0",
        "80.0",
        "80.0",
        "+2.000",
        "+10.00",
        "YES",
    ]
