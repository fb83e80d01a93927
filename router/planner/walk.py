"""Walk a client operation over the query graph and route every field to a fetch group.

The walk advances through the operation and the query graph together (FED
query-planner-js/src/buildPlan.ts). At each field it takes the vertex's field edge when
there is one (cost ``FIELD``: no new fetch). Otherwise it asks the jump search for the key
edges that reach a vertex resolving the field and takes the cheapest by the cost model:
a jump into an entity fetch that already exists at this path saves its ``FETCH``, and
among equal costs the subgraph that also resolves most sibling fields wins. A jump's
conditions (key and @requires fields) are planned like client fields, in the group that
holds the entity, and the jump's fetch depends on every group that provides them. An
interface field without a direct edge goes down the down-cast edges (type explosion). A
path that dead-ends, a value type no key edge leaves, backtracks to the entity above it
and takes the parent field from another subgraph.
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
    NamedTypeNode,
    NameNode,
    SelectionNode,
    SelectionSetNode,
)

from router.planner.client_level import ClientLevels, ClientNames
from router.planner.conditions import literal_excluded, variable_condition
from router.planner.errors import PlanningError
from router.planner.fetch_groups import FetchGroup, Required
from router.planner.field_sets import field_set_selections
from router.planner.jumps import FETCH, Jump, JumpSearch
from router.planner.possible_types import PossibleTypes
from router.planner.query_graph import FieldEdge, Vertex, query_graph, unwrap
from router.planner.selections import SelectionSet
from router.supergraph.model import Supergraph, TypeInfo

TYPENAME = "__typename"
INTERNAL_ALIAS = "fedtasks__"
MAX_JUMPS = 32
Provided = dict[str, "Provided"]


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


def _within_tree(tree: Provided, provided: Provided) -> bool:
    """Whether every field of ``tree`` is in ``provided``, at every depth."""
    return all(name in provided and _within_tree(sub, provided[name]) for name, sub in tree.items())


@dataclass
class Position:
    """Where the walk stands: a group, the selection set being filled, the object type."""

    group: FetchGroup
    selections: SelectionSet
    type_name: str
    path: tuple[str, ...]
    provided: Provided = field(default_factory=dict)
    # Response names the client uses here (-> field signature), to keep planner fields apart.
    client: ClientNames = field(default_factory=dict)
    # The position above and the field that led here (to fetch again from an ancestor).
    parent: Position | None = None
    via: FieldNode | None = None
    # Fields an entity fetch was made for: resolved here, whatever their @requires.
    local: frozenset[str] = frozenset()
    # The client's fields at this level by response name, through fragments: GraphQL
    # merges them, so their sub-selections share one set of response names.
    merged: dict[str, list[FieldNode]] = field(default_factory=dict)


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
        self.graph = query_graph(supergraph)
        self.search = JumpSearch(self.graph, labels)
        self.depth = 0
        # Entity fetches being set up (path, subgraph): not candidates for their own keys.
        self.pending: set[tuple[tuple[str, ...], str]] = set()
        self.levels = ClientLevels(supergraph, fragments)
        self.types = PossibleTypes(supergraph)

    # -- resolution -------------------------------------------------------------------------

    def resolvers(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that resolve ``type_name.field_name`` for this request."""
        return self.graph.resolvers(type_name, field_name, self.labels)

    def edge(self, type_name: str, field_name: str, graph: str) -> FieldEdge | None:
        """The active field edge for ``type_name.field_name`` in ``graph``."""
        return self.graph.field(Vertex(type_name, graph), field_name, self.labels)

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

    def root_group(self, subgraph: str) -> FetchGroup:
        """The query's root fetch to ``subgraph``, made if there is none yet."""
        for group in self.groups:
            if group.kind == "root" and group.subgraph == subgraph:
                return group
        return self.new_group(subgraph, "root")

    def entity_group(
        self,
        subgraph: str,
        parent: FetchGroup,
        path: tuple[str, ...],
        condition: tuple[str, bool] | None,
        source_type: str | None = None,
    ) -> FetchGroup:
        """The entity group for ``subgraph`` at ``path`` fed by ``parent``, reused if present.

        Fields selected under ``... on T`` and sent to a subgraph that knows ``T`` only as
        its interface (an @interfaceObject) go in a group of their own (``source_type``):
        that subgraph cannot tell the types apart, so only ``T``'s objects may be sent.
        """
        for group in self.groups:
            if (
                group.kind == "entity"
                and group.subgraph == subgraph
                and group.path == path
                and parent.id in group.depends_on
                and group.condition == condition
                and group.source_type == source_type
            ):
                return group
        group = self.new_group(subgraph, "entity", path)
        group.depends_on.add(parent.id)
        group.condition = condition
        group.source_type = source_type
        return group

    # -- the walk ---------------------------------------------------------------------------

    def select(self, at: Position, selections: Sequence[SelectionNode]) -> set[int]:
        """Route ``selections`` from ``at``; returns the ids of the other groups used."""
        used: set[int] = set()
        for selection in selections:
            directives = tuple(selection.directives or ())
            if literal_excluded(directives):
                continue
            if isinstance(selection, FieldNode):
                used |= self._field(at, selection, selections)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    selection.type_condition.name.value if selection.type_condition else None
                )
                used |= self._fragment(
                    at, condition, directives, selection.selection_set.selections
                )
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                used |= self._fragment(
                    at,
                    fragment.type_condition.name.value,
                    directives,
                    fragment.selection_set.selections,
                )
        return used

    def _within(self, at: Position, selections: SelectionSet, type_name: str) -> Position:
        return Position(
            at.group,
            selections,
            type_name,
            at.path,
            {},
            at.client,
            at.parent,
            at.via,
            merged=at.merged,
        )

    def _fragment(
        self,
        at: Position,
        condition: str | None,
        directives: tuple[DirectiveNode, ...],
        selections: Sequence[SelectionNode],
    ) -> set[int]:
        if condition is None or condition == at.type_name:
            target = at.selections.fragment(None, directives) if directives else at.selections
            inner = Position(
                at.group,
                target,
                at.type_name,
                at.path,
                at.provided,
                at.client,
                at.parent,
                at.via,
                merged=at.merged,
            )
            return self.select(inner, selections)
        parent_possible = set(self.supergraph.possible_types(at.type_name))
        condition_possible = set(self.supergraph.possible_types(condition))
        if not parent_possible & condition_possible:
            # A fragment that can never match: the object still comes back, as {}.
            at.selections.field(TYPENAME)
            return set()
        here = at.group.subgraph
        if not self.graph.knows(condition, here) and self._is_interface_object(at.type_name, here):
            fragment = InlineFragmentNode(
                type_condition=NamedTypeNode(name=NameNode(value=condition)),
                directives=directives,
                selection_set=SelectionSetNode(selections=tuple(selections)),
            )
            return self._elsewhere(at, fragment)
        if self.types.implements(at.type_name, condition):
            # A condition on an interface the parent implements selects the parent's fields.
            if not directives:
                return self.select(at, selections)
            target = at.selections.fragment(None, directives)
            return self.select(self._within(at, target, at.type_name), selections)
        local = self.types.in_subgraph(at.type_name, here)
        if self.supergraph.types[condition].kind != "object" or not self.graph.knows(
            condition, here
        ):
            # An abstract condition that is no supertype of the parent (a union member's
            # interface, an interface's other interface), or a type this subgraph cannot
            # name: narrow the type along the path, to each object type it can be here.
            used: set[int] = set()
            for runtime in sorted(parent_possible & condition_possible & local):
                if self.graph.knows(runtime, here):
                    used |= self._fragment(at, runtime, directives, selections)
            at.selections.field(TYPENAME)
            return used
        if condition not in local:
            # This subgraph's own union or interface never holds that type here: the
            # fragment cannot be sent to it (and could never match what it answers).
            at.selections.field(TYPENAME)
            return set()
        target = at.selections.fragment(condition, directives)
        return self.select(self._within(at, target, condition), selections)

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
        if name in at.provided or name in at.local:
            return self._local_field(at, node, type_info)
        edge = self.edge(at.type_name, name, at.group.subgraph)
        if edge is not None and type_info.kind == "interface" and self._provided_below(at, name):
            # An implementation @provides fields under this one here: asked per
            # implementation, those fields need no fetch of their own (the others' do).
            return self._explode(at, node)
        if edge is not None:
            required = _provided_tree(field_set_selections(edge.requires or ""))
            if edge.requires and not _within_tree(required, at.provided):
                # @requires: the field is resolved through _entities, with the required
                # fields in the representation, even by the subgraph we are in, unless
                # @provides gave this subgraph all of them on this path.
                return self._jump(at, node, siblings, own_subgraph=True)
            return self._local_field(at, node, type_info)
        if (
            type_info.kind == "interface"
            and not type_info.fields[name].interface_object_only
            and not self._is_interface_object(at.type_name, at.group.subgraph)
        ):
            return self._explode(at, node)
        # An @interfaceObject knows no implementations to down-cast to: the field comes
        # from a subgraph that has it on the interface, through the interface's key.
        return self._jump(at, node, siblings)

    def _provided_below(self, at: Position, name: str) -> bool:
        """Whether an implementation of the interface here @provides under field ``name``."""
        vertex = Vertex(at.type_name, at.group.subgraph)
        for down in self.graph.downcasts(vertex):
            edge = self.edge(down.tail.type_name, name, at.group.subgraph)
            if edge is not None and edge.provides:
                return True
        return False

    def _local_field(self, at: Position, node: FieldNode, type_info: TypeInfo) -> set[int]:
        name = node.name.value
        target, lists = unwrap(type_info.fields[name].type)
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
        edge = self.edge(at.type_name, name, at.group.subgraph)
        provided = at.provided.get(name, {})
        if edge is not None and edge.provides:
            # @provides: the provided fields resolve here only on this path.
            provided = _provided_tree(field_set_selections(edge.provides))
        if target_info is not None and target_info.kind in ("interface", "union"):
            selected.selections.field(TYPENAME)
        path = (*at.path, selected.response_name, *("@",) * lists)
        children = node.selection_set.selections
        same_name = at.merged.get(selected.response_name) or [node]
        level = [s for n in same_name if n.selection_set for s in n.selection_set.selections]
        child = Position(
            at.group,
            selected.selections,
            target,
            path,
            provided,
            self.levels.names(target, level),
            at,
            node,
            merged=self.levels.merged(target, level),
        )
        used: set[int] = set()
        if self._is_interface_object(target, at.group.subgraph):
            # The subgraph knows the interface only as an @interfaceObject: its
            # __typename is the interface's; the real type comes from a subgraph that
            # knows the implementations (reference, section 3, case 1).
            used = self._elsewhere(child, FieldNode(name=NameNode(value=TYPENAME)))
        used |= self.select(child, children)
        if at.group.operation_kind == "mutation" and target_info and target_info.kind == "object":
            used |= self._identify(child)
        return used

    def _identify(self, at: Position) -> set[int]:
        """Select an entity's ``__typename`` and key in a mutation's answer.

        The router's cache invalidates every entity a mutation returns
        (router/cache/caching_transport.py), so it must be able to name them; the shaper
        drops these fields when the client did not ask for them.
        """
        in_graph = self.supergraph.types[at.type_name].graphs.get(at.group.subgraph)
        if in_graph is None or not in_graph.keys:
            return set()
        fields = field_set_selections(in_graph.keys[0].fields)
        at.selections.field(TYPENAME)
        return self.select(at, [self._apart(at, s) for s in fields])

    def _is_interface_object(self, type_name: str, subgraph: str) -> bool:
        return self.graph.is_interface_object(Vertex(type_name, subgraph))

    def _elsewhere(self, at: Position, selection: SelectionNode) -> set[int]:
        """Resolve ``selection`` on an interface through a subgraph that owns the interface.

        An @interfaceObject vertex has no ``__typename`` edge: the cheapest jump to one
        that has it is a subgraph that knows the implementations.
        """
        options = self.search.options(Vertex(at.type_name, at.group.subgraph), TYPENAME)
        if not options:
            raise PlanningError(
                f'no subgraph owning the interface "{at.type_name}" can be reached from '
                f'subgraph "{at.group.subgraph}", which knows it as an @interfaceObject'
            )
        best = min(options, key=lambda j: (j.cost, j.edge.tail.subgraph))
        return self._enter(
            at, selection, best.edge.tail.subgraph, best.edge.key, at.type_name, None
        )

    def _explode(self, at: Position, node: FieldNode) -> set[int]:
        """An interface field this subgraph cannot resolve: follow the down-cast edges."""
        at.selections.field(TYPENAME)
        used: set[int] = set()
        for down in self.graph.downcasts(Vertex(at.type_name, at.group.subgraph)):
            runtime = down.tail.type_name
            target = at.selections.fragment(runtime)
            used |= self.select(self._within(at, target, runtime), [node])
        return used

    def _jump(
        self,
        at: Position,
        node: FieldNode,
        siblings: Sequence[SelectionNode],
        *,
        own_subgraph: bool = False,
    ) -> set[int]:
        """Fetch the field from a subgraph that resolves it, through an @key of the type."""
        self.depth += 1
        try:
            if self.depth > MAX_JUMPS:
                raise PlanningError(
                    f'"{at.type_name}.{node.name.value}" needs more than {MAX_JUMPS} nested '
                    "entity fetches; the supergraph's keys cannot be satisfied"
                )
            return self._jump_once(at, node, siblings, own_subgraph)
        finally:
            self.depth -= 1

    def _jump_once(
        self,
        at: Position,
        node: FieldNode,
        siblings: Sequence[SelectionNode],
        own_subgraph: bool,
    ) -> set[int]:
        excluded = frozenset(g for path, g in self.pending if path == at.path)
        options = self.search.options(
            Vertex(at.type_name, at.group.subgraph),
            node.name.value,
            frozenset(at.provided),
            excluded=excluded,
            own_subgraph=own_subgraph,
        )
        if not options:
            return self._from_ancestor(at, node, at.type_name)
        best = self._cheapest(at, options, siblings)
        edge = best.edge
        subgraph = edge.tail.subgraph
        self.pending.add((at.path, subgraph))
        try:
            return self._enter(at, node, subgraph, edge.key, edge.tail.type_name, edge.rewrite)
        finally:
            self.pending.discard((at.path, subgraph))

    def _enter(
        self,
        at: Position,
        node: SelectionNode,
        subgraph: str,
        key: str,
        target_type: str,
        rewrite: str | None,
    ) -> set[int]:
        """Make (or reuse) the entity fetch to ``subgraph`` and route the field into it."""
        condition = variable_condition(tuple(node.directives or ()))
        source_type = at.type_name if rewrite is not None else None
        group = self.entity_group(subgraph, at.group, at.path, condition, source_type)
        required = group.requires.setdefault(at.type_name, Required())
        required.add(TYPENAME, TYPENAME)
        if self.supergraph.types[at.type_name].kind == "interface":
            runtimes = tuple(self.supergraph.possible_types(at.type_name))
            group.runtime_types[at.type_name] = runtimes
            if self._is_interface_object(at.type_name, subgraph):
                # That subgraph knows no implementation: it is sent the interface's name.
                for runtime in runtimes:
                    group.rewrites.setdefault(runtime, at.type_name)
        at.selections.field(TYPENAME)
        used = self._provide(at, key, required)
        name = node.name.value if isinstance(node, FieldNode) else None
        edge = self.edge(target_type, name, subgraph) if name else None
        if edge is not None and edge.requires:
            used |= self._provide(at, edge.requires, required)
        group.depends_on |= used - {group.id}
        if rewrite is not None:
            group.rewrites[at.type_name] = rewrite
        entity = Position(
            group,
            group.entity_selection(target_type),
            target_type,
            at.path,
            {},
            at.client,
            at.parent,
            at.via,
            frozenset({name}) if name else frozenset(),
            at.merged,
        )
        return {group.id} | self.select(entity, [node])

    def _from_ancestor(self, at: Position, node: FieldNode, type_name: str) -> set[int]:
        """No key reaches this type: fetch the field again from the entity above it."""
        if at.parent is None and self.operation_kind == "query" and at.path == ():
            return self._from_other_root(at, node)
        if at.parent is None or at.via is None:
            raise PlanningError(
                f'no subgraph can resolve "{type_name}.{node.name.value}" from subgraph '
                f'"{at.group.subgraph}": none has a @key for "{type_name}" it can reach'
            )
        via = at.via
        again = FieldNode(
            alias=via.alias,
            name=NameNode(value=via.name.value),
            arguments=via.arguments,
            directives=via.directives,
            selection_set=SelectionSetNode(selections=(node,)),
        )
        return self._jump(at.parent, again, [])

    def _from_other_root(self, at: Position, node: FieldNode) -> set[int]:
        """A query root field that must come (also) from another subgraph's root.

        Every subgraph's query root is reachable from any other (FED query-planner-js
        root-type edges): a shareable root field whose selection one subgraph cannot
        finish is fetched again from another that resolves the rest, in its own root
        fetch; the answers merge. The subgraph that resolves most of the field's direct
        selections wins, then the first in the supergraph's order.
        """
        name = node.name.value
        others = [g for g in self.resolvers(at.type_name, name) if g != at.group.subgraph]
        if not others or at.group.kind != "root":
            raise PlanningError(
                f'no subgraph can resolve "{at.type_name}.{name}" from subgraph '
                f'"{at.group.subgraph}"'
            )
        target, _ = unwrap(self.supergraph.types[at.type_name].fields[name].type)
        children = [
            s.name.value
            for s in (node.selection_set.selections if node.selection_set else ())
            if isinstance(s, FieldNode)
        ]

        def resolved(subgraph: str) -> int:
            return sum(self.edge(target, child, subgraph) is not None for child in children)

        chosen = max(others, key=lambda g: (resolved(g), -others.index(g)))
        group = self.root_group(chosen)
        position = Position(group, group.selection, at.type_name, ())
        return {group.id} | self.select(position, [node])

    def _cheapest(
        self, at: Position, options: list[Jump], siblings: Sequence[SelectionNode]
    ) -> Jump:
        """The cheapest jump once this plan's state is known.

        A jump into an entity fetch that already exists at this path costs no new fetch;
        among equal costs, the subgraph that also resolves most sibling fields wins (they
        will share its fetch), then the subgraph's name, for determinism.
        """
        existing = {
            g.subgraph
            for g in self.groups
            if g.kind == "entity" and g.path == at.path and at.group.id in g.depends_on
        }
        fields = self.supergraph.types[at.type_name].fields
        names = [
            s.name.value for s in siblings if isinstance(s, FieldNode) and s.name.value in fields
        ]

        def cost(jump: Jump) -> tuple[float, int, str]:
            tail = jump.edge.tail
            shared = sum(self.edge(tail.type_name, n, tail.subgraph) is not None for n in names)
            saved = FETCH if tail.subgraph in existing else 0
            return (jump.cost - saved, -shared, tail.subgraph)

        return min(options, key=cost)

    def _provide(self, at: Position, fields: str, required: Required) -> set[int]:
        """Plan a key or @requires field set at ``at`` and record it in ``required``.

        A field whose response name the client uses for something else here is fetched
        under an internal alias, so the two never overwrite each other.
        """
        selections = [self._apart(at, s) for s in field_set_selections(fields)]
        used = self.select(at, selections)
        _record(required, selections)
        return used

    def _apart(self, at: Position, selection: SelectionNode) -> SelectionNode:
        if not isinstance(selection, FieldNode):
            return selection
        name = selection.name.value
        taken = at.client.get(name)
        if taken is None or taken == {self.levels.typed(at.type_name, selection)}:
            return selection
        return FieldNode(
            alias=NameNode(value=INTERNAL_ALIAS + name),
            name=selection.name,
            arguments=selection.arguments,
            directives=selection.directives,
            selection_set=selection.selection_set,
        )


def _record(required: Required, selections: Sequence[SelectionNode]) -> None:
    for selection in selections:
        if isinstance(selection, FieldNode):
            response = selection.alias.value if selection.alias else selection.name.value
            sub = required.add(selection.name.value, response)
            if selection.selection_set:
                _record(sub, selection.selection_set.selections)
        elif isinstance(selection, InlineFragmentNode):
            _record(required, selection.selection_set.selections)
