"""Query plans: immutable trees of Apollo's node kinds, JSON-serialisable.

Node and field names are Apollo's (FED query-planner-js/src/QueryPlan.ts) so plans read
side by side with other routers' plans: Fetch (serviceName, variableUsages, requires,
operation, operationKind, inputRewrites), Flatten (path, ``@`` for each list element),
Sequence, Parallel, Condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class RequiredField:
    """A field a representation carries; ``response_name`` is where the data holds it."""

    name: str
    response_name: str
    selections: tuple[RequiredField, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Apollo's selection JSON."""
        out: dict[str, Any] = {"kind": "Field", "name": self.name}
        if self.response_name != self.name:
            out["alias"] = self.response_name
        if self.selections:
            out["selections"] = [s.to_json() for s in self.selections]
        return out


@dataclass(frozen=True)
class RequiredFragment:
    """The fields a representation of one type carries (``... on T { __typename id }``)."""

    type_condition: str
    selections: tuple[RequiredField, ...]

    def to_json(self) -> dict[str, Any]:
        """Apollo's inline fragment JSON."""
        return {
            "kind": "InlineFragment",
            "typeCondition": self.type_condition,
            "selections": [s.to_json() for s in self.selections],
        }


@dataclass(frozen=True)
class TypenameRewrite:
    """Set ``__typename`` of representations of ``type_condition`` to ``value``.

    Used when the target subgraph knows the type as an @interfaceObject: it expects the
    interface's name (Apollo's ValueSetter input rewrite).
    """

    type_condition: str
    value: str

    def to_json(self) -> dict[str, Any]:
        """Apollo's ValueSetter JSON."""
        return {
            "kind": "ValueSetter",
            "path": [f"... on {self.type_condition}", "__typename"],
            "setValueTo": self.value,
        }


@dataclass(frozen=True)
class Fetch:
    """One operation sent to one subgraph."""

    service_name: str
    operation: str
    operation_kind: Literal["query", "mutation"]
    variable_usages: tuple[str, ...] = ()
    requires: tuple[RequiredFragment, ...] = ()
    input_rewrites: tuple[TypenameRewrite, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Apollo's Fetch node JSON."""
        out: dict[str, Any] = {
            "kind": "Fetch",
            "serviceName": self.service_name,
            "variableUsages": list(self.variable_usages),
            "operation": self.operation,
            "operationKind": self.operation_kind,
        }
        if self.requires:
            out["requires"] = [r.to_json() for r in self.requires]
        if self.input_rewrites:
            out["inputRewrites"] = [r.to_json() for r in self.input_rewrites]
        return out


@dataclass(frozen=True)
class Flatten:
    """Run ``node`` on the objects found at ``path`` (``@``: each element of a list)."""

    path: tuple[str, ...]
    node: Fetch

    def to_json(self) -> dict[str, Any]:
        """Apollo's Flatten node JSON."""
        return {"kind": "Flatten", "path": list(self.path), "node": self.node.to_json()}


@dataclass(frozen=True)
class Sequence:
    """Run nodes one after the other."""

    nodes: tuple[PlanNode, ...]

    def to_json(self) -> dict[str, Any]:
        """Apollo's Sequence node JSON."""
        return {"kind": "Sequence", "nodes": [n.to_json() for n in self.nodes]}


@dataclass(frozen=True)
class Parallel:
    """Run nodes concurrently."""

    nodes: tuple[PlanNode, ...]

    def to_json(self) -> dict[str, Any]:
        """Apollo's Parallel node JSON."""
        return {"kind": "Parallel", "nodes": [n.to_json() for n in self.nodes]}


@dataclass(frozen=True)
class Condition:
    """Run ``if_clause`` when the boolean variable ``condition`` is true, else ``else_clause``."""

    condition: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None

    def to_json(self) -> dict[str, Any]:
        """Apollo's Condition node JSON."""
        out: dict[str, Any] = {"kind": "Condition", "condition": self.condition}
        if self.if_clause is not None:
            out["ifClause"] = self.if_clause.to_json()
        if self.else_clause is not None:
            out["elseClause"] = self.else_clause.to_json()
        return out


PlanNode = Fetch | Flatten | Sequence | Parallel | Condition


@dataclass(frozen=True)
class QueryPlan:
    """A whole plan; ``node`` is None when nothing needs fetching (only introspection)."""

    node: PlanNode | None

    def to_json(self) -> dict[str, Any]:
        """Apollo's QueryPlan JSON."""
        return {"kind": "QueryPlan", "node": None if self.node is None else self.node.to_json()}
