"""What satisfiability needs to know of each subgraph: its edges, as Apollo's query graph has them.

A vertex is a type in a subgraph. A field edge exists where the subgraph resolves the field
(not @external unless a @provides on the path provides it, not taken over by an @override
without a label); a key edge goes from any subgraph that can select a @key's fields locally to
the subgraph declaring that key resolvable (FED query-graphs-js/src/querygraph.ts). The
reasons an edge is missing are worded as Apollo's (FED query-graphs-js/src/graphPath.ts).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.model import Subgraph, TypeDef
from router.composition.type_refs import named
from router.composition.usage import usage_of
from router.composition.wording import subgraph_names

Coordinate = tuple[str, str]


@dataclass(frozen=True)
class Key:
    """An @key of a type in a subgraph."""

    fields: str
    resolvable: bool


class QueryGraph:
    """The subgraphs' vertices and edges, answered on demand."""

    def __init__(self, subgraphs: list[Subgraph]) -> None:
        self.subgraphs = {s.name: s for s in sorted(subgraphs, key=lambda s: s.name)}
        self.overridden = self._overridden()
        usages = {name: usage_of(s) for name, s in self.subgraphs.items()}
        # An overridden field no directive of its subgraph uses is not in the subgraph Apollo
        # extracts from the supergraph (no @join__field for it); a used one stays, @external.
        self.removed = {
            (name, type_name, field)
            for name, type_name, field in self.overridden
            if name in usages and not usages[name].uses((type_name, field))
        }
        self.progressive = self._progressive()

    def _overridden(self) -> dict[tuple[str, str, str], list[str]]:
        """(subgraph, type, field) taken over by @override without a label -> the takers."""
        taken: dict[tuple[str, str, str], list[str]] = {}
        for subgraph in self.subgraphs.values():
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    for override in field_def.applied("override"):
                        if override.args.get("label") is None:
                            source = (str(override.args.get("from")), type_def.name, field_def.name)
                            taken.setdefault(source, []).append(subgraph.name)
        return taken

    def _progressive(self) -> dict[Coordinate, list[tuple[str, str, str]]]:
        """(type, field) -> (label, overridden, overriding subgraph) of labelled overrides.

        Which of the two subgraphs resolves such a field depends on the label.
        """
        found: dict[Coordinate, list[tuple[str, str, str]]] = {}
        for subgraph in self.subgraphs.values():
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    for override in field_def.applied("override"):
                        label, source = override.args.get("label"), str(override.args.get("from"))
                        if label is not None and source in self.subgraphs:
                            found.setdefault((type_def.name, field_def.name), []).append(
                                (str(label), source, subgraph.name)
                            )
        return found

    def override_block(
        self,
        subgraph: str,
        type_name: str,
        field: str,
        conditions: dict[str, bool],
        undecided_blocks: bool = False,
    ) -> str | None:
        """Why the field's edge in the subgraph is off under the override conditions, if it is.

        Apollo gives the overridden subgraph's edge the condition ``label = false`` and the
        overriding one's ``label = true`` (FED query-graphs-js/src/querygraph.ts). Fetching
        @requires conditions takes no such edge whose label the path has not decided
        (``undecided_blocks``).
        """
        for label, source, target in self.progressive.get((type_name, field), []):
            if subgraph not in (source, target):
                continue
            if label not in conditions:
                if undecided_blocks:
                    return f'override condition "{label}" is undecided'
                continue
            needed = subgraph == target
            if conditions[label] == needed:
                continue
            type_def = self.type_in(subgraph, type_name)
            assert type_def is not None
            tail = named(type_def.fields[field].type)
            return (
                f"Unable to take edge {type_name}({subgraph}) -> {tail}({subgraph}) "
                f"({label} = {str(needed).lower()} \u22a2 {field}) because override condition "
                f'"{label}" is {str(not needed).lower()}'
            )
        return None

    def type_in(self, subgraph: str, type_name: str) -> TypeDef | None:
        """The type ``type_name`` as ``subgraph`` declares it."""
        return self.subgraphs[subgraph].types.get(type_name)

    def keys(self, subgraph: str, type_name: str) -> list[Key]:
        """The @key applications of the type in the subgraph."""
        type_def = self.type_in(subgraph, type_name)
        if type_def is None:
            return []
        return [
            Key(str(k.args.get("fields", "")), k.args.get("resolvable", True) is not False)
            for k in type_def.applied("key")
        ]

    def resolves(
        self, subgraph: str, type_name: str, field: str, provided: frozenset[Coordinate]
    ) -> bool:
        """Whether the subgraph has an edge for the field (its requirements aside)."""
        type_def = self.type_in(subgraph, type_name)
        if type_def is None or field not in type_def.fields:
            return False
        if (subgraph, type_name, field) in self.overridden:
            return False
        external = type_def.fields[field].has("external") or type_def.has("external")
        return not external or (type_name, field) in provided

    def requires(self, subgraph: str, type_name: str, field: str) -> str | None:
        """The @requires field set of the field in the subgraph, if any."""
        type_def = self.type_in(subgraph, type_name)
        field_def = type_def.fields.get(field) if type_def else None
        applied = field_def.applied("requires") if field_def else []
        return str(applied[0].args.get("fields", "")) if applied else None

    def missing_edge_reason(self, subgraph: str, type_name: str, field: str) -> str:
        """Why the subgraph has no edge for the field, in Apollo's words."""
        coordinate = f"{type_name}.{field}"
        if not self.has_field(subgraph, type_name, field):
            return f'cannot find field "{coordinate}"'
        takers = self.overridden.get((subgraph, type_name, field))
        if takers:
            return (
                f'field "{coordinate}" is not resolvable because it is overridden by '
                f"{subgraph_names(takers)}"
            )
        return f'field "{coordinate}" is not resolvable because marked @external'

    def unreachable_reason(self, subgraph: str, type_name: str) -> str | None:
        """Why no key edge enters the type in the subgraph, or None when one could."""
        keys = self.keys(subgraph, type_name)
        if not keys:
            return f'type "{type_name}" has no @key defined in subgraph "{subgraph}"'
        if all(not k.resolvable for k in keys):
            return (
                f'none of the @key defined on type "{type_name}" in subgraph "{subgraph}" are '
                'resolvable (they are all declared with their "resolvable" argument set to false)'
            )
        return None

    def has_field(self, subgraph: str, type_name: str, field: str) -> bool:
        """Whether the subgraph declares the field (even @external), overrides applied."""
        type_def = self.type_in(subgraph, type_name)
        if (subgraph, type_name, field) in self.removed:
            return False
        return type_def is not None and field in type_def.fields

    def collects_locally(
        self, subgraph: str, type_name: str, fields: str, provided: frozenset[Coordinate]
    ) -> bool:
        """Whether the subgraph can select the field set itself (a key's conditions)."""
        try:
            selection = parse_field_set(fields)
        except FieldSetSyntaxError:
            return False
        return self._collects(subgraph, type_name, selection, provided)

    def _collects(
        self,
        subgraph: str,
        type_name: str,
        selection_set: SelectionSetNode,
        provided: frozenset[Coordinate],
    ) -> bool:
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = condition.name.value if condition else type_name
                if self.type_in(subgraph, target) is not None and not self._collects(
                    subgraph, target, selection.selection_set, provided
                ):
                    return False
                continue
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            if name == "__typename":
                continue
            if not self.resolves(subgraph, type_name, name, provided):
                return False
            if selection.selection_set is not None:
                type_def = self.type_in(subgraph, type_name)
                assert type_def is not None
                target = named(type_def.fields[name].type)
                if not self._collects(subgraph, target, selection.selection_set, provided):
                    return False
        return True

    def key_edges(
        self, source: str, type_name: str, interfaces: list[str]
    ) -> list[tuple[str, str, Key]]:
        """Every (subgraph, type there, resolvable key) a key edge from ``source`` could take.

        Besides the type's own keys, an implementation reaches the @interfaceObject of one
        of its ``interfaces`` (supergraph interfaces) through that object's keys.
        """
        edges = []
        for name in self.subgraphs:
            if name == source:
                continue
            targets = [type_name] if self.type_in(name, type_name) is not None else []
            targets += [
                i
                for i in interfaces
                if (t := self.type_in(name, i)) is not None and t.has("interfaceObject")
            ]
            edges += [(name, t, k) for t in targets for k in self.keys(name, t) if k.resolvable]
        return edges

    def key_field_marked_external_note(self, subgraph: str, type_name: str) -> str:
        """Apollo's hint that an unsatisfiable @requires may come from an @external key field."""
        type_def = self.type_in(subgraph, type_name)
        if type_def is None:
            return ""
        marked: list[str] = []
        for key in self.keys(subgraph, type_name):
            try:
                selection = parse_field_set(key.fields)
            except FieldSetSyntaxError:
                continue
            for node in selection.selections:
                if not isinstance(node, FieldNode):
                    continue
                field_def = type_def.fields.get(node.name.value)
                if field_def and field_def.has("external") and node.name.value not in marked:
                    marked.append(node.name.value)
        if not marked:
            return ""
        printed = ", ".join(f'"{f}"' for f in marked)
        noun = "field" if len(marked) == 1 else "fields"
        return (
            f" (please ensure that this is not due to key {noun} {printed} being accidentally "
            "marked @external)"
        )

    def runtime_types(self, subgraph: str, type_name: str) -> list[str]:
        """The object types the subgraph may return for the type, sorted."""
        type_def = self.type_in(subgraph, type_name)
        if type_def is None:
            return []
        if type_def.kind == "union":
            return sorted(type_def.members)
        if type_def.kind == "interface":
            types = self.subgraphs[subgraph].types.values()
            return sorted(t.name for t in types if type_name in t.interfaces)
        return [type_name]
