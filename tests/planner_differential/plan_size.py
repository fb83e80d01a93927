"""How big a query plan is: its Fetch nodes and the sequential fetch steps of its longest chain.

The same measure as ``tools/apollo-gateway/differential.mjs`` takes of Apollo's plans, on
the JSON form the router's plans share with Apollo's (``Sequence`` adds its steps,
``Parallel`` and ``Condition`` take their longest branch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlanSize:
    """A plan's number of fetches and the depth of its longest chain of fetches."""

    fetches: int
    depth: int


def plan_size(node: dict[str, Any] | None) -> PlanSize:
    """The size of a plan node (a ``QueryPlan``'s ``node``); empty for None."""
    if node is None:
        return PlanSize(0, 0)
    kind = node["kind"]
    if kind == "Fetch":
        return PlanSize(1, 1)
    if kind == "Flatten":
        return plan_size(node["node"])
    if kind in ("Sequence", "Parallel"):
        parts = [plan_size(n) for n in node["nodes"]]
        depths = [p.depth for p in parts]
        depth = sum(depths) if kind == "Sequence" else max(depths, default=0)
        return PlanSize(sum(p.fetches for p in parts), depth)
    if kind == "Condition":
        parts = [plan_size(node.get("ifClause")), plan_size(node.get("elseClause"))]
        return PlanSize(sum(p.fetches for p in parts), max(p.depth for p in parts))
    raise ValueError(f"plan node {kind} is not measured")
