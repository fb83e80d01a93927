"""@skip and @include as the planner sees them (GraphQL spec, "@skip", "@include")."""

from __future__ import annotations

from graphql import BooleanValueNode, DirectiveNode, VariableNode

Condition = tuple[str, bool]


def literal_excluded(directives: tuple[DirectiveNode, ...]) -> bool:
    """Whether a literal ``@skip(if: true)`` or ``@include(if: false)`` removes the selection."""
    for directive in directives:
        for argument in directive.arguments or ():
            if argument.name.value != "if" or not isinstance(argument.value, BooleanValueNode):
                continue
            if directive.name.value == "skip" and argument.value.value:
                return True
            if directive.name.value == "include" and not argument.value.value:
                return True
    return False


def variable_condition(directives: tuple[DirectiveNode, ...]) -> Condition | None:
    """(variable, include?) when the only directive is @skip/@include on a variable."""
    if len(directives) != 1 or directives[0].name.value not in ("skip", "include"):
        return None
    arguments = directives[0].arguments or ()
    if len(arguments) != 1 or not isinstance(arguments[0].value, VariableNode):
        return None
    return arguments[0].value.name.value, directives[0].name.value == "include"
