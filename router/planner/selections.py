"""Selection sets being built for subgraph operations, and their minified printing.

Fields merge by response name, as GraphQL's field collection does; inline fragments merge
by type condition and directives. Printed the way Apollo prints plan operations:
``{a b(x:1){c}...on T{d}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    DirectiveNode,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
    print_ast,
)


def _printed_value(value: ValueNode) -> str:
    return print_ast(value).replace(": ", ":").replace(", ", ",")


def _printed_arguments(arguments: tuple[ArgumentNode, ...]) -> str:
    if not arguments:
        return ""
    return "(" + ",".join(f"{a.name.value}:{_printed_value(a.value)}" for a in arguments) + ")"


def _printed_directives(directives: tuple[DirectiveNode, ...]) -> str:
    return "".join(
        f"@{d.name.value}{_printed_arguments(tuple(d.arguments or ()))}" for d in directives
    )


def _variables_in(value: ValueNode) -> set[str]:
    if isinstance(value, VariableNode):
        return {value.name.value}
    if isinstance(value, ListValueNode):
        return {v for item in value.values for v in _variables_in(item)}
    if isinstance(value, ObjectValueNode):
        return {v for item in value.fields for v in _variables_in(item.value)}
    return set()


def _same_arguments(a: tuple[ArgumentNode, ...], b: tuple[ArgumentNode, ...]) -> bool:
    return _printed_arguments(a) == _printed_arguments(b)


@dataclass
class FieldSelection:
    """A field in a selection set being built."""

    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    selections: SelectionSet | None = None

    @property
    def response_name(self) -> str:
        """The key this field's value has in the response."""
        return self.alias or self.name

    def printed(self) -> str:
        """Minified SDL of the field."""
        head = f"{self.alias}:{self.name}" if self.alias else self.name
        text = head + _printed_arguments(self.arguments) + _printed_directives(self.directives)
        if self.selections is not None:
            text += self.selections.printed()
        return text


@dataclass
class FragmentSelection:
    """An inline fragment in a selection set being built."""

    type_condition: str | None
    directives: tuple[DirectiveNode, ...] = ()
    selections: SelectionSet = field(default_factory=lambda: SelectionSet())

    def printed(self) -> str:
        """Minified SDL of the fragment."""
        condition = f"on {self.type_condition}" if self.type_condition else ""
        return f"...{condition}{_printed_directives(self.directives)}{self.selections.printed()}"


@dataclass
class SelectionSet:
    """An ordered, merging selection set."""

    items: list[FieldSelection | FragmentSelection] = field(default_factory=list)

    def field(
        self,
        name: str,
        *,
        alias: str | None = None,
        arguments: tuple[ArgumentNode, ...] = (),
        directives: tuple[DirectiveNode, ...] = (),
        composite: bool = False,
    ) -> FieldSelection:
        """The field with this response name, added if absent (merging like GraphQL does).

        A different field already under the same response name gets the new one aliased
        by the caller; here it is an error in the planner.
        """
        response_name = alias or name
        for item in self.items:
            if (
                isinstance(item, FieldSelection)
                and item.response_name == response_name
                and item.name == name
                and _same_arguments(item.arguments, arguments)
                and _printed_directives(item.directives) == _printed_directives(directives)
            ):
                if composite and item.selections is None:
                    item.selections = SelectionSet()
                return item
        added = FieldSelection(
            name, alias, arguments, directives, SelectionSet() if composite else None
        )
        self.items.append(added)
        return added

    def fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> SelectionSet:
        """The selections of the inline fragment ``... on type_condition``, added if absent."""
        printed = _printed_directives(directives)
        for item in self.items:
            if (
                isinstance(item, FragmentSelection)
                and item.type_condition == type_condition
                and _printed_directives(item.directives) == printed
            ):
                return item.selections
        added = FragmentSelection(type_condition, directives)
        self.items.append(added)
        return added.selections

    def printed(self) -> str:
        """Minified SDL: ``{a b{c}}``."""
        return "{" + " ".join(item.printed() for item in self.items) + "}"

    def variables(self) -> set[str]:
        """Names of the variables used anywhere in the selections."""
        found: set[str] = set()
        for item in self.items:
            for directive in item.directives:
                for argument in directive.arguments or ():
                    found |= _variables_in(argument.value)
            if isinstance(item, FieldSelection):
                for argument in item.arguments:
                    found |= _variables_in(argument.value)
                if item.selections is not None:
                    found |= item.selections.variables()
            else:
                found |= item.selections.variables()
        return found
