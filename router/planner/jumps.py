"""Find the ways to reach a field the current subgraph cannot resolve, with their costs.

A jump is a key edge of the query graph into a vertex that resolves the field. Its
conditions, the key's fields, must be resolved first at the head: each one directly by
a field edge there, or by a jump of its own (a chain; never back through a subgraph
already on the chain). The cost model follows FED query-planner-js/src/buildPlan.ts: a
fetch costs ``FETCH``, a field ``FIELD``; a jump costs its fetch plus its conditions. The
search of a chain's conditions is branch-and-bound: a branch is dropped as soon as it
costs more than the best complete way found so far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graphql import FieldNode

from router.planner.field_sets import field_set_selections
from router.planner.query_graph import FieldEdge, KeyEdge, QueryGraph, Vertex

FETCH = 1000
FIELD = 1
UNREACHABLE = math.inf


@dataclass(frozen=True)
class Jump:
    """One way to reach a field: jump through ``edge``, then take ``field`` at its tail."""

    edge: KeyEdge
    field: FieldEdge
    cost: float


class JumpSearch:
    """Jump options and condition costs over one query graph, for one request's labels."""

    def __init__(self, graph: QueryGraph, labels: frozenset[str]) -> None:
        self.graph = graph
        self.labels = labels
        self._conditions: dict[tuple[Vertex, str, frozenset[str], frozenset[str]], float] = {}

    def options(
        self,
        head: Vertex,
        name: str,
        provided: frozenset[str] = frozenset(),
        *,
        excluded: frozenset[str] = frozenset(),
        own_subgraph: bool = False,
    ) -> list[Jump]:
        """Every reachable jump from ``head`` to a vertex resolving ``name``, cheapest first.

        ``own_subgraph`` asks for the jump back into ``head``'s own subgraph that a field
        with @requires needs; ``excluded`` names subgraphs not to jump to.
        """
        edges = self.graph.self_keys(head) if own_subgraph else self.graph.keys(head)
        jumps: list[Jump] = []
        for edge in edges:
            if edge.tail.subgraph in excluded:
                continue
            field = self.graph.field(edge.tail, name, self.labels)
            if field is None:
                continue
            # A jump that rewrites __typename into an @interfaceObject costs a field more
            # than one into the object type itself.
            base = FETCH + (FIELD if edge.rewrite else 0)
            visiting = frozenset({head.subgraph, edge.tail.subgraph})
            cost = base + self.conditions(head, edge.key, provided, visiting)
            if cost == UNREACHABLE:
                continue
            jumps.append(Jump(edge, field, cost))
        return sorted(jumps, key=lambda j: j.cost)

    def conditions(
        self,
        head: Vertex,
        field_set: str,
        provided: frozenset[str],
        visiting: frozenset[str],
        bound: float = UNREACHABLE,
    ) -> float:
        """The cost of resolving ``field_set`` at ``head``; UNREACHABLE when it cannot be.

        Returns UNREACHABLE as soon as the running cost passes ``bound`` (nothing costing
        that much can be chosen). Only the field set's top-level fields are routed here;
        their sub-selections come with them from the same subgraph.
        """
        memo = (head, field_set, provided, visiting)
        known = self._conditions.get(memo)
        if known is not None:
            return known if known <= bound else UNREACHABLE
        total = 0.0
        for selection in field_set_selections(field_set):
            if not isinstance(selection, FieldNode):
                return UNREACHABLE
            total += self._condition(head, selection.name.value, provided, visiting)
            if total > bound:
                return UNREACHABLE
        self._conditions[memo] = total
        return total

    def _condition(
        self, head: Vertex, name: str, provided: frozenset[str], visiting: frozenset[str]
    ) -> float:
        if name in provided or self.graph.field(head, name, self.labels) is not None:
            return FIELD
        cheapest = UNREACHABLE
        for edge in self.graph.keys(head):
            if edge.tail.subgraph in visiting:
                continue
            if self.graph.field(edge.tail, name, self.labels) is None:
                continue
            inner = self.conditions(
                head, edge.key, provided, visiting | {edge.tail.subgraph}, cheapest - FETCH - FIELD
            )
            cheapest = min(cheapest, FETCH + FIELD + inner)
        return cheapest
