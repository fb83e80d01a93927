"""Satisfiability: every query a client can write against the supergraph has a plan.

Apollo's validation (FED composition-js/src/validate.ts) walks the supergraph's query graph
depth first, carrying for each supergraph path every subgraph path that could follow it. A
field is followed in a subgraph path directly, or after key jumps to other subgraphs (chained
when a jump opens new keys, pruned where Apollo finds "a more direct path"), and a field with
@requires only where its requirements can be fetched. When no subgraph path can follow a
field, the error gives the witness query and, per subgraph, why each path stopped. A shared
field returning an abstract type must have runtime types in common across the subgraphs
resolving it (SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES). A state whose subgraph paths include
those of a state already validated at the same type is skipped, as in Apollo.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from router.composition.errors import CompositionError
from router.composition.model import Subgraph
from router.composition.query_graph import QueryGraph
from router.composition.satisfiability_paths import DeadEnd, Option, PathAdvancer
from router.composition.supergraph_model import MergedField, MergedSupergraph
from router.composition.type_refs import named, render
from router.composition.witness import witness_operation, witness_step
from router.composition.wording import subgraph_names

OperationKind = str
LEAF_KINDS = ("scalar", "enum")


@dataclass(frozen=True)
class _State:
    """A supergraph path (as witness steps) and the subgraph paths that can follow it."""

    type_name: str
    options: tuple[Option, ...]
    steps: tuple[str, ...]
    operation: OperationKind
    # Progressive override labels chosen on the path (Apollo's override conditions).
    conditions: tuple[tuple[str, bool], ...] = ()

    def visit_key(self) -> frozenset[tuple[object, ...]]:
        """What decides whether a later state at the same type can be skipped.

        A state is skipped when its key includes a previous one's (FED validate.ts
        isSupersetOrEqual).
        """
        paths = {(o.subgraph, o.at, o.provided) for o in self.options}
        return frozenset(paths | {("label", *c) for c in self.conditions})


class Satisfiability:
    """The traversal; ``check`` returns every error found."""

    def __init__(self, supergraph: MergedSupergraph, subgraphs: list[Subgraph]) -> None:
        self.supergraph = supergraph
        self.graph = QueryGraph(subgraphs)
        self.paths = PathAdvancer(self.graph, supergraph)
        self.errors: list[CompositionError] = []
        self.visits: dict[str, list[frozenset[tuple[object, ...]]]] = {}

    def check(self) -> list[CompositionError]:
        """Validate every supergraph path from every root, depth first."""
        stack: list[_State] = []
        for operation in ("query", "mutation", "subscription"):
            root = self.supergraph.roots.get(operation)
            if root is None:
                continue
            options = tuple(
                Option(name) for name in self.graph.subgraphs if self.graph.type_in(name, root)
            )
            stack.append(_State(root, options, (), operation))
        while stack:
            state = stack.pop()
            key = state.visit_key()
            previous = self.visits.setdefault(state.type_name, [])
            if any(seen <= key for seen in previous):
                continue
            previous.append(key)
            stack.extend(self._next_states(state))
        return self.errors

    def _next_states(self, state: _State) -> list[_State]:
        merged = self.supergraph.types.get(state.type_name)
        if merged is None or merged.kind in LEAF_KINDS:
            return []
        found: list[_State] = []
        if merged.kind in ("object", "interface"):
            field_options = state.options
            if merged.kind == "interface":
                field_options = tuple(o for o in state.options if self._has_interface(o, state))
            for merged_field in merged.fields.values():
                if "@inaccessible" in merged_field.directives or not field_options:
                    continue
                for variant in self._condition_variants(state, merged_field.name):
                    next_state = self._field(replace(variant, options=field_options), merged_field)
                    if next_state is not None:
                        found.append(next_state)
        if merged.kind in ("union", "interface"):
            found += self._downcasts(state)
        return found

    def _condition_variants(self, state: _State, field_name: str) -> list[_State]:
        """The state once per value of each progressive override label the field brings."""
        variants = [state]
        chosen = dict(state.conditions)
        for label, _, _ in self.graph.progressive.get((state.type_name, field_name), []):
            if label in chosen:
                continue
            chosen[label] = True
            variants = [
                replace(v, conditions=(*v.conditions, (label, value)))
                for v in variants
                for value in (True, False)
            ]
        return variants

    def _has_interface(self, option: Option, state: _State) -> bool:
        type_def = self.graph.type_in(option.subgraph, option.at or state.type_name)
        return type_def is not None and (
            type_def.kind == "interface" or type_def.has("interfaceObject")
        )

    def _runtime_types(self, type_name: str) -> list[str]:
        merged = self.supergraph.types[type_name]
        if merged.kind == "union":
            return list(merged.members)
        if merged.kind == "interface":
            return [t.name for t in self.supergraph.types.values() if type_name in t.interfaces]
        return [type_name]

    def _downcasts(self, state: _State) -> list[_State]:
        found = []
        for runtime in self._runtime_types(state.type_name):
            if "@inaccessible" in self.supergraph.types[runtime].directives:
                continue
            options = []
            for option in state.options:
                here = option.at or state.type_name
                type_def = self.graph.type_in(option.subgraph, here)
                if type_def is not None and type_def.has("interfaceObject"):
                    options.append(replace(option, at=here))
                elif runtime in self.graph.runtime_types(option.subgraph, here):
                    options.append(replace(option, at=None))
            if options:
                steps = (*state.steps, f"... on {runtime}")
                found.append(
                    _State(runtime, tuple(options), steps, state.operation, state.conditions)
                )
        return found

    def _field(self, state: _State, merged_field: MergedField) -> _State | None:
        type_name, name = state.type_name, merged_field.name
        target = named(merged_field.type)
        target_kind = (
            self.supergraph.types[target].kind if target in self.supergraph.types else None
        )
        leaf = target_kind is None or target_kind in LEAF_KINDS
        is_root = type_name in self.supergraph.roots.values()
        options: list[Option] = []
        dead_ends: list[DeadEnd] = []
        for option in state.options:
            advanced, dead = self.paths.advance(
                option, type_name, name, leaf, is_root, dict(state.conditions)
            )
            options += [o for o in advanced if o not in options]
            dead_ends += dead
        steps = (*state.steps, witness_step(self.supergraph, merged_field))
        merged_parent = self.supergraph.types[type_name]
        if not options:
            if merged_parent.kind == "object":
                self.errors.append(self._error(state.operation, steps, not leaf, dead_ends))
            return None
        if target_kind in ("union", "interface") and not self._runtime_types_intersect(
            state, merged_field, options, steps
        ):
            return None
        if leaf:
            return None
        return _State(target, tuple(options), steps, state.operation, state.conditions)

    def _runtime_types_intersect(
        self,
        state: _State,
        merged_field: MergedField,
        options: list[Option],
        steps: tuple[str, ...],
    ) -> bool:
        """False, with the error, when a shared field's subgraphs share no runtime type."""
        type_name, target = state.type_name, named(merged_field.type)
        resolving = [
            s
            for s in self.graph.subgraphs
            if self.graph.resolves(s, type_name, merged_field.name, frozenset())
        ]
        abstract = [
            o
            for o in options
            if (t := self.graph.type_in(o.subgraph, target)) and t.kind in ("union", "interface")
        ]
        if len(options) < 2 or len(resolving) < 2 or len(abstract) < 2:
            return True
        every = sorted(self._runtime_types(target))
        common = every
        groups: dict[str, list[str]] = {}
        all_empty = True
        for option in options:
            names = self.graph.runtime_types(option.subgraph, target)
            if len(names) == 1 and names[0] not in every:
                continue
            label = "no runtime type is defined"
            if names:
                quoted = [f'"{n}"' for n in names]
                joined = (
                    quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
                )
                label = ("types " if len(names) > 1 else "type ") + joined
                all_empty = False
            groups.setdefault(label, []).append(option.subgraph)
            common = [t for t in common if t in names]
        if all_empty or common:
            return True
        listed = ";\n".join(f" - in {subgraph_names(s)}, {label}" for label, s in groups.items())
        message = (
            "For the following supergraph API query:\n"
            + witness_operation(state.operation, list(steps), True)
            + f'\nShared field "{type_name}.{merged_field.name}" return type '
            f'"{render(merged_field.type)}" has a non-intersecting set of possible runtime '
            f"types across subgraphs. Runtime types in subgraphs are:\n{listed}.\nThis is not "
            "allowed as shared fields must resolve the same way in all subgraphs, and that "
            "implies at least some common runtime types between the subgraphs."
        )
        self.errors.append(CompositionError("SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES", message))
        return False

    @staticmethod
    def _error(
        operation: OperationKind, steps: tuple[str, ...], open_end: bool, dead_ends: list[DeadEnd]
    ) -> CompositionError:
        by_source: dict[str, list[str]] = {}
        for dead_end in dead_ends:
            by_source.setdefault(dead_end.source, []).append(dead_end.details)
        reasons = []
        for source, details in by_source.items():
            if len(details) == 1:
                reasons.append(f'- from subgraph "{source}": {details[0]}.')
            else:
                lines = [f"  - {d}." for d in dict.fromkeys(details)]
                reasons.append(f'- from subgraph "{source}":\n' + "\n".join(lines))
        message = (
            "The following supergraph API query:\n"
            + witness_operation(operation, list(steps), open_end)
            + "\ncannot be satisfied by the subgraphs because:\n"
            + "\n".join(reasons)
        )
        return CompositionError("SATISFIABILITY_ERROR", message)


def check_satisfiability(
    supergraph: MergedSupergraph, subgraphs: list[Subgraph]
) -> list[CompositionError]:
    """SATISFIABILITY_ERROR for every supergraph path no subgraph path can follow."""
    return Satisfiability(supergraph, subgraphs).check()
