"""Hold a validated operation to the router's limits (:mod:`router.operation.limits`)."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode

from router.operation import limits_measure as measure
from router.operation.limits import (
    INTROSPECTION_DISABLED,
    MAX_ALIASES_EXCEEDED,
    MAX_DEPTH_EXCEEDED,
    MAX_ROOT_FIELDS_EXCEEDED,
    LimitExceeded,
    OperationLimits,
    over_limit,
)
from router.operation.limits_cost import CostCheck, check_cost


def enforce(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    limits: OperationLimits,
) -> CostCheck:
    """Check every limit; raise LimitExceeded for the first one the operation goes over.

    Returns the cost check still to run for each request when the cost reads variables.
    """
    if not limits.introspection and measure.uses_introspection(operation, fragments):
        raise LimitExceeded(
            INTROSPECTION_DISABLED,
            "Introspection is disabled on this router: __schema and __type are refused "
            "(FEDTASKS_INTROSPECTION=on enables them).",
        )
    checks = (
        (MAX_ROOT_FIELDS_EXCEEDED, "root fields", limits.max_root_fields, measure.root_field_count),
        (MAX_DEPTH_EXCEEDED, "depth", limits.max_depth, measure.depth),
        (MAX_ALIASES_EXCEEDED, "aliases", limits.max_aliases, measure.aliases),
    )
    for code, what, limit, measured in checks:
        if limit is not None:
            refusal = over_limit(code, what, measured(operation, fragments), limit)
            if refusal is not None:
                raise refusal
    return check_cost(
        schema,
        operation,
        fragments,
        limit=limits.max_cost,
        default_list_size=limits.default_list_size,
    )
