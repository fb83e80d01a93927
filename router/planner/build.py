"""Build the query plan of one operation: route its fields, then schedule the fetches.

Pure and deterministic: the same supergraph, operation and override labels always give
the same plan. Queries send all root fields of a subgraph in one fetch and run root
fetches in parallel; mutations send each root field in its own fetch, in order (GraphQL
spec, "Executing a mutation": root fields execute serially).
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    VariableDefinitionNode,
)

from router.operation.root_fields import root_fields
from router.planner.conditions import literal_excluded, variable_condition
from router.planner.errors import PlanningError
from router.planner.fetch_groups import schedule
from router.planner.merge_siblings import merge_sibling_fetches
from router.planner.plan import Condition, Parallel, PlanNode, QueryPlan, Sequence
from router.planner.walk import Position, Walk
from router.supergraph.model import Supergraph


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        raise PlanningError(f"expected exactly one operation named {operation_name!r}")
    return operations[0]


def build_plan(
    supergraph: Supergraph,
    document: DocumentNode,
    operation_name: str | None = None,
    labels: frozenset[str] = frozenset(),
) -> QueryPlan:
    """The plan of the operation (validated against the supergraph's API schema)."""
    operation = _operation(document, operation_name)
    kind = operation.operation.value
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    definitions: dict[str, VariableDefinitionNode] = {
        v.variable.name.value: v for v in operation.variable_definitions or ()
    }
    root = supergraph.roots[kind]
    fields = [
        f
        for f in root_fields(tuple(operation.selection_set.selections), fragments)
        if not f.name.value.startswith("__") and not literal_excluded(tuple(f.directives or ()))
    ]
    if kind == "mutation":
        walk = Walk(supergraph, fragments, labels, kind)
        steps: list[PlanNode] = []
        for field in fields:
            start = len(walk.groups)
            group = walk.new_group(_root_resolver(walk, root, field), "root")
            walk.select(Position(group, group.selection, root, ()), [field])
            merge_sibling_fetches(walk.groups[start:])
            step = schedule(walk.groups[start:], definitions)
            if step is not None:
                steps.append(step)
        node: PlanNode | None = (
            None if not steps else steps[0] if len(steps) == 1 else Sequence(tuple(steps))
        )
        return QueryPlan(node)
    # Root fields under @skip/@include on a variable become Condition nodes (FED
    # query-planner-js/src/buildPlan.ts): their fetches run only when the branch is taken.
    partitions: dict[tuple[str, bool] | None, list[FieldNode]] = {}
    for field in fields:
        partitions.setdefault(variable_condition(tuple(field.directives or ())), []).append(field)
    nodes: list[PlanNode] = []
    for condition, members in partitions.items():
        walk = Walk(supergraph, fragments, labels, kind)
        node = _plan_query_fields(walk, root, members, definitions)
        if node is None:
            continue
        if condition is not None:
            variable, included = condition
            node = Condition(variable, node if included else None, None if included else node)
        nodes.append(node)
    if not nodes:
        return QueryPlan(None)
    return QueryPlan(nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes)))


def _plan_query_fields(
    walk: Walk,
    root: str,
    fields: list[FieldNode],
    definitions: dict[str, VariableDefinitionNode],
) -> PlanNode | None:
    for field in fields:
        preferred = {g.subgraph for g in walk.groups if g.kind == "root"}
        group = walk.root_group(_root_resolver(walk, root, field, preferred=preferred))
        walk.select(Position(group, group.selection, root, ()), [field])
    merge_sibling_fetches(walk.groups)
    return schedule(walk.groups, definitions)


def _root_resolver(
    walk: Walk, root: str, field: FieldNode, preferred: set[str] | None = None
) -> str:
    resolvers = walk.resolvers(root, field.name.value)
    if not resolvers:
        raise PlanningError(f'no subgraph resolves the root field "{root}.{field.name.value}"')
    for subgraph in resolvers:
        if preferred and subgraph in preferred:
            return subgraph
    return resolvers[0]
