"""Shaping compiled once per operation and cached with its plan, for the answers without errors.

:mod:`router.executor.shape` walks the client's selections for every object it shapes and
carries each object's response path, which only a null in a non-null position needs.
A :class:`ShapePlan` collects the selections once per operation (and per value of the
variables its @skip/@include read), turning them into a tree of small functions whose
per-object work is plain dict and list operations. When that fast walk meets a null in a
non-null position (or an enum value the API schema does not have, an @inaccessible
one) it stops, and the answer is shaped again by
:func:`~router.executor.shape.shape`, which builds the paths and errors of the null
propagation (GraphQL spec, "Handling Field Errors"): the result is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    SelectionSetNode,
    VariableNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues

from router.executor.shape import Shaper, shape

ValueShaper = Callable[[Any], Any]
"""Shapes one field's raw value; raises _NullInNonNull where the fast walk must stop."""

# What one field of an object does, checked in this order (the most frequent first).
_LEAF: Final = 0  # a nullable leaf: the raw value as it is
_CALL: Final = 1  # anything else: the value shaper in ``arg``
_NON_NULL_LEAF: Final = 2  # a non-null leaf: the raw value, unless it is null
_CONSTANT: Final = 3  # __typename: ``arg``
_INTROSPECTION: Final = 4  # a root __schema or __type: answered by the router

FieldStep = tuple[str, int, Any]
"""A response name, what to do (one of the kinds above) and its argument."""

_ABSENT: Final = object()
_NO_INTROSPECTION: Final[Mapping[str, Any]] = {}

MAX_VARIANTS: Final = 32
"""How many sets of @skip/@include variable values one operation keeps compiled."""


class _NullInNonNull(Exception):
    """A null where the schema says non-null, or an enum value the API schema lacks."""


def _shape_object(
    steps: tuple[FieldStep, ...],
    data: Mapping[str, Any],
    introspection: Mapping[str, Any] = _NO_INTROSPECTION,
) -> dict[str, Any]:
    """The object's fields in the client's order; only the root has introspection steps."""
    out: dict[str, Any] = {}
    get = data.get
    for name, kind, arg in steps:
        if kind == _LEAF:
            out[name] = get(name)
        elif kind == _CALL:
            out[name] = arg(get(name))
        elif kind == _NON_NULL_LEAF:
            value = get(name)
            if value is None:
                raise _NullInNonNull
            out[name] = value
        elif kind == _CONSTANT:
            out[name] = arg
        else:
            out[name] = introspection.get(name)
    return out


def _not_an_object(raw: Any) -> bool:
    """Whether ``raw`` is no JSON object (null included); dicts, the usual case, go first."""
    return type(raw) is not dict and (raw is None or not isinstance(raw, Mapping))


class _Compiler:
    """Turns the client's selections into value shapers for one set of inclusion values.

    It reuses :class:`Shaper`'s field collection, so @skip/@include, fragments and type
    conditions are applied exactly as the path-tracking walk applies them.
    """

    def __init__(self, shaper: Shaper) -> None:
        self.shaper = shaper
        self.schema = shaper.schema
        self._objects: dict[tuple[str, tuple[int, ...]], tuple[FieldStep, ...]] = {}

    def root(
        self, root: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> tuple[FieldStep, ...]:
        """The steps of the root object, where __schema and __type are the router's."""
        return self._steps(root, self.shaper.fields_of(root, selection_set), root=True)

    def _object(
        self, runtime: GraphQLObjectType, nodes: tuple[FieldNode, ...]
    ) -> tuple[FieldStep, ...]:
        key = (runtime.name, tuple(map(id, nodes)))
        steps = self._objects.get(key)
        if steps is None:
            steps = self._objects[key] = self._steps(
                runtime, self.shaper.fields_of(runtime, nodes), root=False
            )
        return steps

    def _steps(
        self, runtime: GraphQLObjectType, fields: dict[str, list[FieldNode]], *, root: bool
    ) -> tuple[FieldStep, ...]:
        steps: list[FieldStep] = []
        for name, nodes in fields.items():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                steps.append((name, _CONSTANT, runtime.name))
                continue
            if root and field_name in ("__schema", "__type"):
                steps.append((name, _INTROSPECTION, None))
                continue
            definition = runtime.fields.get(field_name)
            if definition is None:
                continue
            type_ = definition.type
            if isinstance(type_, GraphQLNonNull) and isinstance(type_.of_type, GraphQLScalarType):
                steps.append((name, _NON_NULL_LEAF, None))
                continue
            value = self.value(type_, tuple(nodes))
            steps.append((name, _LEAF, None) if value is None else (name, _CALL, value))
        return tuple(steps)

    def value(self, type_: GraphQLOutputType, nodes: tuple[FieldNode, ...]) -> ValueShaper | None:
        """The shaper of a value of ``type_``; None for a nullable leaf (kept as it is)."""
        if isinstance(type_, GraphQLNonNull):
            if isinstance(type_.of_type, GraphQLObjectType):
                return _object(self._object(type_.of_type, nodes), non_null=True)
            return _non_null(self.value(type_.of_type, nodes))
        if isinstance(type_, GraphQLList):
            return _list(self.value(type_.of_type, nodes))
        if isinstance(type_, GraphQLEnumType):
            return _enum(frozenset(type_.values))
        if is_leaf_type(type_):
            return None
        if isinstance(type_, GraphQLObjectType):
            return _object(self._object(type_, nodes), non_null=False)
        if is_abstract_type(type_):
            return self._abstract(type_, nodes)
        raise TypeError(f"cannot shape a value of type {type_}")

    def _abstract(self, type_: GraphQLAbstractType, nodes: tuple[FieldNode, ...]) -> ValueShaper:
        """An interface or union value: typed by its ``__typename``, else null."""
        by_typename: dict[str, tuple[FieldStep, ...] | None] = {}

        def steps_for(typename: str) -> tuple[FieldStep, ...] | None:
            runtime = self.schema.get_type(typename)
            if runtime is None:
                # Not a type of this schema: not remembered, so a subgraph sending
                # made-up names cannot grow the cache.
                return None
            steps = None
            if isinstance(runtime, GraphQLObjectType) and self.schema.is_sub_type(type_, runtime):
                steps = self._object(runtime, nodes)
            by_typename[typename] = steps
            return steps

        def abstract(raw: Any) -> Any:
            if _not_an_object(raw):
                return None
            typename = raw.get("__typename")
            if not isinstance(typename, str):
                return None
            steps = by_typename[typename] if typename in by_typename else steps_for(typename)
            return None if steps is None else _shape_object(steps, raw)

        return abstract


def _enum(values: frozenset[str]) -> ValueShaper:
    def enum(raw: Any) -> Any:
        if raw is None or (isinstance(raw, str) and raw in values):
            return raw
        raise _NullInNonNull

    return enum


def _non_null(inner: ValueShaper | None) -> ValueShaper:
    if inner is None:

        def non_null_leaf(raw: Any) -> Any:
            if raw is None:
                raise _NullInNonNull
            return raw

        return non_null_leaf

    def non_null(raw: Any) -> Any:
        value = inner(raw)
        if value is None:
            raise _NullInNonNull
        return value

    return non_null


def _list(item: ValueShaper | None) -> ValueShaper:
    if item is None:

        def leaf_list(raw: Any) -> Any:
            return list(raw) if isinstance(raw, list) else None

        return leaf_list

    def list_(raw: Any) -> Any:
        return [item(element) for element in raw] if isinstance(raw, list) else None

    return list_


def _object(steps: tuple[FieldStep, ...], *, non_null: bool) -> ValueShaper:
    def object_(raw: Any) -> Any:
        # _not_an_object, inlined: this runs once for every object of every answer.
        if type(raw) is not dict and (raw is None or not isinstance(raw, Mapping)):
            if non_null:
                raise _NullInNonNull
            return None
        return _shape_object(steps, raw)

    return object_


def _inclusion_variables(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[str, ...]:
    """The variables @skip and @include read anywhere in the operation, in a stable order."""
    names: set[str] = set()
    pending = [selection_set, *(f.selection_set for f in fragments.values())]
    while pending:
        for selection in pending.pop().selections:
            for directive in selection.directives or ():
                if directive.name.value in ("skip", "include"):
                    names.update(
                        argument.value.name.value
                        for argument in directive.arguments or ()
                        if isinstance(argument.value, VariableNode)
                    )
            inner = getattr(selection, "selection_set", None)
            if inner is not None:
                pending.append(inner)
    return tuple(sorted(names))


class ShapePlan:
    """How to shape the answers to one prepared operation; built once, cached with its plan.

    Compiled lazily, once for each set of values of the variables @skip/@include read
    (validation makes them Booleans), at most :data:`MAX_VARIANTS` of them; the shapers of
    abstract values grow as concrete types show up. Shaping is synchronous, so requests
    sharing a plan never interleave while one of them fills these caches.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        root: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.root = root
        self.selection_set = selection_set
        self.fragments = fragments
        self.inclusion_variables = _inclusion_variables(selection_set, fragments)
        self._variants: dict[tuple[Any, ...], tuple[FieldStep, ...]] = {}

    def _root_steps(self, variables: VariableValues) -> tuple[FieldStep, ...]:
        values = variables.coerced
        key = tuple(values.get(name, _ABSENT) for name in self.inclusion_variables)
        steps = self._variants.get(key)
        if steps is None:
            shaper = Shaper(self.schema, self.fragments, variables, [])
            steps = _Compiler(shaper).root(self.root, self.selection_set)
            if len(self._variants) < MAX_VARIANTS:
                self._variants[key] = steps
        return steps

    def shape(
        self,
        data: Mapping[str, Any],
        errors: list[dict[str, Any]],
        variables: VariableValues,
        introspection: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The client's ``data`` (None when a null bubbled up to the root).

        Adds an error to ``errors`` for each null in a non-null position that no
        subgraph error explains, exactly as :func:`~router.executor.shape.shape` does.
        """
        try:
            steps = self._root_steps(variables)
            return _shape_object(steps, data, introspection or _NO_INTROSPECTION)
        except _NullInNonNull:
            return shape(
                self.schema,
                self.root,
                self.selection_set,
                self.fragments,
                variables,
                data,
                errors,
                introspection,
            )
