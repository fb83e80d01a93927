"""Query planning: (supergraph, operation, override labels) -> an immutable QueryPlan."""
