"""The users subgraph's federation schema."""

from __future__ import annotations

import strawberry

from subgraphs.common.schema import SubgraphSchema, federation_schema
from subgraphs.users.api.auth import AuthMutation
from subgraphs.users.api.mutations import UserMutation
from subgraphs.users.api.queries import Query
from subgraphs.users.api.types import Task


@strawberry.type
class Mutation(UserMutation, AuthMutation):
    """Root mutation fields of the users subgraph."""


# Task (its assignee) is reached only through _entities: no field here returns a Task.
schema: SubgraphSchema = federation_schema(query=Query, mutation=Mutation, entities=[Task])
