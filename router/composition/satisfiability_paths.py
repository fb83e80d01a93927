"""Advancing one subgraph path by one field, directly or after key jumps, as Apollo does.

FED query-graphs-js/src/graphPath.ts: ``advanceWithOperation`` tries the field in the path's
subgraph, then (unless that worked and the field is a leaf) on every path the non-collecting
key edges lead to (``advancePathWithNonCollectingAndTypePreservingTransitions``). Where nothing
works, the dead ends say why, per subgraph, in Apollo's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.query_graph import Coordinate, Key, QueryGraph
from router.composition.supergraph_model import MergedSupergraph
from router.composition.type_refs import named
from router.composition.usage import coordinates


@dataclass(frozen=True)
class Option:
    """A subgraph path, by what the traversal needs of it."""

    subgraph: str
    # The type the path is on in the subgraph when it is not the supergraph's (an
    # @interfaceObject standing for an implementation).
    at: str | None = None
    # Fields a @provides on the path lets this subgraph resolve although @external.
    provided: frozenset[Coordinate] = frozenset()
    # The subgraph the path's last key edge left, the type it left at and the fields
    # collected since: Apollo's check for "a more direct path" replays them there.
    entered_from: str | None = None
    entered_at: str | None = None
    since: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DeadEnd:
    """Why a path could not go on: from which subgraph, towards which, in Apollo's words."""

    source: str
    dest: str
    details: str


def _ignoring(dest: str, key: Key, type_name: str, source: str) -> str:
    return (
        f'ignoring moving to subgraph "{dest}" using @key(fields: "{key.fields}") of '
        f'"{type_name}" because there is a more direct path in {dest} that avoids {source} '
        "altogether"
    )


class PathAdvancer:
    """Advances subgraph paths over a query graph."""

    def __init__(self, graph: QueryGraph, supergraph: MergedSupergraph) -> None:
        self.graph = graph
        self.supergraph = supergraph
        self.conditions: dict[str, bool] = {}

    def _interfaces(self, type_name: str) -> list[str]:
        merged = self.supergraph.types.get(type_name)
        return list(merged.interfaces) if merged else []

    def advance(
        self,
        option: Option,
        type_name: str,
        field_name: str,
        leaf: bool,
        is_root: bool,
        conditions: dict[str, bool],
    ) -> tuple[list[Option], list[DeadEnd]]:
        """The paths following ``field_name`` from ``option``, or none and the dead ends.

        ``conditions`` are the progressive override labels chosen on this supergraph path.
        """
        dead: list[DeadEnd] = []
        options: list[Option] = []
        self.conditions = conditions
        direct = self._direct(option, type_name, field_name, dead)
        if direct is not None:
            if leaf or is_root:
                return [direct], []
            options.append(direct)
        indirect: list[Option] = []
        indirect_dead: list[DeadEnd] = []
        if not is_root:
            indirect, indirect_dead = self._indirect(option, type_name)
        for path in indirect:
            advanced = self._direct(path, type_name, field_name, dead)
            if advanced is not None:
                options.append(advanced)
        if options:
            return options, []
        dead += indirect_dead
        with_dead_end = {d.dest for d in dead}
        coordinate = f"{type_name}.{field_name}"
        for name in self.graph.subgraphs:
            if name in with_dead_end or not self.graph.has_field(name, type_name, field_name):
                continue
            reason = self.graph.unreachable_reason(name, option.at or type_name)
            if reason is not None:
                dead.append(
                    DeadEnd(
                        option.subgraph,
                        name,
                        f'cannot move to subgraph "{name}", which has field "{coordinate}", '
                        f"because {reason}",
                    )
                )
        return [], dead

    def _direct(
        self, option: Option, type_name: str, field_name: str, dead: list[DeadEnd]
    ) -> Option | None:
        subgraph, here = option.subgraph, option.at or type_name
        blocked = self.graph.override_block(subgraph, here, field_name, self.conditions)
        if blocked is not None:
            dead.append(DeadEnd(subgraph, subgraph, blocked))
            return None
        if not self.graph.resolves(subgraph, here, field_name, option.provided):
            if here != type_name and self.graph.type_in(subgraph, type_name) is None:
                details = (
                    f'cannot find implementation type "{type_name}" (supergraph interface '
                    f'"{here}" is declared with @interfaceObject in "{subgraph}")'
                )
            else:
                details = self.graph.missing_edge_reason(subgraph, here, field_name)
                details = details.replace(f'"{here}.', f'"{type_name}.')
            dead.append(DeadEnd(subgraph, subgraph, details))
            return None
        requires = self.graph.requires(subgraph, here, field_name)
        if requires is not None and not self._can_fetch(subgraph, here, requires):
            note = self.graph.key_field_marked_external_note(subgraph, here)
            details = f'cannot satisfy @require conditions on field "{type_name}.{field_name}"'
            dead.append(DeadEnd(subgraph, subgraph, details + note))
            return None
        type_def = self.graph.type_in(subgraph, here)
        assert type_def is not None
        field_def = type_def.fields[field_name]
        target = named(field_def.type)
        provided = set(option.provided)
        for provides in field_def.applied("provides"):
            provided |= coordinates(
                self.graph.subgraphs[subgraph], target, provides.args.get("fields", "")
            )
        since = (*option.since, field_name) if option.entered_from else ()
        return Option(
            subgraph, None, frozenset(provided), option.entered_from, option.entered_at, since
        )

    def _direct_path_in(self, option: Option, type_name: str) -> bool:
        """Whether the subgraph the path last left reaches ``type_name`` with the same fields."""
        previous, current = option.entered_from, option.entered_at
        if previous is None or current is None:
            return False
        for field_name in option.since:
            if not self.graph.resolves(previous, current, field_name, frozenset()):
                return False
            type_def = self.graph.type_in(previous, current)
            assert type_def is not None
            current = named(type_def.fields[field_name].type)
        return current == type_name

    def _has_key_edge(self, source: str, type_name: str, dest: str) -> bool:
        return any(
            name == dest and self.graph.collects_locally(source, type_name, key.fields, frozenset())
            for name, _, key in self.graph.key_edges(source, type_name, self._interfaces(type_name))
        )

    def _indirect(self, option: Option, type_name: str) -> tuple[list[Option], list[DeadEnd]]:
        """The paths key edges lead to from ``option`` (Apollo's indirect options)."""
        original = option.subgraph
        best: dict[str, Option | None] = {}
        dead: list[DeadEnd] = []
        to_try: list[tuple[Option, int]] = [(option, 0)]
        while to_try:
            index = min(range(len(to_try)), key=lambda i: to_try[i][1])
            current, size = to_try.pop(index)
            here = current.at or type_name
            edges = self.graph.key_edges(current.subgraph, type_name, self._interfaces(type_name))
            if size > 0:
                previous = current.entered_from
                assert previous is not None
                useful = [
                    (dest, at, key)
                    for dest, at, key in edges
                    if dest != previous
                    and not self.graph.collects_locally(
                        previous, type_name, key.fields, frozenset()
                    )
                ]
            else:
                useful = edges
            if not useful:
                dead += [
                    DeadEnd(current.subgraph, dest, _ignoring(dest, key, at, current.subgraph))
                    for dest, at, key in edges
                    if size > 0 and dest not in (current.subgraph, original)
                ]
                continue
            for dest, at, key in useful:
                if dest == original or dest in best:
                    continue
                if not self.graph.collects_locally(
                    current.subgraph, here, key.fields, current.provided
                ):
                    dead.append(
                        DeadEnd(
                            current.subgraph,
                            dest,
                            f'cannot move to subgraph "{dest}" using @key(fields: "{key.fields}") '
                            f'of "{at}", the key field(s) cannot be resolved from subgraph '
                            f'"{current.subgraph}"',
                        )
                    )
                    continue
                previous = current.entered_from
                if (
                    self._direct_path_in(current, type_name)
                    and previous is not None
                    and (dest == previous or self._has_key_edge(previous, type_name, dest))
                ):
                    best[dest] = None
                    dead.append(
                        DeadEnd(current.subgraph, dest, _ignoring(dest, key, at, current.subgraph))
                    )
                    continue
                jumped = Option(
                    dest,
                    at if at != type_name else None,
                    frozenset(),
                    current.subgraph,
                    type_name,
                    (),
                )
                best[dest] = jumped
                to_try.append((jumped, size + 1))
        return [o for o in best.values() if o is not None], dead

    def _can_fetch(self, subgraph: str, type_name: str, fields: str) -> bool:
        """Whether a @requires field set can be fetched for an entity met in ``subgraph``."""
        try:
            selection = parse_field_set(fields)
        except FieldSetSyntaxError:
            return False
        return self._fetches(subgraph, type_name, selection)

    def _reachable(self, subgraph: str, type_name: str) -> list[str]:
        reached = [subgraph]
        for current in reached:
            for dest, at, key in self.graph.key_edges(current, type_name, []):
                if (
                    dest not in reached
                    and at == type_name
                    and self.graph.collects_locally(current, type_name, key.fields, frozenset())
                ):
                    reached.append(dest)
        return reached

    def _fetches(self, subgraph: str, type_name: str, selection_set: SelectionSetNode) -> bool:
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = condition.name.value if condition else type_name
                knowing = [subgraph] if self.graph.type_in(subgraph, target) else []
                knowing = knowing or [
                    s for s in self.graph.subgraphs if self.graph.type_in(s, target)
                ]
                if not any(self._fetches(s, target, selection.selection_set) for s in knowing):
                    return False
                continue
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            if name == "__typename":
                continue
            sources = [
                s
                for s in self._reachable(subgraph, type_name)
                if self.graph.resolves(s, type_name, name, frozenset())
                and self.graph.override_block(s, type_name, name, self.conditions, True) is None
            ]
            if not sources:
                return False
            if selection.selection_set is not None:
                type_def = self.graph.type_in(sources[0], type_name)
                assert type_def is not None
                target = named(type_def.fields[name].type)
                if not any(self._fetches(s, target, selection.selection_set) for s in sources):
                    return False
        return True
