"""Fetch groups: the operations a plan will send, and how they depend on each other.

A group is one subgraph operation: a root operation, or an ``_entities`` operation for
the objects found at one response path. Groups become Fetch nodes; dependencies become
the Sequence and Parallel structure of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphql import VariableDefinitionNode, print_ast

from router.planner.plan import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    RequiredField,
    RequiredFragment,
    Sequence,
    TypenameRewrite,
)
from router.planner.selections import SelectionSet


@dataclass
class Required:
    """A tree of fields a representation needs: name -> (response name, sub-fields)."""

    fields: dict[str, tuple[str, Required]] = field(default_factory=dict)

    def add(self, name: str, response_name: str) -> Required:
        """The sub-tree under ``name``, added if absent."""
        if name not in self.fields:
            self.fields[name] = (response_name, Required())
        return self.fields[name][1]

    def merged(self, other: Required) -> Required:
        """A new tree with the fields of both."""
        out = Required()
        for tree in (self, other):
            for name, (response_name, sub) in tree.fields.items():
                if name in out.fields:
                    out.fields[name] = (out.fields[name][0], out.fields[name][1].merged(sub))
                else:
                    out.fields[name] = (response_name, sub.merged(Required()))
        return out

    def frozen(self) -> tuple[RequiredField, ...]:
        """The immutable form used by plans."""
        return tuple(
            RequiredField(name, response_name, sub.frozen())
            for name, (response_name, sub) in self.fields.items()
        )


@dataclass
class FetchGroup:
    """One subgraph operation being built."""

    id: int
    subgraph: str
    kind: Literal["root", "entity"]
    operation_kind: Literal["query", "mutation"]
    path: tuple[str, ...] = ()
    # Root groups: the root selection. Entity groups: selections per entity type.
    selection: SelectionSet = field(default_factory=SelectionSet)
    entity_selections: dict[str, SelectionSet] = field(default_factory=dict)
    requires: dict[str, Required] = field(default_factory=dict)
    rewrites: dict[str, str] = field(default_factory=dict)
    # Abstract types in ``requires`` -> their object types: an object found at the path may
    # already carry its concrete __typename (learnt from another subgraph), and its
    # representation is then made by the same fields.
    runtime_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    depends_on: set[int] = field(default_factory=set)
    # The object type whose objects this group fetches, when it is sent to a subgraph that
    # knows it only through an @interfaceObject: not shared with the interface's fetches.
    source_type: str | None = None
    # (variable, include?): fetch only when the client's @include/@skip lets it through.
    condition: tuple[str, bool] | None = None

    def entity_selection(self, type_name: str) -> SelectionSet:
        """The selections under ``... on type_name`` of this entity operation."""
        return self.entity_selections.setdefault(type_name, SelectionSet())

    def operation(
        self, definitions: dict[str, VariableDefinitionNode]
    ) -> tuple[str, tuple[str, ...]]:
        """The operation text and the client variables it uses."""
        if self.kind == "root":
            body = self.selection.printed()
            used = self.selection.variables()
        else:
            outer = SelectionSet()
            for type_name, selections in self.entity_selections.items():
                outer.fragment(type_name).items.extend(selections.items)
            body = "{_entities(representations:$representations)" + outer.printed() + "}"
            used = outer.variables()
        usages = tuple(sorted(used))
        declared = [
            print_ast(definitions[name]).replace(": ", ":").replace(" = ", "=")
            for name in usages
            if name in definitions
        ]
        if self.kind == "entity":
            declared.insert(0, "$representations:[_Any!]!")
        head = self.operation_kind + (f"({','.join(declared)})" if declared else "")
        return head + body, usages

    def fetch(self, definitions: dict[str, VariableDefinitionNode]) -> Fetch:
        """The group as a Fetch node."""
        operation, usages = self.operation(definitions)
        return Fetch(
            service_name=self.subgraph,
            operation=operation,
            operation_kind=self.operation_kind,
            variable_usages=usages,
            requires=tuple(
                RequiredFragment(type_name, required.frozen())
                for type_name, required in self._requires().items()
            ),
            input_rewrites=tuple(
                TypenameRewrite(type_name, value) for type_name, value in self.rewrites.items()
            ),
        )

    def _requires(self) -> dict[str, Required]:
        """``requires``, with each abstract type's fields also under its object types."""
        out = dict(self.requires)
        for abstract, runtimes in self.runtime_types.items():
            for runtime in runtimes:
                own = out.get(runtime)
                shared = self.requires[abstract]
                out[runtime] = shared.merged(Required()) if own is None else own.merged(shared)
        return out

    def node(self, definitions: dict[str, VariableDefinitionNode]) -> PlanNode:
        """The plan node: a Fetch, under a Flatten for entity groups, under its Condition."""
        fetch = self.fetch(definitions)
        node: PlanNode = fetch if self.kind == "root" else Flatten(self.path, fetch)
        if self.condition is None:
            return node
        variable, included = self.condition
        return Condition(variable, node if included else None, None if included else node)


def _wrap(kind: type[Sequence] | type[Parallel], nodes: list[PlanNode]) -> PlanNode:
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def schedule(
    groups: list[FetchGroup], definitions: dict[str, VariableDefinitionNode]
) -> PlanNode | None:
    """Groups in dependency order: a Sequence of Parallel stages.

    Each stage holds the groups whose dependencies all ran in earlier stages; groups with
    nothing to fetch are dropped.
    """
    pending = [g for g in groups if g.kind == "root" or g.entity_selections]
    done: set[int] = {g.id for g in groups} - {g.id for g in pending}
    stages: list[PlanNode] = []
    while pending:
        ready = [g for g in pending if g.depends_on <= done | {g.id}]
        if not ready:
            raise RuntimeError("fetch groups depend on each other in a cycle")
        stages.append(_wrap(Parallel, [g.node(definitions) for g in ready]))
        done |= {g.id for g in ready}
        pending = [g for g in pending if g.id not in done]
    if not stages:
        return None
    return _wrap(Sequence, stages)
