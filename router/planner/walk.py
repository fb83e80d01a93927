"""Walk a client operation over the supergraph and route every field to a fetch group.

For each field the walk keeps to the current subgraph when it can resolve the field (the
cheapest move: no new fetch). Otherwise it jumps through an @key to the cheapest subgraph
that resolves it: one whose entity fetch at this path already exists, else the one that
resolves most of the sibling fields, so fields sent to one subgraph share one fetch. Key
and @requires fields are planned like client fields, in the group that holds the entity,
and the jump's fetch depends on every group that provides them (FED
query-planner-js/src/buildPlan.ts works the same way over its query graph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListTypeNode,
    NonNullTypeNode,
    SelectionNode,
    TypeNode,
    parse_type,
)

from router.planner.errors import PlanningError
from router.planner.fetch_groups import FetchGroup, Required
from router.planner.field_sets import field_set_selections
from router.planner.selections import SelectionSet
from router.supergraph.model import FieldInGraph, Supergraph, TypeInfo

TYPENAME = "__typename"
Provided = dict[str, "Provided"]


def _named_and_lists(type_ref: str) -> tuple[str, int]:
    node: TypeNode = parse_type(type_ref)
    lists = 0
    while isinstance(node, (NonNullTypeNode, ListTypeNode)):
        if isinstance(node, ListTypeNode):
            lists += 1
        node = node.type
    return node.name.value, lists  # type: ignore[attr-defined]


def _provided_tree(selections: Sequence[SelectionNode]) -> Provided:
    tree: Provided = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            sub = tree.setdefault(selection.name.value, {})
            if selection.selection_set:
                sub.update(_provided_tree(selection.selection_set.selections))
        elif isinstance(selection, InlineFragmentNode):
            tree.update(_provided_tree(selection.selection_set.selections))
    return tree


@dataclass
class Position:
    """Where the walk stands: a group, the selection set being filled, the object type."""

    group: FetchGroup
    selections: SelectionSet
    type_name: str
    path: tuple[str, ...]
    provided: Provided = field(default_factory=dict)


class Walk:
    """Routes the fields of one operation into fetch groups."""

    def __init__(
        self,
        supergraph: Supergraph,
        fragments: dict[str, FragmentDefinitionNode],
        labels: frozenset[str],
        operation_kind: str,
    ) -> None:
        self.supergraph = supergraph
        self.fragments = fragments
        self.labels = labels
        self.operation_kind = "mutation" if operation_kind == "mutation" else "query"
        self.groups: list[FetchGroup] = []
        # Jumps being planned, to refuse a key whose own fields need the same jump.
        self.jumping: set[tuple[str, str, str]] = set()

    # -- resolution -------------------------------------------------------------------------

    def _active(self, declaration: FieldInGraph) -> bool:
        """Whether this declaration resolves the field under the request's override labels."""
        if declaration.external or declaration.used_overridden:
            return False
        label = declaration.override_label
        if label is None:
            return True
        overriding = declaration.override is not None
        return (label in self.labels) == overriding

    def resolvers(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that resolve ``type_name.field_name`` for this request."""
        info = self.supergraph.types[type_name].fields.get(field_name)
        if info is None:
            return []
        return [d.graph for d in info.declarations if self._active(d)]

    def declaration(self, type_name: str, field_name: str, graph: str) -> FieldInGraph | None:
        """The field's declaration in ``graph``."""
        info = self.supergraph.types[type_name].fields.get(field_name)
        return next((d for d in info.declarations if d.graph == graph), None) if info else None

    # -- groups -----------------------------------------------------------------------------

    def new_group(self, subgraph: str, kind: str, path: tuple[str, ...] = ()) -> FetchGroup:
        """A new, empty fetch group."""
        group = FetchGroup(
            id=len(self.groups),
            subgraph=subgraph,
            kind="entity" if kind == "entity" else "root",
            operation_kind="query" if kind == "entity" else self.operation_kind,  # type: ignore[arg-type]
            path=path,
        )
        self.groups.append(group)
        return group

    def entity_group(self, subgraph: str, parent: FetchGroup, path: tuple[str, ...]) -> FetchGroup:
        """The entity group for ``subgraph`` at ``path`` fed by ``parent``, reused if present."""
        for group in self.groups:
            if (
                group.kind == "entity"
                and group.subgraph == subgraph
                and group.path == path
                and parent.id in group.depends_on
            ):
                return group
        group = self.new_group(subgraph, "entity", path)
        group.depends_on.add(parent.id)
        return group

    # -- the walk ---------------------------------------------------------------------------

    def select(self, at: Position, selections: Sequence[SelectionNode]) -> set[int]:
        """Route ``selections`` from ``at``; returns the ids of the other groups used."""
        used: set[int] = set()
        for selection in selections:
            if isinstance(selection, FieldNode):
                used |= self._field(at, selection, selections)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    selection.type_condition.name.value if selection.type_condition else None
                )
                used |= self._fragment(
                    at,
                    condition,
                    tuple(selection.directives or ()),
                    selection.selection_set.selections,
                )
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                used |= self._fragment(
                    at,
                    fragment.type_condition.name.value,
                    tuple(selection.directives or ()),
                    fragment.selection_set.selections,
                )
        return used

    def _fragment(
        self,
        at: Position,
        condition: str | None,
        directives: tuple[DirectiveNode, ...],
        selections: Sequence[SelectionNode],
    ) -> set[int]:
        if condition is None or condition == at.type_name:
            target = at.selections.fragment(None, directives) if directives else at.selections
            return self.select(
                Position(at.group, target, at.type_name, at.path, at.provided), selections
            )
        parent_possible = set(self.supergraph.possible_types(at.type_name))
        condition_possible = set(self.supergraph.possible_types(condition))
        if not parent_possible & condition_possible:
            # A fragment that can never match: the object still comes back, as {}.
            at.selections.field(TYPENAME)
            return set()
        known = self.supergraph.types[condition].graphs
        if at.group.subgraph not in known:
            # This subgraph cannot name the type: narrow to the possible types it knows.
            used: set[int] = set()
            for runtime in sorted(parent_possible & condition_possible):
                if at.group.subgraph in self.supergraph.types[runtime].graphs:
                    used |= self._fragment(at, runtime, directives, selections)
            at.selections.field(TYPENAME)
            return used
        if parent_possible <= condition_possible and not directives:
            return self.select(at, selections)
        target = at.selections.fragment(condition, directives)
        return self.select(Position(at.group, target, condition, at.path, {}), selections)

    def _field(self, at: Position, node: FieldNode, siblings: Sequence[SelectionNode]) -> set[int]:
        name = node.name.value
        if name == TYPENAME:
            if at.type_name not in self.supergraph.roots.values():
                at.selections.field(TYPENAME, alias=node.alias.value if node.alias else None)
            return set()
        if name.startswith("__"):
            return set()  # introspection is answered by the router
        type_info = self.supergraph.types[at.type_name]
        if name not in type_info.fields:
            raise PlanningError(f'type "{at.type_name}" has no field "{name}"')
        resolvers = self.resolvers(at.type_name, name)
        if at.group.subgraph in resolvers or name in at.provided:
            return self._local_field(at, node, type_info)
        if type_info.kind == "interface" and not type_info.fields[name].interface_object_only:
            return self._explode(at, node)
        return self._jump(at, node, resolvers, siblings)

    def _local_field(self, at: Position, node: FieldNode, type_info: TypeInfo) -> set[int]:
        name = node.name.value
        target, lists = _named_and_lists(type_info.fields[name].type)
        target_info = self.supergraph.types.get(target)
        composite = target_info is not None and target_info.kind in ("object", "interface", "union")
        alias = node.alias.value if node.alias else None
        selected = at.selections.field(
            name,
            alias=alias,
            arguments=tuple(node.arguments or ()),
            directives=tuple(node.directives or ()),
            composite=composite,
        )
        if not composite or node.selection_set is None or selected.selections is None:
            return set()
        declaration = self.declaration(at.type_name, name, at.group.subgraph)
        provided = at.provided.get(name, {})
        if declaration is not None and declaration.provides:
            provided = _provided_tree(field_set_selections(declaration.provides))
        if target_info is not None and target_info.kind in ("interface", "union"):
            selected.selections.field(TYPENAME)
        path = (*at.path, selected.response_name, *("@",) * lists)
        child = Position(at.group, selected.selections, target, path, provided)
        return self.select(child, node.selection_set.selections)

    def _explode(self, at: Position, node: FieldNode) -> set[int]:
        """An interface field this subgraph cannot resolve: ask per implementation."""
        at.selections.field(TYPENAME)
        used: set[int] = set()
        for runtime in self.supergraph.possible_types(at.type_name):
            if at.group.subgraph in self.supergraph.types[runtime].graphs:
                target = at.selections.fragment(runtime)
                used |= self.select(Position(at.group, target, runtime, at.path, {}), [node])
        return used

    def _jump(
        self,
        at: Position,
        node: FieldNode,
        resolvers: list[str],
        siblings: Sequence[SelectionNode],
    ) -> set[int]:
        """Fetch the field from another subgraph through an @key of the current type."""
        target_type = at.type_name
        rewrite = None
        if not resolvers:
            resolvers, target_type = self._interface_object_resolvers(at.type_name, node.name.value)
            rewrite = target_type
        candidates = [g for g in resolvers if self._key_for(target_type, g) is not None]
        if not candidates:
            raise PlanningError(
                f'no subgraph can resolve "{at.type_name}.{node.name.value}" from subgraph '
                f'"{at.group.subgraph}": none has a resolvable @key for "{target_type}"'
            )
        subgraph = self._cheapest(at, candidates, siblings)
        key = self._key_for(target_type, subgraph)
        assert key is not None
        jump = (at.group.subgraph, at.type_name, subgraph)
        if jump in self.jumping:
            raise PlanningError(
                f'cannot fetch "{at.type_name}" from subgraph "{subgraph}": the fields of its '
                f'key "{key}" are not available in subgraph "{at.group.subgraph}"'
            )
        self.jumping.add(jump)
        try:
            return self._jump_to(at, node, subgraph, key, target_type, rewrite)
        finally:
            self.jumping.discard(jump)

    def _jump_to(
        self,
        at: Position,
        node: FieldNode,
        subgraph: str,
        key: str,
        target_type: str,
        rewrite: str | None,
    ) -> set[int]:
        group = self.entity_group(subgraph, at.group, at.path)
        required = group.requires.setdefault(at.type_name, Required())
        required.add(TYPENAME, TYPENAME)
        at.selections.field(TYPENAME)
        used = self._provide(at, key, required)
        declaration = self.declaration(target_type, node.name.value, subgraph)
        if declaration is not None and declaration.requires:
            used |= self._provide(at, declaration.requires, required)
        group.depends_on |= used
        if rewrite is not None:
            group.rewrites[at.type_name] = rewrite
        entity = Position(group, group.entity_selection(target_type), target_type, at.path, {})
        return {group.id} | self.select(entity, [node])

    def _interface_object_resolvers(self, type_name: str, field_name: str) -> tuple[list[str], str]:
        """A field of an implementation known only through an @interfaceObject."""
        for interface in sorted(
            {i for ifs in self.supergraph.types[type_name].implements.values() for i in ifs}
        ):
            info = self.supergraph.types.get(interface)
            if info is None or field_name not in info.fields:
                continue
            graphs = [
                g
                for g in self.resolvers(interface, field_name)
                if info.graphs.get(g) is not None and info.graphs[g].interface_object
            ]
            if graphs:
                return graphs, interface
        return [], type_name

    def _key_for(self, type_name: str, subgraph: str) -> str | None:
        type_in_graph = self.supergraph.types[type_name].graphs.get(subgraph)
        if type_in_graph is None or not type_in_graph.resolvable_keys:
            return None
        return type_in_graph.resolvable_keys[0].fields

    def _cheapest(
        self, at: Position, candidates: list[str], siblings: Sequence[SelectionNode]
    ) -> str:
        """Prefer a subgraph already fetched at this path, then the one resolving most siblings."""
        existing = {
            g.subgraph
            for g in self.groups
            if g.kind == "entity" and g.path == at.path and at.group.id in g.depends_on
        }
        names = [s.name.value for s in siblings if isinstance(s, FieldNode)]

        def cost(subgraph: str) -> tuple[int, int, str]:
            shared = sum(
                subgraph in self.resolvers(at.type_name, n)
                for n in names
                if n in self.supergraph.types[at.type_name].fields
            )
            return (0 if subgraph in existing else 1, -shared, subgraph)

        return min(candidates, key=cost)

    def _provide(self, at: Position, fields: str, required: Required) -> set[int]:
        """Plan a field set (key or @requires) at ``at`` and record it in ``required``."""
        selections = field_set_selections(fields)
        used = self.select(at, selections)
        _record(required, selections)
        return used


def _record(required: Required, selections: Sequence[SelectionNode]) -> None:
    for selection in selections:
        if isinstance(selection, FieldNode):
            sub = required.add(selection.name.value, selection.name.value)
            if selection.selection_set:
                _record(sub, selection.selection_set.selections)
        elif isinstance(selection, InlineFragmentNode):
            _record(required, selection.selection_set.selections)
