"""Shape merged subgraph data into the client's answer (FED gateway-js/src/resultShaping.ts).

Walks the client's operation against the API schema: fields in the client's order under
their response names (so key, @requires and other planning-only fields disappear),
@skip/@include applied, ``__typename`` written by the router, abstract values typed by
their ``__typename`` (an unknown one makes the object null), and a null in a non-null
position bubbling up to the nearest nullable parent (GraphQL spec, "Handling Field
Errors"). This walk carries every object's response path for those errors; requests
shape through :class:`~router.executor.shape_plan.ShapePlan`, which compiles the same
rules once per operation and comes back here only when a null has to bubble.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_directive_values
from graphql.type import GraphQLIncludeDirective, GraphQLSkipDirective

_NULL_BUBBLE = object()
Path = tuple[str | int, ...]


class Shaper:
    """Shapes one response."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
        errors: list[dict[str, Any]],
        introspection: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.errors = errors
        self.introspection = introspection or {}
        # One response walks the same selections for many objects: collect them once.
        self._collected: dict[tuple[str, tuple[int, ...]], dict[str, list[FieldNode]]] = {}
        self._inclusion: dict[int, bool] = {}

    def _included(self, node: Any) -> bool:
        known = self._inclusion.get(id(node))
        if known is None:
            known = self._inclusion[id(node)] = self._evaluate_inclusion(node)
        return known

    def _evaluate_inclusion(self, node: Any) -> bool:
        if not node.directives:
            return True
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def _applies(self, condition: str | None, runtime: GraphQLObjectType) -> bool:
        if condition is None or condition == runtime.name:
            return True
        target = self.schema.get_type(condition)
        return is_abstract_type(target) and self.schema.is_sub_type(target, runtime)

    def collect(
        self,
        runtime: GraphQLObjectType,
        selection_set: SelectionSetNode,
        into: dict[str, list[FieldNode]],
    ) -> dict[str, list[FieldNode]]:
        """Fields by response name, in order (GraphQL spec, CollectFields)."""
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                name = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(name, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    selection.type_condition.name.value if selection.type_condition else None
                )
                if self._applies(condition, runtime):
                    self.collect(runtime, selection.selection_set, into)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment and self._applies(fragment.type_condition.name.value, runtime):
                    self.collect(runtime, fragment.selection_set, into)
        return into

    def fields_of(
        self, runtime: GraphQLObjectType, nodes: tuple[FieldNode, ...] | SelectionSetNode
    ) -> dict[str, list[FieldNode]]:
        """The collected sub-fields of ``nodes`` (or of a selection set) for ``runtime``."""
        ids = (id(nodes),) if isinstance(nodes, SelectionSetNode) else tuple(map(id, nodes))
        key = (runtime.name, ids)
        collected = self._collected.get(key)
        if collected is None:
            collected = {}
            if isinstance(nodes, SelectionSetNode):
                self.collect(runtime, nodes, collected)
            else:
                for node in nodes:
                    if node.selection_set is not None:
                        self.collect(runtime, node.selection_set, collected)
            self._collected[key] = collected
        return collected

    def object(
        self,
        runtime: GraphQLObjectType,
        fields: dict[str, list[FieldNode]],
        data: Mapping[str, Any],
        path: Path,
    ) -> Any:
        """The shaped object, or the bubble marker when a non-null field came back null."""
        out: dict[str, Any] = {}
        root = not path
        for name, nodes in fields.items():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                out[name] = runtime.name
                continue
            if root and field_name in ("__schema", "__type"):
                out[name] = self.introspection.get(name)
                continue
            definition = runtime.fields.get(field_name)
            if definition is None:
                continue
            value = self.value(definition.type, nodes, data.get(name), (*path, name), runtime.name)
            if value is _NULL_BUBBLE:
                return _NULL_BUBBLE
            out[name] = value
        return out

    def value(
        self, type_: GraphQLOutputType, nodes: list[FieldNode], raw: Any, path: Path, parent: str
    ) -> Any:
        """The shaped value of one field."""
        if isinstance(type_, GraphQLNonNull):
            inner = self.value(type_.of_type, nodes, raw, path, parent)
            if inner is None or inner is _NULL_BUBBLE:
                self._null_error(path, parent, nodes[0].name.value)
                return _NULL_BUBBLE
            return inner
        if raw is None:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(raw, list):
                return None
            items = [
                self.value(type_.of_type, nodes, item, (*path, index), parent)
                for index, item in enumerate(raw)
            ]
            return None if any(item is _NULL_BUBBLE for item in items) else items
        if isinstance(type_, GraphQLEnumType) and (
            not isinstance(raw, str) or raw not in type_.values
        ):
            # A value the API schema does not have (an @inaccessible one): a field error and
            # a null, as result coercion requires (GraphQL spec, "Enums").
            self.errors.append(
                {
                    "message": f'Enum "{type_.name}" cannot represent value: {json.dumps(raw)}',
                    "path": list(path),
                    "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                }
            )
            return None
        if is_leaf_type(type_):
            return raw
        if not isinstance(raw, Mapping):
            return None
        runtime = self._runtime(type_, raw)
        if runtime is None:
            return None
        shaped = self.object(runtime, self.fields_of(runtime, tuple(nodes)), raw, path)
        return None if shaped is _NULL_BUBBLE else shaped

    def _runtime(self, type_: Any, raw: Mapping[str, Any]) -> GraphQLObjectType | None:
        if isinstance(type_, GraphQLObjectType):
            return type_
        typename = raw.get("__typename")
        runtime = self.schema.get_type(typename) if isinstance(typename, str) else None
        if isinstance(runtime, GraphQLObjectType) and is_abstract_type(type_):
            return runtime if self.schema.is_sub_type(type_, runtime) else None
        return None

    def _null_error(self, path: Path, parent: str, field_name: str) -> None:
        """Explain a null in a non-null position unless an error there already does."""
        for error in self.errors:
            error_path = tuple(error.get("path") or ())
            shorter = min(len(error_path), len(path))
            if error_path and error_path[:shorter] == path[:shorter]:
                return
            if not error_path:
                return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field {parent}.{field_name}.",
                "path": list(path),
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        )


def shape(
    schema: GraphQLSchema,
    root: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: VariableValues,
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
    introspection: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The client's ``data``: None when a null bubbled up to the root."""
    shaper = Shaper(schema, fragments, variables, errors, introspection)
    shaped = shaper.object(root, shaper.fields_of(root, selection_set), data, ())
    return None if shaped is _NULL_BUBBLE else shaped
