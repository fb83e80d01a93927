"""Counters the subgraphs expose on /metrics: SQL statements and GraphQL requests served.

Read before and after a stretch of requests, their difference says what those requests
cost the subgraphs (``subgraphs/common/metrics.py`` defines them).
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

STATEMENTS = "fedtasks_db_statements_total"
REQUESTS = "fedtasks_http_requests_total"


def counter(text: str, name: str, label: str = "") -> float:
    """The sum of counter ``name``'s samples in a Prometheus text page.

    Only samples whose labels contain ``label`` (e.g. ``path="/graphql"``) count.
    """
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels, _, value = line.rpartition(" ")
            if label in labels:
                total += float(value)
    return total


def page(graphql_url: str, headers: Mapping[str, str]) -> str:
    """The /metrics page of the service whose GraphQL endpoint is ``graphql_url``."""
    url = graphql_url.removesuffix("/graphql") + "/metrics"
    response = httpx.get(url, headers=dict(headers), timeout=10)
    response.raise_for_status()
    return response.text


def statements(urls: Mapping[str, str], headers: Mapping[str, str]) -> dict[str, int]:
    """SQL statements each subgraph (by name, at its GraphQL URL) has sent so far."""
    return {name: int(counter(page(url, headers), STATEMENTS)) for name, url in urls.items()}


def graphql_requests(urls: Mapping[str, str], headers: Mapping[str, str]) -> int:
    """GraphQL requests the subgraphs at ``urls`` have served so far, together."""
    label = 'path="/graphql"'
    return sum(int(counter(page(url, headers), REQUESTS, label)) for url in urls.values())
