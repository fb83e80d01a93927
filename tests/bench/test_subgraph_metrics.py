"""Counters read from a Prometheus text page, as the subgraphs expose them."""

from __future__ import annotations

from subgraph_metrics import REQUESTS, STATEMENTS, counter

PAGE = """# HELP fedtasks_db_statements_total SQL statements sent to the database.
# TYPE fedtasks_db_statements_total counter
fedtasks_db_statements_total{service="tasks"} 42.0
fedtasks_db_statements_created{service="tasks"} 1.7e+09
fedtasks_http_requests_total{method="POST",path="/graphql",service="tasks",status="200"} 7.0
fedtasks_http_requests_total{method="POST",path="/graphql",service="tasks",status="401"} 2.0
fedtasks_http_requests_total{method="GET",path="/metrics",service="tasks",status="200"} 5.0
"""


def test_a_counter_sums_its_samples() -> None:
    assert counter(PAGE, STATEMENTS) == 42
    assert counter(PAGE, REQUESTS) == 14


def test_a_label_filter_keeps_matching_samples() -> None:
    assert counter(PAGE, REQUESTS, 'path="/graphql"') == 9


def test_a_missing_counter_is_zero() -> None:
    assert counter(PAGE, "fedtasks_nope_total") == 0
