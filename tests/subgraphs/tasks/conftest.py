"""The tasks subgraph's tests act as a signed-in member, who creates (and so owns) the tasks."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.support.auth import as_user
from tests.support.graphql import GraphQLClient

TESTER = "tasks-tester"
"""The user id the tests' requests come from (as the router would name it)."""


@pytest.fixture
def tasks(tasks_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    """A client of the tasks subgraph, signed in as :data:`TESTER` (a member)."""
    return tasks_app[1].acting_as(as_user(TESTER))
