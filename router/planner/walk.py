"""Walk a client operation over the supergraph and route every field to a fetch group.

For each field the walk keeps to the current subgraph when it can resolve the field (the
cheapest move: no new fetch). Otherwise it jumps through an @key to the cheapest subgraph
that resolves it: one whose entity fetch at this path already exists, else one reached by
a direct key, else the one that resolves most sibling fields. Key and @requires fields
are planned like client fields, in the group that holds the entity, and the jump's fetch
depends on every group that provides them. A field under a value type that no key can
reach is fetched again from an ancestor entity (FED query-planner-js/src/buildPlan.ts
explores the same moves over its query graph).
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
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    SelectionNode,
    SelectionSetNode,
    TypeNode,
    parse_type,
    print_ast,
)

from router.planner.conditions import literal_excluded, variable_condition
from router.planner.errors import PlanningError
from router.planner.fetch_groups import FetchGroup, Required
from router.planner.field_sets import field_set_selections
from router.planner.keys import KeyChooser
from router.planner.selections import SelectionSet
from router.supergraph.model import FieldInGraph, Supergraph, TypeInfo

TYPENAME = "__typename"
INTERNAL_ALIAS = "fedtasks__"
MAX_JUMPS = 32
Provided = dict[str, "Provided"]
ClientNames = dict[str, str]


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


def _signature(node: FieldNode) -> str:
    args = ",".join(f"{a.name.value}:{print_ast(a.value)}" for a in node.arguments or ())
    return f"{node.name.value}({args})"


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
        self.keys = KeyChooser(supergraph, self.resolvers)
        self.depth = 0
        # Entity fetches being set up (path, subgraph): not candidates for their own keys.
        self.pending: set[tuple[tuple[str, ...], str]] = set()

    # -- resolution -------------------------------------------------------------------------

    def _active(self, declaration: FieldInGraph) -> bool:
        """Whether this declaration resolves the field under the request's override labels."""
        if declaration.external or declaration.used_overridden:
            return False
        label = declaration.override_label
        if label is None:
            return True
        return (label in self.labels) == (declaration.override is not None)

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

    def entity_group(
        self,
        subgraph: str,
        parent: FetchGroup,
        path: tuple[str, ...],
        condition: tuple[str, bool] | None,
    ) -> FetchGroup:
        """The entity group for ``subgraph`` at ``path`` fed by ``parent``, reused if present."""
        for group in self.groups:
            if (
                group.kind == "entity"
                and group.subgraph == subgraph
                and group.path == path
                and parent.id in group.depends_on
                and group.condition == condition
            ):
                return group
        group = self.new_group(subgraph, "entity", path)
        group.depends_on.add(parent.id)
        group.condition = condition
        return group

    # -- the walk ---------------------------------------------------------------------------

    def client_names(self, type_name: str, selections: Sequence[SelectionNode]) -> ClientNames:
        """Response names the client selects at this level, with their field signatures."""
        names: ClientNames = {}
        for selection in selections:
            if isinstance(selection, FieldNode):
                response = selection.alias.value if selection.alias else selection.name.value
                names.setdefault(response, _signature(selection))
            elif isinstance(selection, InlineFragmentNode):
                names.update(self.client_names(type_name, selection.selection_set.selections))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                names.update(self.client_names(type_name, fragment.selection_set.selections))
        return names

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
        return Position(at.group, selections, type_name, at.path, {}, at.client, at.parent, at.via)

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
                at.group, target, at.type_name, at.path, at.provided, at.client, at.parent, at.via
            )
            return self.select(inner, selections)
        parent_possible = set(self.supergraph.possible_types(at.type_name))
        condition_possible = set(self.supergraph.possible_types(condition))
        if not parent_possible & condition_possible:
            # A fragment that can never match: the object still comes back, as {}.
            at.selections.field(TYPENAME)
            return set()
        if at.group.subgraph not in self.supergraph.types[condition].graphs and (
            self._is_interface_object(at.type_name, at.group.subgraph)
        ):
            fragment = InlineFragmentNode(
                type_condition=NamedTypeNode(name=NameNode(value=condition)),
                directives=directives,
                selection_set=SelectionSetNode(selections=tuple(selections)),
            )
            return self._elsewhere(at, fragment)
        if at.group.subgraph not in self.supergraph.types[condition].graphs:
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
        resolvers = self.resolvers(at.type_name, name)
        here = at.group.subgraph
        if name in at.provided or name in at.local:
            return self._local_field(at, node, type_info)
        if here in resolvers:
            declaration = self.declaration(at.type_name, name, here)
            if declaration is not None and declaration.requires:
                # @requires: the field is resolved through _entities, with the required
                # fields in the representation, even by the subgraph we are in.
                return self._jump(at, node, [here], siblings)
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
        children = node.selection_set.selections
        child = Position(
            at.group,
            selected.selections,
            target,
            path,
            provided,
            self.client_names(target, children),
            at,
            node,
        )
        used: set[int] = set()
        if self._is_interface_object(target, at.group.subgraph):
            # The subgraph knows the interface only as an @interfaceObject: its
            # __typename is the interface's; the real type comes from a subgraph that
            # knows the implementations (reference, section 3, case 1).
            used = self._elsewhere(child, FieldNode(name=NameNode(value=TYPENAME)))
        return used | self.select(child, children)

    def _is_interface_object(self, type_name: str, subgraph: str) -> bool:
        info = self.supergraph.types.get(type_name)
        in_graph = info.graphs.get(subgraph) if info else None
        return in_graph is not None and in_graph.interface_object

    def _elsewhere(self, at: Position, selection: SelectionNode) -> set[int]:
        """Resolve ``selection`` on an interface through a subgraph that owns the interface."""
        owners = [
            g
            for g, in_graph in self.supergraph.types[at.type_name].graphs.items()
            if not in_graph.interface_object and in_graph.resolvable_keys
        ]
        options = {
            g: choice
            for g in owners
            if (choice := self.keys.choose(at.group.subgraph, at.type_name, g))
        }
        if not options:
            raise PlanningError(
                f'no subgraph owning the interface "{at.type_name}" can be reached from '
                f'subgraph "{at.group.subgraph}", which knows it as an @interfaceObject'
            )
        subgraph = min(options, key=lambda g: (0 if options[g][1] else 1, g))
        return self._enter(at, selection, subgraph, options[subgraph][0], at.type_name, None)

    def _explode(self, at: Position, node: FieldNode) -> set[int]:
        """An interface field this subgraph cannot resolve: ask per implementation."""
        at.selections.field(TYPENAME)
        used: set[int] = set()
        for runtime in self.supergraph.possible_types(at.type_name):
            if at.group.subgraph in self.supergraph.types[runtime].graphs:
                target = at.selections.fragment(runtime)
                used |= self.select(self._within(at, target, runtime), [node])
        return used

    def _jump(
        self,
        at: Position,
        node: FieldNode,
        resolvers: list[str],
        siblings: Sequence[SelectionNode],
    ) -> set[int]:
        """Fetch the field from a subgraph that resolves it, through an @key of the type."""
        self.depth += 1
        try:
            if self.depth > MAX_JUMPS:
                raise PlanningError(
                    f'"{at.type_name}.{node.name.value}" needs more than {MAX_JUMPS} nested '
                    "entity fetches; the supergraph's keys cannot be satisfied"
                )
            return self._jump_once(at, node, resolvers, siblings)
        finally:
            self.depth -= 1

    def _jump_once(
        self,
        at: Position,
        node: FieldNode,
        resolvers: list[str],
        siblings: Sequence[SelectionNode],
    ) -> set[int]:
        target_type = at.type_name
        rewrite = None
        if not resolvers:
            resolvers, target_type = self._interface_object_resolvers(at.type_name, node.name.value)
            rewrite = target_type
        provided = frozenset(at.provided)
        options = {
            g: choice
            for g in resolvers
            if (at.path, g) not in self.pending
            and (choice := self.keys.choose(at.group.subgraph, target_type, g, provided))
        }
        if not options:
            return self._from_ancestor(at, node, target_type)
        subgraph = self._cheapest(at, options, siblings)
        self.pending.add((at.path, subgraph))
        try:
            return self._enter(at, node, subgraph, options[subgraph][0], target_type, rewrite)
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
        group = self.entity_group(subgraph, at.group, at.path, condition)
        required = group.requires.setdefault(at.type_name, Required())
        required.add(TYPENAME, TYPENAME)
        at.selections.field(TYPENAME)
        used = self._provide(at, key, required)
        name = node.name.value if isinstance(node, FieldNode) else None
        declaration = self.declaration(target_type, name, subgraph) if name else None
        if declaration is not None and declaration.requires:
            used |= self._provide(at, declaration.requires, required)
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
        )
        return {group.id} | self.select(entity, [node])

    def _from_ancestor(self, at: Position, node: FieldNode, type_name: str) -> set[int]:
        """No key reaches this type: fetch the field again from the entity above it."""
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
        parent = at.parent
        others = [
            g
            for g in self.resolvers(parent.type_name, via.name.value)
            if g != parent.group.subgraph
        ]
        return self._jump(parent, again, others, [])

    def _interface_object_resolvers(self, type_name: str, field_name: str) -> tuple[list[str], str]:
        """A field of an implementation known only through an @interfaceObject."""
        implements = self.supergraph.types[type_name].implements.values()
        for interface in sorted({i for interfaces in implements for i in interfaces}):
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

    def _cheapest(
        self, at: Position, options: dict[str, tuple[str, bool]], siblings: Sequence[SelectionNode]
    ) -> str:
        """Prefer a direct key, then a fetch already made at this path, then most siblings."""
        existing = {
            g.subgraph
            for g in self.groups
            if g.kind == "entity" and g.path == at.path and at.group.id in g.depends_on
        }
        fields = self.supergraph.types[at.type_name].fields
        names = [
            s.name.value for s in siblings if isinstance(s, FieldNode) and s.name.value in fields
        ]

        def cost(subgraph: str) -> tuple[int, int, int, str]:
            shared = sum(subgraph in self.resolvers(at.type_name, n) for n in names)
            direct = options[subgraph][1]
            return (0 if direct else 1, 0 if subgraph in existing else 1, -shared, subgraph)

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

    @staticmethod
    def _apart(at: Position, selection: SelectionNode) -> SelectionNode:
        if not isinstance(selection, FieldNode):
            return selection
        name = selection.name.value
        taken = at.client.get(name)
        if taken is None or taken == _signature(selection):
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
