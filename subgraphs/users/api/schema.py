"""The users subgraph's federation schema."""

from __future__ import annotations

from subgraphs.common.schema import SubgraphSchema, federation_schema
from subgraphs.users.api.mutations import Mutation
from subgraphs.users.api.queries import Query
from subgraphs.users.api.types import Task

# Task (its assignee) is reached only through _entities: no field here returns a Task.
schema: SubgraphSchema = federation_schema(query=Query, mutation=Mutation, entities=[Task])
