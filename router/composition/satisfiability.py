"""Satisfiability: every field a client can query must be reachable by some plan.

A walk over (type, subgraph) states from the root fields, as FED
composition-js/src/validate.ts does over its query graph: in a subgraph a field is either
resolved there, or reached by jumping through an @key of the type to a subgraph that
resolves it. A field no subgraph can reach from where the query stands is reported with a
witness query and the reasons, in Apollo's words.

Simplifications, each making the check more permissive, never stricter: @provides and
@requires are assumed satisfiable, and abstract types are followed through the
implementations each subgraph knows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from router.composition.errors import CompositionError
from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.model import Subgraph, TypeDef
from router.composition.supergraph_model import MergedSupergraph
from router.composition.type_refs import named


@dataclass(frozen=True)
class _State:
    """A supergraph path and every subgraph a plan could be in at its end."""

    type_name: str
    options: tuple[str, ...]
    path: tuple[str, ...]  # witness selection steps: field names and "... on T"

    @property
    def subgraph(self) -> str:
        """The option named in an error message (Apollo lists each; we name the first)."""
        return self.options[0]


class Satisfiability:
    """The walk; ``check`` returns the errors found (one per unreachable coordinate)."""

    def __init__(self, supergraph: MergedSupergraph, subgraphs: list[Subgraph]) -> None:
        self.supergraph = supergraph
        self.subgraphs = {s.name: s for s in subgraphs}
        self.overridden = self._overridden()

    def _overridden(self) -> set[tuple[str, str, str]]:
        """(subgraph, type, field) taken over by an @override without a label."""
        taken = set()
        for subgraph in self.subgraphs.values():
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    for override in field_def.applied("override"):
                        if override.args.get("label") is None:
                            taken.add(
                                (str(override.args.get("from")), type_def.name, field_def.name)
                            )
        return taken

    def _resolves(self, subgraph: Subgraph, type_name: str, field: str) -> bool:
        type_def = subgraph.types.get(type_name)
        if type_def is None or field not in type_def.fields:
            return False
        field_def = type_def.fields[field]
        if field_def.has("external") or type_def.has("external"):
            return False
        return (subgraph.name, type_name, field) not in self.overridden

    def _key_fields_available(self, source: Subgraph, type_name: str, fields: str) -> bool:
        try:
            selection = parse_field_set(fields)
        except FieldSetSyntaxError:
            return False
        type_def = source.types.get(type_name)
        return type_def is not None and all(
            getattr(s, "name", None) is not None
            and s.name.value in type_def.fields  # type: ignore[attr-defined]
            and not type_def.fields[s.name.value].has("external")  # type: ignore[attr-defined]
            for s in selection.selections
        )

    def _jumps(self, source: Subgraph, type_name: str) -> list[str]:
        """Subgraphs reachable from ``source`` at ``type_name`` through resolvable keys."""
        reached, queue = {source.name}, deque([source])
        while queue:
            current = queue.popleft()
            for target in self.subgraphs.values():
                if target.name in reached:
                    continue
                type_def = target.types.get(type_name)
                if type_def is None:
                    continue
                for key in type_def.applied("key"):
                    if key.args.get("resolvable", True) is False:
                        continue
                    if self._key_fields_available(current, type_name, str(key.args.get("fields"))):
                        reached.add(target.name)
                        queue.append(target)
                        break
        return [name for name in self.subgraphs if name in reached]

    def _runtime_types(self, type_def: TypeDef, subgraph: Subgraph) -> list[str]:
        if type_def.kind == "union":
            return list(type_def.members)
        return [t.name for t in subgraph.types.values() if type_def.name in t.interfaces]

    def check(self) -> list[CompositionError]:
        """Walk every supergraph path; report the first failure per coordinate.

        A path fails only when no subgraph a plan could be in at its end can go on (FED
        composition-js/src/validate.ts keeps the same set of options per path).
        """
        errors: dict[str, CompositionError] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        queue: deque[_State] = deque()
        for operation in ("query", "mutation", "subscription"):
            root = self.supergraph.roots.get(operation)
            if root is None:
                continue
            options = tuple(s.name for s in self.subgraphs.values() if root in s.types)
            queue.append(_State(root, options, ()))
        while queue:
            state = queue.popleft()
            if (state.type_name, state.options) in seen:
                continue
            seen.add((state.type_name, state.options))
            self._visit(state, queue, errors)
        return list(errors.values())

    def _visit(
        self, state: _State, queue: deque[_State], errors: dict[str, CompositionError]
    ) -> None:
        merged = self.supergraph.types.get(state.type_name)
        if merged is None:
            return
        if merged.kind in ("union", "interface"):
            runtimes: dict[str, list[str]] = {}
            for name in state.options:
                type_def = self.subgraphs[name].types.get(state.type_name)
                if type_def is None:
                    continue
                for runtime in self._runtime_types(type_def, self.subgraphs[name]):
                    runtimes.setdefault(runtime, []).append(name)
            for runtime, options in runtimes.items():
                queue.append(_State(runtime, tuple(options), (*state.path, f"... on {runtime}")))
            interface_here = [
                n
                for n in state.options
                if (t := self.subgraphs[n].types.get(state.type_name)) and t.kind == "interface"
            ]
            if merged.kind == "union" or not interface_here:
                return
            state = _State(state.type_name, tuple(interface_here), state.path)
        is_root = state.type_name in self.supergraph.roots.values()
        for field_name, field in merged.fields.items():
            if "@inaccessible" in field.directives:
                continue
            resolvers: list[str] = []
            for name in state.options:
                subgraph = self.subgraphs[name]
                candidates = [name] if is_root else self._jumps(subgraph, state.type_name)
                found = [
                    n
                    for n in candidates
                    if self._resolves(self.subgraphs[n], state.type_name, field_name)
                ]
                if not found and not is_root:
                    found = self._through_interface_objects(subgraph, merged.interfaces, field_name)
                resolvers += [n for n in found if n not in resolvers]
            coordinate = f"{state.type_name}.{field_name}"
            if not resolvers:
                if coordinate not in errors and merged.kind == "object":
                    errors[coordinate] = self._error(state, field_name)
                continue
            target = named(field.type)
            if target in self.supergraph.types:
                queue.append(_State(target, tuple(sorted(resolvers)), (*state.path, field_name)))

    def _through_interface_objects(
        self, source: Subgraph, interfaces: list[str], field_name: str
    ) -> list[str]:
        """Subgraphs resolving the field on an @interfaceObject of one of the interfaces."""
        found = []
        for interface in interfaces:
            for other in self.subgraphs.values():
                type_def = other.types.get(interface)
                if type_def is None or not type_def.has("interfaceObject"):
                    continue
                if not self._resolves(other, interface, field_name):
                    continue
                keys = [str(k.args.get("fields")) for k in type_def.applied("key")]
                if any(self._key_fields_available(source, interface, k) for k in keys):
                    found.append(other.name)
        return found

    def _error(self, state: _State, field_name: str) -> CompositionError:
        coordinate = f"{state.type_name}.{field_name}"
        steps = [*state.path, field_name]
        lines = ["{"]
        for depth, step in enumerate(steps, start=1):
            lines.append("  " * depth + step + (" {" if depth < len(steps) else ""))
        lines += ["  " * depth + "}" for depth in range(len(steps) - 1, -1, -1)]
        reasons = [f'- from subgraph "{state.subgraph}":', f'  - cannot find field "{coordinate}".']
        source = self.subgraphs[state.subgraph]
        for other in self.subgraphs.values():
            if other.name == state.subgraph or not self._resolves(
                other, state.type_name, field_name
            ):
                continue
            type_def = other.types[state.type_name]
            keys = [
                k for k in type_def.applied("key") if k.args.get("resolvable", True) is not False
            ]
            why = (
                f'type "{state.type_name}" has no @key defined in subgraph "{other.name}"'
                if not keys
                else f'none of the @key defined on type "{state.type_name}" in subgraph '
                f'"{other.name}" can be resolved from subgraph "{source.name}"'
            )
            reasons.append(
                f'  - cannot move to subgraph "{other.name}", which has field "{coordinate}", '
                f"because {why}."
            )
        message = (
            "The following supergraph API query:\n"
            + "\n".join(lines)
            + "\ncannot be satisfied by the subgraphs because:\n"
            + "\n".join(reasons)
        )
        return CompositionError("SATISFIABILITY_ERROR", message)


def check_satisfiability(
    supergraph: MergedSupergraph, subgraphs: list[Subgraph]
) -> list[CompositionError]:
    """SATISFIABILITY_ERROR for every field no query plan could reach."""
    return Satisfiability(supergraph, subgraphs).check()
