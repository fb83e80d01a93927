"""The tasks subgraph's federation schema."""

from __future__ import annotations

from subgraphs.common.schema import SubgraphSchema, federation_schema
from subgraphs.tasks.api.mutations import Mutation
from subgraphs.tasks.api.queries import Query

schema: SubgraphSchema = federation_schema(query=Query, mutation=Mutation)
