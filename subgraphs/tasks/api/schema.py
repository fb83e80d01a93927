"""The tasks subgraph's federation schema."""

from __future__ import annotations

from subgraphs.common.schema import SubgraphSchema, federation_schema
from subgraphs.tasks.api.mutations import Mutation
from subgraphs.tasks.api.queries import Query
from subgraphs.tasks.api.types import User

# User (its tasks and taskCount) is reached only through _entities: no field here returns
# a User since the users subgraph resolves Task.assignee.
schema: SubgraphSchema = federation_schema(query=Query, mutation=Mutation, entities=[User])
