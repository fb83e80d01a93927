"""Rules on one field across subgraphs: @external agreement, @override, field sharing.

Split from ``merge`` so that module only builds the supergraph; these only report errors,
with Apollo's codes and wording (FED composition-js/src/merging/merge.ts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import TypeNode, print_ast

from router.composition.errors import CompositionError
from router.composition.model import FieldDef, InputValue, Subgraph, TypeDef
from router.composition.type_refs import is_subtype, render
from router.composition.usage import Usage
from router.composition.wording import default_text, mismatch_distribution, quoted_list

LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
PERCENT_LABEL = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


@dataclass
class Source:
    """One subgraph's definition of the type being merged."""

    subgraph: Subgraph
    type: TypeDef
    usage: Usage


def is_external(source: Source, field_def: FieldDef) -> bool:
    """Whether the field is @external in that subgraph (on the field or its type)."""
    return field_def.has("external") or source.type.has("external")


def _default(value: InputValue) -> str | None:
    return None if value.default is None else print_ast(value.default)


class FieldRules:
    """Field-level checks for ``Merger``; shares its error list."""

    def __init__(self, errors: list[CompositionError], subgraph_names: set[str]) -> None:
        self.errors = errors
        self.subgraph_names = subgraph_names

    def error(self, code: str, message: str) -> None:
        """Record an error."""
        self.errors.append(CompositionError(code, message))

    def check_external_types(
        self,
        coordinate: str,
        having: list[tuple[Source, FieldDef]],
        resolving: list[tuple[Source, FieldDef]],
        merged_type: TypeNode,
        all_types_equal: bool,
        implements: dict[str, set[str]],
    ) -> None:
        """@external declarations must agree with the merged field on type and arguments.

        An external type must be the merged type, or a strict subtype of it when the
        resolving subgraphs do not all agree; one error lists every subgraph's type (FED
        merge.ts validateExternalFields).
        """
        externals = [(s, f) for s, f in having if (s, f) not in resolving]
        invalid = False
        for source, field_def in externals:
            self._check_external_arguments(coordinate, source, field_def, resolving)
            same = render(field_def.type) == render(merged_type)
            narrower = not all_types_equal and is_subtype(field_def.type, merged_type, implements)
            invalid = invalid or not (same or narrower)
        if invalid:
            distribution = mismatch_distribution(
                f'type "{render(merged_type)}"',
                [(s.subgraph.name, f'type "{render(f.type)}"') for s, f in having],
            )
            self.error(
                "EXTERNAL_TYPE_MISMATCH",
                f'Type of field "{coordinate}" is incompatible across subgraphs (where marked '
                "@external): it has " + distribution,
            )

    def _check_external_arguments(
        self,
        coordinate: str,
        source: Source,
        field_def: FieldDef,
        resolving: list[tuple[Source, FieldDef]],
    ) -> None:
        """An @external declaration must take the arguments its resolving subgraphs take."""
        here = source.subgraph.name
        where = f'(where "{coordinate}" is marked @external)'
        base, base_field = resolving[0]
        there = base.subgraph.name
        for name, base_arg in base_field.args.items():
            arg = f"{coordinate}({name}:)"
            external_arg = field_def.args.get(name)
            if external_arg is None:
                self.error(
                    "EXTERNAL_ARGUMENT_MISSING",
                    f'Field "{coordinate}" is missing argument "{arg}" in some subgraphs '
                    f'where it is marked @external: argument "{arg}" is declared in subgraph '
                    f'"{there}" but not in subgraph "{here}" (where "{coordinate}" is '
                    "@external).",
                )
            elif render(external_arg.type) != render(base_arg.type):
                self.error(
                    "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                    f'Type of argument "{arg}" is incompatible across subgraphs {where}: it '
                    f'has type "{render(base_arg.type)}" in subgraph "{there}" but type '
                    f'"{render(external_arg.type)}" in subgraph "{here}"',
                )
            elif _default(base_arg) != _default(external_arg):
                self.error(
                    "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                    f'Argument "{arg}" has incompatible defaults across subgraphs {where}: '
                    f'it has {default_text(_default(base_arg))} in subgraph "{there}" but '
                    f'{default_text(_default(external_arg))} in subgraph "{here}"',
                )

    def overrides(
        self, coordinate: str, having: list[tuple[Source, FieldDef]]
    ) -> dict[str, tuple[str, str | None]]:
        """Overridden subgraph name -> (overriding subgraph, label), with override errors."""
        overridden: dict[str, tuple[str, str | None]] = {}
        names = {s.subgraph.name: f for s, f in having}
        for source, field_def in having:
            for override in field_def.applied("override"):
                target = str(override.args.get("from", ""))
                raw_label = override.args.get("label")
                label = None if raw_label is None else str(raw_label)
                here = source.subgraph.name
                if target not in self.subgraph_names:
                    # Apollo only hints (FROM_SUBGRAPH_DOES_NOT_EXIST): no override at all.
                    continue
                if target == here:
                    self.error(
                        "OVERRIDE_FROM_SELF_ERROR",
                        f'Source and destination subgraphs "{here}" are the same for overridden '
                        f'field "{coordinate}"',
                    )
                    continue
                if label is not None and not (LABEL.match(label) or PERCENT_LABEL.match(label)):
                    self.error(
                        "OVERRIDE_LABEL_INVALID",
                        f'Invalid @override label "{label}" on field "{coordinate}" on subgraph '
                        f'"{here}": labels must start with a letter and after that may contain '
                        "alphanumerics, underscores, minuses, colons, periods, or slashes. "
                        'Alternatively, labels may be of the form "percent(x)" where x is a '
                        "float between 0-100 inclusive.",
                    )
                    # Apollo still treats the field as overridden (no sharing error follows).
                    overridden[target] = (here, None)
                    continue
                other = names.get(target)
                if other is not None and other.has("override"):
                    self.error(
                        "OVERRIDE_SOURCE_HAS_OVERRIDE",
                        f'Field "{coordinate}" on subgraph "{here}" is also marked with directive '
                        f'@override in subgraph "{target}". Only one @override directive is '
                        "allowed per field.",
                    )
                    continue
                if other is None:
                    # The source subgraph lacks the field: Apollo only hints
                    # (OVERRIDE_DIRECTIVE_CAN_BE_REMOVED) and overrides nothing.
                    continue
                collisions = [d for d in ("requires", "provides", "external") if other.has(d)]
                for directive in collisions:
                    self.error(
                        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                        f'@override cannot be used on field "{coordinate}" on subgraph "{here}" '
                        f'since "{coordinate}" on "{target}" is marked with directive '
                        f'"@{directive}"',
                    )
                if not collisions:
                    overridden[target] = (here, label)
        return overridden

    def _shareable(self, source: Source, field_def: FieldDef) -> bool:
        coordinate = (source.type.name, field_def.name)
        return (
            source.subgraph.is_fed1
            or field_def.has("shareable")
            or source.type.has("shareable")
            or coordinate in source.usage.key
            or (is_external(source, field_def) and coordinate in source.usage.provides)
        )

    def check_sharing(
        self,
        coordinate: str,
        type_name: str,
        having: list[tuple[Source, FieldDef]],
        overridden: set[str],
    ) -> None:
        """INVALID_FIELD_SHARING unless every subgraph resolving the field shares it."""
        resolving = [
            (s, f)
            for s, f in having
            if s.subgraph.name not in overridden
            and (not is_external(s, f) or (type_name, f.name) in s.usage.provides)
        ]
        if len(resolving) < 2:
            return
        unshared = [s.subgraph.name for s, f in resolving if not self._shareable(s, f)]
        if not unshared:
            return
        names = [s.subgraph.name for s, _ in resolving]
        where = (
            "in all of them"
            if len(unshared) == len(names)
            else f"in subgraph{'s' if len(unshared) > 1 else ''} {quoted_list(unshared)}"
        )
        # Apollo points at the first non-shareable subgraph whose @override names no
        # subgraph: a misspelt from: is the likely cause (FED merge.ts validateShareable).
        targetless = next(
            (
                s.subgraph.name
                for s, f in resolving
                if not self._shareable(s, f)
                and any(
                    str(o.args.get("from")) not in self.subgraph_names
                    for o in f.applied("override")
                )
            ),
            None,
        )
        note = (
            ""
            if targetless is None
            else f' (please note that "{coordinate}" has an @override directive in "{targetless}" '
            "that targets an unknown subgraph so this could be due to misspelling the "
            "@override(from:) argument)"
        )
        self.error(
            "INVALID_FIELD_SHARING",
            f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is '
            f"resolved from subgraphs {quoted_list(names)} and defined as non-shareable {where}"
            + note,
        )
