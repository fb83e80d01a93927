"""The users subgraph's tests act as an admin: only admins may create users or set roles."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.support.auth import as_admin
from tests.support.graphql import GraphQLClient


@pytest.fixture
def users(users_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    """A client of the users subgraph, signed in as an admin."""
    return users_app[1].acting_as(as_admin())
