"""The suite's tables, failures and page, from made-up figures."""

from __future__ import annotations

from suite import arguments, run_info
from suite_page import page
from suite_report import failed, load_rows, memory_rows, overhead_rows, scaling_rows, tables

from tests.bench.fake_results import memory, results

ROUTERS = ["router", "router-2w"]


def test_load_rows_show_rate_percentiles_failures_and_statements_per_target() -> None:
    rows = load_rows(results())
    assert rows[0] == [
        "workload",
        "target",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "failed",
        "SQL statements/request (tasks + users)",
    ]
    assert rows[1] == ["Q1", "router", "100.0", "55.00", "95.50", "99.10", "0", "1 + 1 = 2"]
    assert rows[4][:2] == ["mix", "router"]
    assert rows[4][-1] == "1.1 + 1 = 2.1"
    assert rows[6][6] == "2"


def test_scaling_rows_compare_workers_and_the_gateway() -> None:
    rows = scaling_rows(results(), ROUTERS)
    assert rows[0] == [
        "workload",
        "router req/s",
        "router-2w req/s",
        "router-2w / router",
        "gateway req/s",
        "router / gateway",
    ]
    assert rows[1] == ["Q1", "100.0", "180.0", "1.80", "50.0", "2.00"]


def test_overhead_rows_leave_out_the_workloads_that_write() -> None:
    rows = overhead_rows(results())
    assert [row[0] for row in rows] == ["workload", "Q1"]
    assert rows[1][1] == "2"
    assert rows[1][2] == "12.00"
    assert rows[1][-1] == "1.20"


def test_memory_rows_show_before_after_and_peak() -> None:
    rows = memory_rows(memory(50), memory(60))
    assert rows[0] == ["process", "processes", "RSS before MiB", "RSS after MiB", "peak RSS MiB"]
    assert ["router-2w", "3", "150.0", "180.0", "183.0"] in rows


def test_failed_names_each_target_with_failures() -> None:
    assert failed(results()) == ["mix via gateway: 2 failed, first: HTTP 502: bad gateway"]


def test_the_page_holds_every_table_and_the_chart() -> None:
    versions = {"commit": "abc1234", "python": "3.11", "node": "v20", "gateway": "2"}
    info = run_info(arguments([]), (0.5, 1.5), {**versions, "server": "5"})
    text = page(results(), info, (memory(50), memory(60)))
    assert "![throughput, latency and memory](bench-suite.png)" in text
    assert "`router` (1), `router-2w` (2)" in text
    assert "--users 100" in text
    for rows in tables(results(), ROUTERS, memory(50), memory(60)).values():
        assert "| " + " | ".join(rows[-1]) + " |" in text
    assert "- mix via gateway: 2 failed" in text
