"""The fedtasks API schema (from the committed supergraph) and a way to prepare operations on it."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLSchema

from router.operation.limits import NO_LIMITS, OperationLimits
from router.operation.prepare import PreparedOperation, prepare
from router.supergraph.reader import read_supergraph

SUPERGRAPH = Path(__file__).parents[3] / "schema" / "supergraph.graphql"
API_SCHEMA: GraphQLSchema = read_supergraph(SUPERGRAPH.read_text(encoding="utf-8")).api_schema


def prepared(query: str, limits: OperationLimits = NO_LIMITS) -> PreparedOperation:
    """``query`` parsed, validated and held to ``limits`` against the API schema."""
    return prepare(API_SCHEMA, query, None, limits)
