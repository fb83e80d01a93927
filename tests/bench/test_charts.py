"""The PNG charts are written from made-up figures (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path

from charts import soak_chart, suite_chart

from tests.bench.fake_results import memory, results

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_suite_chart_is_a_png(tmp_path: Path) -> None:
    path = tmp_path / "suite.png"
    suite_chart(path, results(), memory(60), "suite")
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_the_soak_chart_is_a_png_with_the_trend(tmp_path: Path) -> None:
    path = tmp_path / "soak.png"
    series = {
        "router": [(0.0, 60.0), (30.0, 61.0), (60.0, 61.5)],
        "users": [(0.0, 90.0), (30.0, 95.0), (60.0, 95.0)],
    }
    soak_chart(path, series, {"router": ((30.0, 61.0), (60.0, 61.5))}, "soak")
    assert path.read_bytes().startswith(PNG_SIGNATURE)
