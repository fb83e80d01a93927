"""Merging of what flows into a subgraph: input types, arguments and enums; also scalars.

Inputs are intersected (a subgraph must accept every input the supergraph offers);
enums are unioned when only returned, intersected when only accepted, and must agree
when both (FED composition-js/src/merging/merge.ts).
"""

from __future__ import annotations

from graphql import print_ast

from router.composition import joins
from router.composition.errors import CompositionError
from router.composition.features import BUILT_IN_COPIED, FEATURES, GROUPED_FIRST
from router.composition.model import Applied, FieldDef, InputValue, Subgraph, TypeDef, TypeKind
from router.composition.supergraph_model import MergedEnumValue, MergedInput, MergedType
from router.composition.type_refs import most_specific, named, render
from router.composition.wording import choose_description, default_text, subgraph_names

# Directives copied to the supergraph where they are applied, besides @inaccessible.
COPIED_DIRECTIVES = {
    name
    for feature in FEATURES
    for name in feature.directives
    if name not in ("inaccessible", "context", "context__fromContext")
} | set(BUILT_IN_COPIED)


def _required(value: InputValue) -> bool:
    return render(value.type).endswith("!") and value.default is None


class InputMerger:
    """Merges input-side elements for ``Merger``; shares its error list."""

    def __init__(
        self, subgraphs: list[Subgraph], graph: dict[str, str], errors: list[CompositionError]
    ) -> None:
        self.subgraphs = subgraphs
        self.graph = graph
        self.errors = errors
        self.copied = COPIED_DIRECTIVES | {
            name for s in subgraphs for name in s.composed_directives
        }
        self.enum_usage = self._enum_usage()

    def error(self, code: str, message: str) -> None:
        """Record an error."""
        self.errors.append(CompositionError(code, message))

    # -- directives copied as they are ------------------------------------------------------

    @staticmethod
    def inaccessible(directive_lists: list[list[Applied]]) -> list[str]:
        """``@inaccessible`` if any subgraph applies it (it goes before the join directives)."""
        applied = any(d.name == "inaccessible" for ds in directive_lists for d in ds)
        return ["@inaccessible"] if applied else []

    def other_directives(self, directive_lists: list[list[Applied]]) -> list[str]:
        """Copied directives (@tag, authorization, composed ones...), each distinct one once.

        Authorization and demand-control directives come first, then the others in the
        order the subgraphs apply them.
        """
        printed: list[str] = []
        applied = [d for ds in directive_lists for d in ds if d.name in self.copied]
        groups = [[d for d in applied if d.name in group] for group in GROUPED_FIRST]
        rest = [d for d in applied if not any(d.name in group for group in GROUPED_FIRST)]
        for directive in [*(d for group in groups for d in group), *rest]:
            text = f"@{directive.name}{directive.printed_args()}"
            if text not in printed:
                printed.append(text)
        return printed

    # -- named types --------------------------------------------------------------------------

    def merge(
        self, name: str, kind: TypeKind, sources: list[tuple[Subgraph, TypeDef]]
    ) -> MergedType:
        """Merge an enum, input object or scalar type."""
        merged = MergedType(name=name, kind=kind)
        merged.description = choose_description([t.description for _, t in sources])
        merged.directives.extend(joins.join_type(self.graph[s.name]) for s, _ in sources)
        merged.directives.extend(self.inaccessible([t.directives for _, t in sources]))
        if kind == "enum":
            self._enum(merged, sources)
        elif kind == "input":
            self._input_object(merged, sources)
        merged.directives.extend(self.other_directives([t.directives for _, t in sources]))
        return merged

    def _enum_usage(self) -> dict[str, tuple[str | None, str | None]]:
        """Enum name -> (an input position using it, an output position using it)."""
        usage: dict[str, tuple[str | None, str | None]] = {}

        def note(
            type_name: str, *, input_at: str | None = None, output_at: str | None = None
        ) -> None:
            before_in, before_out = usage.get(type_name, (None, None))
            usage[type_name] = (before_in or input_at, before_out or output_at)

        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    coordinate = f"{type_def.name}.{field_def.name}"
                    note(named(field_def.type), output_at=coordinate)
                    for arg in field_def.args.values():
                        note(named(arg.type), input_at=f"{coordinate}({arg.name}:)")
                for input_field in type_def.input_fields.values():
                    note(named(input_field.type), input_at=f"{type_def.name}.{input_field.name}")
        return usage

    def _enum(self, merged: MergedType, sources: list[tuple[Subgraph, TypeDef]]) -> None:
        input_at, output_at = self.enum_usage.get(merged.name, (None, None))
        names = {value: None for _, t in sources for value in t.values}
        kept = []
        for value in names:
            having = [s for s, t in sources if value in t.values]
            # An @inaccessible value is no client's input: Apollo keeps it (FED merge.ts
            # mergeEnumValue checks the supergraph value's @inaccessible first).
            hidden = bool(
                self.inaccessible(
                    [t.values[value].directives for _, t in sources if value in t.values]
                )
            )
            if len(having) == len(sources) or input_at is None or hidden:
                kept.append(value)
                continue
            missing = [s.name for s, t in sources if value not in t.values]
            if output_at is not None:
                self.error(
                    "ENUM_VALUE_MISMATCH",
                    f'Enum type "{merged.name}" is used as both input type (for example, as type '
                    f'of "{input_at}") and output type (for example, as type of "{output_at}"), '
                    f'but value "{value}" is not defined in all the subgraphs defining '
                    f'"{merged.name}": "{value}" is defined in '
                    f"{subgraph_names([h.name for h in having])} but not in "
                    f"{subgraph_names(missing)}",
                )
        if input_at is not None and output_at is None and not kept:
            self.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f'None of the values of enum type "{merged.name}" are defined consistently in all '
                "the subgraphs defining that type. As only values common to all subgraphs are "
                "merged, this would result in an empty type.",
            )
        for value in kept:
            defined = [(s, t.values[value]) for s, t in sources if value in t.values]
            merged_value = MergedEnumValue(name=value)
            merged_value.description = choose_description([v.description for _, v in defined])
            merged_value.directives.extend(self.inaccessible([v.directives for _, v in defined]))
            merged_value.directives.extend(
                joins.join_enum_value(self.graph[s.name]) for s, _ in defined
            )
            merged_value.directives.extend(
                self.other_directives([v.directives for _, v in defined])
            )
            merged.values[value] = merged_value

    def _input_object(self, merged: MergedType, sources: list[tuple[Subgraph, TypeDef]]) -> None:
        fields = [[(s, t.input_fields.get(n)) for s, t in sources] for n in self._names(sources)]
        for per_subgraph in fields:
            value = self._input_value(
                merged.name,
                per_subgraph,
                kind="Input object field",
                coordinate_of=lambda name: f"{merged.name}.{name}",
                missing_code="REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                type_code="FIELD_TYPE_MISMATCH",
                default_code="INPUT_FIELD_DEFAULT_MISMATCH",
                default_kind="Input field",
            )
            if value is not None:
                merged.input_fields[value.name] = value
        if not merged.input_fields:
            self.error(
                "EMPTY_MERGED_INPUT_TYPE",
                f'None of the fields of input object type "{merged.name}" are consistently '
                "defined in all the subgraphs defining that type. As only fields common to all "
                "subgraphs are merged, this would result in an empty type.",
            )

    @staticmethod
    def _names(sources: list[tuple[Subgraph, TypeDef]]) -> list[str]:
        return list({name: None for _, t in sources for name in t.input_fields})

    # -- arguments and input fields ---------------------------------------------------------

    def arguments(
        self, coordinate: str, fields: list[tuple[Subgraph, FieldDef]]
    ) -> dict[str, MergedInput]:
        """The intersected arguments of a field resolved by ``fields``."""
        names = list({name: None for _, f in fields for name in f.args})
        merged: dict[str, MergedInput] = {}
        for name in names:
            value = self._input_value(
                coordinate,
                [(s, f.args.get(name)) for s, f in fields],
                kind="Argument",
                coordinate_of=lambda arg: f"{coordinate}({arg}:)",
                missing_code="REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                type_code="FIELD_ARGUMENT_TYPE_MISMATCH",
                default_code="FIELD_ARGUMENT_DEFAULT_MISMATCH",
                default_kind="Argument",
            )
            if value is not None:
                merged[name] = value
        return merged

    def _input_value(
        self,
        parent: str,
        per_subgraph: list[tuple[Subgraph, InputValue | None]],
        *,
        kind: str,
        coordinate_of: object,
        missing_code: str,
        type_code: str,
        default_code: str,
        default_kind: str,
    ) -> MergedInput | None:
        present = [(s, v) for s, v in per_subgraph if v is not None]
        name = present[0][1].name
        coordinate = coordinate_of(name)  # type: ignore[operator]
        if len(present) < len(per_subgraph):
            required = next((s for s, v in present if _required(v)), None)
            if required is not None:
                absent = next(s for s, v in per_subgraph if v is None)
                self.error(
                    missing_code,
                    f'{kind} "{coordinate}" is required in some subgraphs but does not appear in '
                    f'all subgraphs: it is required in subgraph "{required.name}" but does not '
                    f'appear in subgraph "{absent.name}"',
                )
            return None
        value_type = most_specific([v.type for _, v in present])
        if value_type is None:
            first, other = (
                present[0],
                next(p for p in present if render(p[1].type) != render(present[0][1].type)),
            )
            label = "argument" if kind == "Argument" else "field"
            self.error(
                type_code,
                f'Type of {label} "{coordinate}" is incompatible across subgraphs: it has type '
                f'"{render(first[1].type)}" in subgraph "{first[0].name}" but type '
                f'"{render(other[1].type)}" in subgraph "{other[0].name}"',
            )
            value_type = present[0][1].type
        defaults = [None if v.default is None else print_ast(v.default) for _, v in present]
        if len(set(defaults)) > 1:
            (first, a), (second, b) = next(
                ((present[0], defaults[0]), (p, d))
                for p, d in zip(present, defaults, strict=True)
                if d != defaults[0]
            )
            self.error(
                default_code,
                f'{default_kind} "{coordinate}" has incompatible default values across '
                f'subgraphs: it has {default_text(a)} in subgraph "{first[0].name}" but '
                f'{default_text(b)} in subgraph "{second[0].name}"',
            )
        merged = MergedInput(name=name, type=value_type, default=present[0][1].default)
        merged.description = choose_description([v.description for _, v in present])
        merged.directives.extend(self.inaccessible([v.directives for _, v in present]))
        if kind != "Argument" and any(render(v.type) != render(value_type) for _, v in present):
            merged.directives.extend(
                joins.join_field(self.graph[s.name], type=render(v.type)) for s, v in present
            )
        merged.directives.extend(self.other_directives([v.directives for _, v in present]))
        return merged
