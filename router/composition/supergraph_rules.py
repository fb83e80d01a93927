"""Checks of the merged supergraph: queries, interface implementations, @inaccessible.

Queries must exist, interfaces must be implemented, and the API schema left once
@inaccessible elements are removed must be valid (FED composition-js/src/merging/merge.ts
and internals-js/src/specs/inaccessibleSpec.ts).
"""

from __future__ import annotations

from graphql import EnumValueNode, ListValueNode, ObjectValueNode, ValueNode

from router.composition.errors import CompositionError
from router.composition.model import Subgraph
from router.composition.supergraph_model import MergedInput, MergedSupergraph, MergedType
from router.composition.type_refs import named, render
from router.composition.wording import quoted_list

INACCESSIBLE = "@inaccessible"


def _hidden(directives: list[str]) -> bool:
    return INACCESSIBLE in directives


def _enum_values_in(value: ValueNode) -> list[str]:
    if isinstance(value, EnumValueNode):
        return [value.value]
    if isinstance(value, ListValueNode):
        return [v for item in value.values for v in _enum_values_in(item)]
    if isinstance(value, ObjectValueNode):
        return [v for item in value.fields for v in _enum_values_in(item.value)]
    return []


class SupergraphChecker:
    """Runs the post-merge rules."""

    def __init__(self, supergraph: MergedSupergraph, subgraphs: list[Subgraph]) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.subgraphs = subgraphs
        self.errors: list[CompositionError] = []

    def error(self, code: str, message: str) -> None:
        """Record an error."""
        self.errors.append(CompositionError(code, message))

    def check(self) -> list[CompositionError]:
        """Every post-merge error."""
        query = self.types.get("Query")
        if query is None or not query.fields:
            self.error(
                "NO_QUERIES",
                "No queries found in any subgraph: a supergraph must have a query root type.",
            )
        self._interfaces()
        self._inaccessible()
        return self.errors

    def _implementing_subgraphs(self, type_name: str, interface: str) -> list[str]:
        return [
            s.name
            for s in self.subgraphs
            if type_name in s.types and interface in s.types[type_name].interfaces
        ]

    def _interfaces(self) -> None:
        for interface in self.types.values():
            if interface.kind != "interface":
                continue
            for merged in self.types.values():
                if interface.name not in merged.interfaces:
                    continue
                for field_name in interface.fields:
                    if field_name in merged.fields:
                        continue
                    declared = next(
                        s.name
                        for s in self.subgraphs
                        if interface.name in s.types
                        and field_name in s.types[interface.name].fields
                    )
                    implementing = self._implementing_subgraphs(merged.name, interface.name)
                    plural = "s" if len(implementing) > 1 else ""
                    self.error(
                        "INTERFACE_FIELD_NO_IMPLEM",
                        f'Interface field "{interface.name}.{field_name}" is declared in subgraph '
                        f'"{declared}" but type "{merged.name}", which implements '
                        f'"{interface.name}" only in subgraph{plural} '
                        f'{quoted_list(implementing)} does not have field "{field_name}".',
                    )

    # -- @inaccessible ------------------------------------------------------------------------

    def _visible(self, name: str) -> bool:
        merged = self.types.get(name)
        return merged is None or not _hidden(merged.directives)

    def _inaccessible(self) -> None:
        query = self.types.get("Query")
        if query is not None and _hidden(query.directives):
            self.error(
                "QUERY_ROOT_TYPE_INACCESSIBLE",
                'Type "Query" is @inaccessible but is the root query type, which must be in the '
                "API schema.",
            )
        for merged in self.types.values():
            if _hidden(merged.directives):
                continue
            self._only_inaccessible_children(merged)
            for field in merged.fields.values():
                coordinate = f"{merged.name}.{field.name}"
                if _hidden(field.directives):
                    self._implemented_by_inaccessible(merged, field.name)
                    continue
                self._referenced(named(field.type), coordinate)
                for arg in field.args.values():
                    self._input_value(
                        f"{coordinate}({arg.name}:)", arg, "Argument", "argument of its field"
                    )
            for value in merged.input_fields.values():
                coordinate = f"{merged.name}.{value.name}"
                self._input_value(coordinate, value, "Input field", "input field of its type")

    def _referenced(self, type_name: str, coordinate: str) -> None:
        if not self._visible(type_name):
            self.error(
                "REFERENCED_INACCESSIBLE",
                f'Type "{type_name}" is @inaccessible but is referenced by "{coordinate}", which '
                "is in the API schema.",
            )

    def _input_value(self, coordinate: str, value: MergedInput, kind: str, role: str) -> None:
        if _hidden(value.directives):
            if render(value.type).endswith("!") and value.default is None:
                self.error(
                    "REQUIRED_INACCESSIBLE",
                    f'{kind} "{coordinate}" is @inaccessible but is a required {role}.',
                )
            return
        self._referenced(named(value.type), coordinate)
        enum = self.types.get(named(value.type))
        if value.default is None or enum is None or enum.kind != "enum":
            return
        for used in _enum_values_in(value.default):
            enum_value = enum.values.get(used)
            if enum_value is not None and _hidden(enum_value.directives):
                self.error(
                    "DEFAULT_VALUE_USES_INACCESSIBLE",
                    f'Enum value "{enum.name}.{used}" is @inaccessible but is used in the default '
                    f'value of "{coordinate}", which is in the API schema.',
                )

    def _implemented_by_inaccessible(self, merged: MergedType, field_name: str) -> None:
        for interface_name in merged.interfaces:
            interface = self.types.get(interface_name)
            if interface is None or _hidden(interface.directives):
                continue
            field = interface.fields.get(field_name)
            if field is not None and not _hidden(field.directives):
                self.error(
                    "IMPLEMENTED_BY_INACCESSIBLE",
                    f'Field "{merged.name}.{field_name}" is @inaccessible but implements the '
                    f'interface field "{interface_name}.{field_name}", which is in the API schema.',
                )

    def _only_inaccessible_children(self, merged: MergedType) -> None:
        children: list[list[str]] = [f.directives for f in merged.fields.values()]
        children += [v.directives for v in merged.values.values()]
        children += [v.directives for v in merged.input_fields.values()]
        if children and all(_hidden(c) for c in children):
            what = {"enum": "values", "input": "input fields"}.get(merged.kind, "fields")
            self.error(
                "ONLY_INACCESSIBLE_CHILDREN",
                f'Type "{merged.name}" is in the API schema but all of its {what} are '
                "@inaccessible.",
            )


def check_supergraph(
    supergraph: MergedSupergraph, subgraphs: list[Subgraph]
) -> list[CompositionError]:
    """Every error of the post-merge rules."""
    return SupergraphChecker(supergraph, subgraphs).check()
