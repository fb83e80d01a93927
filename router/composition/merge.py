"""Merge validated subgraphs into one supergraph (FED composition-js/src/merging/merge.ts).

Object, interface and union types are unioned; each element records, through join
directives, which subgraphs define and resolve it. Input types, arguments and enums are
merged by ``merge_inputs``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from router.composition import joins
from router.composition.errors import CompositionError, CompositionFailed
from router.composition.field_rules import FieldRules, Source, is_external
from router.composition.interface_rules import check_interface_implementations
from router.composition.merge_inputs import InputMerger
from router.composition.model import FieldDef, InputValue, Subgraph, TypeKind
from router.composition.spec import join_version
from router.composition.supergraph_model import (
    Graph,
    MergedField,
    MergedSupergraph,
    MergedType,
)
from router.composition.type_refs import folded_output_type, most_general, render
from router.composition.usage import usage_of
from router.composition.wording import choose_description, mismatch_distribution, quoted_list

KIND_NAMES = {
    "object": "Object Type",
    "interface": "Interface Type",
    "union": "Union Type",
    "enum": "Enum Type",
    "input": "Input Object Type",
    "scalar": "Scalar Type",
}


def graph_names(names: list[str]) -> dict[str, str]:
    """join__Graph enum values: names upper-cased, non-word characters to ``_``, unique."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        value = re.sub(r"\W", "_", name).upper()
        if value[0].isdigit():
            value = "_" + value
        candidate, suffix = value, 1
        while candidate in taken:
            candidate = f"{value}_{suffix}"
            suffix += 1
        taken.add(candidate)
        result[name] = candidate
    return result


def _explicit_bool(value: object) -> bool | None:
    """A Boolean argument as written, or None when the application leaves it out."""
    return value if isinstance(value, bool) else None


class Merger:
    """Merges prepared subgraphs; collects every error before failing."""

    def __init__(self, subgraphs: list[Subgraph]) -> None:
        self.subgraphs = sorted(subgraphs, key=lambda s: s.name)
        self.graph = graph_names([s.name for s in self.subgraphs])
        self.usages = {s.name: usage_of(s) for s in self.subgraphs}
        self.errors: list[CompositionError] = []
        self.types: dict[str, MergedType] = {}
        self.inputs = InputMerger(self.subgraphs, self.graph, self.errors)
        self.rules = FieldRules(self.errors, {s.name for s in self.subgraphs})

    def error(self, code: str, message: str) -> None:
        """Record an error; merging goes on to find the others."""
        self.errors.append(CompositionError(code, message))

    def sources(self, name: str) -> list[Source]:
        """The subgraphs defining the type ``name``, in subgraph order."""
        return [
            Source(s, s.types[name], self.usages[s.name]) for s in self.subgraphs if name in s.types
        ]

    def merge(self) -> MergedSupergraph:
        """Merge every type; raises CompositionFailed with all errors found."""
        names = {name: None for s in self.subgraphs for name in s.types}
        for name in names:
            sources = self.sources(name)
            kind = self._kind(name, sources)
            if kind is None:
                continue
            if kind in ("object", "interface"):
                self.types[name] = self._composite(name, kind, sources)
            elif kind == "union":
                self.types[name] = self._union(name, sources)
            else:
                self.types[name] = self.inputs.merge(
                    name, sources[0].type.kind, [(s.subgraph, s.type) for s in sources]
                )
        self._add_interface_object_fields()
        self.errors.extend(check_interface_implementations(self.types, self.subgraphs))
        if self.errors:
            raise CompositionFailed(self.errors)
        versions = [s.federation_version or (2, 0) for s in self.subgraphs]
        roots = {op: name for s in self.subgraphs for op, name in s.roots.items()}
        return MergedSupergraph(
            graphs=[Graph(self.graph[s.name], s.name, s.url) for s in self.subgraphs],
            join_version=join_version(max(versions)),
            roots={op: roots[op] for op in ("query", "mutation", "subscription") if op in roots},
            types=self.types,
        )

    def _kind(self, name: str, sources: list[Source]) -> TypeKind | None:
        kinds = {"interface" if s.type.has("interfaceObject") else s.type.kind for s in sources}
        if len(kinds) == 1:
            return kinds.pop()
        first = sources[0]
        other = next(s for s in sources if s.type.kind != first.type.kind)
        self.error(
            "TYPE_KIND_MISMATCH",
            f'Type "{name}" has mismatched kind: it is defined as {KIND_NAMES[first.type.kind]} '
            f'in subgraph "{first.subgraph.name}" but {KIND_NAMES[other.type.kind]} in subgraph '
            f'"{other.subgraph.name}"',
        )
        return None

    # -- types ------------------------------------------------------------------------------

    def _join_types(self, sources: list[Source]) -> list[str]:
        applied = []
        for source in sources:
            graph = self.graph[source.subgraph.name]
            interface_object = source.type.has("interfaceObject")
            keys = source.type.applied("key")
            if not keys:
                applied.append(joins.join_type(graph, interface_object=interface_object))
            for key in keys:
                extension = any(key is d for d in source.type.extension_directives) or (
                    source.type.has("extends")
                )
                applied.append(
                    joins.join_type(
                        graph,
                        key=str(key.args.get("fields", "")),
                        extension=extension,
                        resolvable=_explicit_bool(key.args.get("resolvable")),
                        interface_object=interface_object,
                    )
                )
        return applied

    def _composite(self, name: str, kind: TypeKind, sources: list[Source]) -> MergedType:
        merged = MergedType(name=name, kind="interface" if kind == "interface" else "object")
        merged.description = choose_description([s.type.description for s in sources])
        for source in sources:
            for interface in source.type.interfaces:
                if interface not in merged.interfaces:
                    merged.interfaces.append(interface)
        for source in sources:
            graph = self.graph[source.subgraph.name]
            merged.directives.extend(
                joins.join_implements(graph, interface) for interface in source.type.interfaces
            )
        merged.directives.extend(self._join_types(sources))
        merged.directives.extend(self.inputs.inaccessible([s.type.directives for s in sources]))
        # Context names are scoped by the subgraph that declares them (join v0.5).
        merged.directives.extend(
            f'@context(name: "{s.subgraph.name}__{d.args.get("name")}")'
            for s in sources
            for d in s.type.applied("context")
        )
        field_names = {f: None for s in sources for f in s.type.fields}
        for field_name in field_names:
            merged.fields[field_name] = self._field(merged, field_name, sources)
        merged.directives.extend(self.inputs.other_directives([s.type.directives for s in sources]))
        return merged

    def _union(self, name: str, sources: list[Source]) -> MergedType:
        merged = MergedType(name=name, kind="union")
        merged.description = choose_description([s.type.description for s in sources])
        merged.directives.extend(self._join_types(sources))
        merged.directives.extend(self.inputs.inaccessible([s.type.directives for s in sources]))
        for source in sources:
            for member in source.type.members:
                if member not in merged.members:
                    merged.members.append(member)
        for member in merged.members:
            for source in sources:
                if member in source.type.members:
                    graph = self.graph[source.subgraph.name]
                    merged.directives.append(joins.join_union_member(graph, member))
        merged.directives.extend(self.inputs.other_directives([s.type.directives for s in sources]))
        return merged

    # -- fields -----------------------------------------------------------------------------

    def _field(self, parent: MergedType, name: str, sources: list[Source]) -> MergedField:
        coordinate = f"{parent.name}.{name}"
        having = [(s, s.type.fields[name]) for s in sources if name in s.type.fields]
        resolving = [(s, f) for s, f in having if not is_external(s, f)]
        if not resolving:
            listed = [s.subgraph.name for s, _ in having]
            self.error(
                "EXTERNAL_MISSING_ON_BASE",
                f'Field "{coordinate}" is marked @external on all the subgraphs in which it is '
                f"listed (subgraph{'s' if len(listed) > 1 else ''} {quoted_list(listed)}).",
            )
            resolving = having
        field_type = most_general([f.type for _, f in resolving], self._implementations())
        if field_type is None:
            field_type = folded_output_type([f.type for _, f in resolving], self._implementations())
            distribution = mismatch_distribution(
                f'type "{render(field_type)}"',
                [(s.subgraph.name, f'type "{render(f.type)}"') for s, f in resolving],
            )
            self.error(
                "FIELD_TYPE_MISMATCH",
                f'Type of field "{coordinate}" is incompatible across subgraphs: it has '
                + distribution,
            )
        all_resolving_equal = all(render(f.type) == render(field_type) for _, f in resolving)
        self.rules.check_external_types(
            coordinate, having, resolving, field_type, all_resolving_equal, self._implementations()
        )
        merged = MergedField(name=name, type=field_type)
        merged.description = choose_description([f.description for _, f in resolving])
        merged.directives.extend(self.inputs.inaccessible([f.directives for _, f in resolving]))
        merged.args = self.inputs.arguments(
            coordinate, [(s.subgraph, _without_context_arguments(f)) for s, f in resolving]
        )
        all_types_equal = all(render(f.type) == render(field_type) for _, f in having)
        overridden = self.rules.overrides(coordinate, having)
        merged.directives.extend(
            self._join_fields(parent, name, sources, having, all_types_equal, overridden)
        )
        merged.directives.extend(self.inputs.other_directives([f.directives for _, f in resolving]))
        if parent.kind == "object":
            self.rules.check_sharing(coordinate, parent.name, having, set(overridden))
        return merged

    def _implementations(self) -> dict[str, set[str]]:
        below: dict[str, set[str]] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for interface in type_def.interfaces:
                    below.setdefault(interface, set()).add(type_def.name)
                if type_def.kind == "union":
                    below.setdefault(type_def.name, set()).update(type_def.members)
        return below

    def _join_fields(
        self,
        parent: MergedType,
        name: str,
        sources: list[Source],
        having: list[tuple[Source, FieldDef]],
        all_types_equal: bool,
        overridden: dict[str, tuple[str, str | None]],
    ) -> list[str]:
        overriding = {by: (target, label) for target, (by, label) in overridden.items()}
        needed = (
            not all_types_equal
            or bool(overridden)
            or len(having) < len(sources)
            or any(
                is_external(s, f)
                or f.has("requires")
                or f.has("provides")
                or bool(_context_arguments(s.subgraph.name, f))
                for s, f in having
            )
        )
        if not needed:
            return []
        applied = []
        for source, field_def in having:
            here = source.subgraph.name
            used = self.usages[here].uses((parent.name, name))
            label = None
            used_overridden = False
            if here in overridden:
                _, label = overridden[here]
                if label is None and not used:
                    continue
                used_overridden = label is None
            # The @override's from: is printed even when it overrides nothing (an unknown
            # subgraph); only a valid override's label is (FED merge.ts addJoinField).
            override_applied = field_def.applied("override")
            override = str(override_applied[-1].args.get("from")) if override_applied else None
            if here in overriding:
                _, label = overriding[here]
            requires = field_def.applied("requires")
            provides = field_def.applied("provides")
            applied.append(
                joins.join_field(
                    self.graph[here],
                    requires=str(requires[0].args.get("fields")) if requires else None,
                    provides=str(provides[0].args.get("fields")) if provides else None,
                    type=None if all_types_equal else render(field_def.type),
                    external=is_external(source, field_def),
                    override=override,
                    used_overridden=used_overridden,
                    override_label=label,
                    context_arguments=_context_arguments(here, field_def),
                )
            )
        return applied

    def _add_interface_object_fields(self) -> None:
        """Give implementations the fields an @interfaceObject adds to their interface."""
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                if not type_def.has("interfaceObject"):
                    continue
                for merged in self.types.values():
                    if merged.kind != "object" or type_def.name not in merged.interfaces:
                        continue
                    for field_name, field_def in type_def.fields.items():
                        if field_name in merged.fields:
                            continue
                        merged.fields[field_name] = MergedField(
                            name=field_name,
                            type=field_def.type,
                            args=self.inputs.arguments(
                                f"{merged.name}.{field_name}", [(subgraph, field_def)]
                            ),
                            description=field_def.description,
                            directives=[joins.join_field(None)],
                        )


def _from_context(value: InputValue) -> str | None:
    return next(
        (str(d.args.get("field")) for d in value.directives if d.name == "fromContext"), None
    )


def _without_context_arguments(field_def: FieldDef) -> FieldDef:
    """The field as clients see it: arguments filled from a context are not theirs to give."""
    args = {n: a for n, a in field_def.args.items() if _from_context(a) is None}
    return field_def if len(args) == len(field_def.args) else replace(field_def, args=args)


def _context_arguments(subgraph: str, field_def: FieldDef) -> list[tuple[str, str, str, str]]:
    """(context, name, type, selection) of each argument set by @fromContext."""
    found = []
    for arg in field_def.args.values():
        source = _from_context(arg)
        match = re.match(r"^\$(\w+)(.*)$", source or "", re.DOTALL)
        if match is not None:
            context = f"{subgraph}__{match.group(1)}"
            found.append((context, arg.name, render(arg.type), match.group(2)))
    return found


def merge(subgraphs: list[Subgraph]) -> MergedSupergraph:
    """Merge prepared subgraphs into a supergraph; raises CompositionFailed."""
    return Merger(subgraphs).merge()
