"""List-size-aware cost of an operation: an estimate of how many values resolving it yields.

The model (after GitHub's GraphQL resource limits and IBM's GraphQL cost directives):

- Every field selected costs 1 each time it is resolved, ``__typename`` included; its
  subfields cost what they cost, once per value the field returns.
- A field with a size argument, ``first``, ``last`` or ``limit`` (the first of these the
  field defines and the client gives), sizes a list. Its value is read from a literal, or
  from a variable when the request is run; without one (or with null) it is the argument's
  default in the schema, else the default list size (``FEDTASKS_DEFAULT_LIST_SIZE``,
  20). A negative size counts as 0.
- A list field multiplies its cost (itself and its subtree) by its size. A list field
  without a size argument takes the size of the nearest enclosing field that has one,
  provided that field is not a list itself: a Relay connection's ``edges`` and ``nodes``
  are as long as the connection's ``first``, while its ``pageInfo`` and ``totalCount``,
  not lists, are resolved once. Any other list has the default list size.
- A field with a size argument that is not a list is resolved once, and hands its size to
  the lists under it.
- Inline fragments and fragment spreads add their fields' costs; on an abstract type the
  branches add up (an upper bound: only one of them applies to each object).
- Root ``__schema`` and ``__type`` cost nothing (see :mod:`router.operation.limits`).

Example: ``{ users(first: 10) { totalCount edges { node { name } } } }`` costs
1 (users) + 1 (totalCount) + 10 x (1 (edges) + 1 (node) + 1 (name)) = 32.

The cost is compiled once per operation into an expression; when it reads no variable it
is a number, checked once, and otherwise it is evaluated for each request from the
request's coerced variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from router.operation.limits import (
    INTROSPECTION_FIELDS,
    MAX_COST_EXCEEDED,
    LimitExceeded,
    over_limit,
)

SIZE_ARGUMENTS: Final = ("first", "last", "limit")
"""Arguments that give the size of a list, in the order they are read."""


@dataclass(frozen=True)
class Variable:
    """A list size read from a variable when the request runs; ``fallback`` if not an int."""

    name: str
    fallback: int


@dataclass(frozen=True)
class Sum:
    """A constant plus terms that read variables."""

    constant: int
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Product:
    """``size`` times ``body``."""

    size: Expr
    body: Expr


Expr = int | Variable | Sum | Product
"""A cost: a number, or an expression of the request's variables."""


def add(*exprs: Expr) -> Expr:
    """The sum of ``exprs``, folding numbers.

    Sums are kept whole, not flattened into one another: a fragment's cost is one
    expression shared by all its spreads, and flattening would copy its terms at each
    spread (2^n terms for a fragment spread twice on each of n levels).
    """
    constant = 0
    terms: list[Expr] = []
    for expr in exprs:
        if isinstance(expr, int):
            constant += expr
        else:
            terms.append(expr)
    if not terms:
        return constant
    if constant == 0 and len(terms) == 1:
        return terms[0]
    return Sum(constant, tuple(terms))


def multiply(size: Expr, body: Expr) -> Expr:
    """``size`` times ``body``, folding numbers."""
    if isinstance(size, int) and isinstance(body, int):
        return size * body
    if size == 1:
        return body
    if size == 0 or body == 0:
        return 0
    return Product(size, body)


def evaluate(expr: Expr, variables: Mapping[str, Any]) -> int:
    """The cost for these coerced variables (shared subexpressions evaluated once)."""
    memo: dict[int, int] = {}

    def of(expr: Expr) -> int:
        if isinstance(expr, int):
            return expr
        if isinstance(expr, Variable):
            value = variables.get(expr.name)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
            return expr.fallback
        key = id(expr)
        if key not in memo:
            if isinstance(expr, Sum):
                memo[key] = expr.constant + sum(of(term) for term in expr.terms)
            else:
                memo[key] = of(expr.size) * of(expr.body)
        return memo[key]

    return of(expr)


@dataclass(frozen=True)
class CostCheck:
    """An operation's compiled cost and the limit it is held to (None: no limit)."""

    cost: Expr = 0
    limit: int | None = None

    def refusal(self, variables: Mapping[str, Any]) -> LimitExceeded | None:
        """The MAX_COST_EXCEEDED refusal for a request with these variables, if over."""
        if self.limit is None or isinstance(self.cost, int):
            return None
        return over_limit(MAX_COST_EXCEEDED, "cost", evaluate(self.cost, variables), self.limit)


UNLIMITED: Final = CostCheck()
"""No cost limit."""


def check_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    *,
    limit: int | None,
    default_list_size: int,
) -> CostCheck:
    """The operation's cost check; raises LimitExceeded now if it reads no variable and is over."""
    if limit is None:
        return UNLIMITED
    cost = compile_cost(schema, operation, fragments, default_list_size=default_list_size)
    if isinstance(cost, int):
        refusal = over_limit(MAX_COST_EXCEEDED, "cost", cost, limit)
        if refusal is not None:
            raise refusal
        return UNLIMITED
    return CostCheck(cost, limit)


def compile_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    *,
    default_list_size: int,
) -> Expr:
    """The cost of a validated operation, as an expression of its variables."""
    memo: dict[tuple[str, Expr | None, bool], Expr] = {}

    def selections(
        selection_set: SelectionSetNode,
        parent: GraphQLCompositeType,
        inherited: Expr | None,
        root: bool,
    ) -> Expr:
        costs: list[Expr] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                costs.append(field(selection, parent, inherited, root))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = _composite(schema, condition.name.value) if condition else parent
                costs.append(selections(selection.selection_set, inner, inherited, root))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                key = (name, inherited, root)
                if key not in memo:
                    fragment = fragments[name]
                    inner = _composite(schema, fragment.type_condition.name.value)
                    memo[key] = selections(fragment.selection_set, inner, inherited, root)
                costs.append(memo[key])
        return add(*costs)

    def field(
        node: FieldNode, parent: GraphQLCompositeType, inherited: Expr | None, root: bool
    ) -> Expr:
        name = node.name.value
        if root and name in INTROSPECTION_FIELDS:
            return 0
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            # __typename (or a nested __schema/__type), the only fields of a union.
            return 1
        definition = parent.fields[name]
        size = _size(node, definition, default_list_size)
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        is_list = isinstance(field_type, GraphQLList)
        if is_list:
            if size is None:
                size = inherited if inherited is not None else default_list_size
            handed_down = None
        else:
            handed_down, size = size, 1
        below: Expr = 0
        if node.selection_set:
            # Validation allows a selection set on composite types only.
            named = cast(GraphQLCompositeType, get_named_type(field_type))
            below = selections(node.selection_set, named, handed_down, False)
        return multiply(size, add(1, below))

    root_type = schema.get_root_type(operation.operation)
    assert root_type is not None, "validation refuses an operation of an undefined root type"
    return selections(operation.selection_set, root_type, None, True)


def _composite(schema: GraphQLSchema, name: str) -> GraphQLCompositeType:
    """The named composite type (validation has checked that it exists and is one)."""
    return cast(GraphQLCompositeType, schema.get_type(name))


def _size(node: FieldNode, definition: GraphQLField, default_list_size: int) -> Expr | None:
    """The list size the field's size argument gives, or None if it has no such argument."""
    defined = [name for name in SIZE_ARGUMENTS if name in definition.args]
    if not defined:
        return None
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    for name in defined:
        fallback = _default(definition, name, default_list_size)
        value = given.get(name)
        if isinstance(value, IntValueNode):
            return max(int(value.value), 0)
        if isinstance(value, VariableNode):
            return Variable(value.name.value, fallback)
        if value is not None:
            return fallback
    return _default(definition, defined[0], default_list_size)


def _default(definition: GraphQLField, argument: str, default_list_size: int) -> int:
    """The schema's default for a size argument, if it is a non-negative int.

    graphql-core 3.3 keeps an SDL default as its literal (``default.literal``), a
    programmatic one as ``default.value``, and the older form as ``default_value``.
    """
    arg = definition.args[argument]
    value: Any = arg.default_value
    default = getattr(arg, "default", None)  # graphql-core 3.3 and later
    if default is not None:
        literal = default.literal
        value = int(literal.value) if isinstance(literal, IntValueNode) else default.value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return default_list_size
