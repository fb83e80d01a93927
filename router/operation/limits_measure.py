"""Measure a validated operation for its limits: depth, aliases, root fields, introspection.

Fragments are measured once each (memoised by name) and count at every spread, as if
inlined. The walks recurse over selection sets: validation has already bounded the
nesting, fragments included (graphql-core aborts a document nested over 200 levels).
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from router.operation.limits import INTROSPECTION_FIELDS

Fragments = Mapping[str, FragmentDefinitionNode]


def depth(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Levels of fields nested in the operation (a root field is level 1).

    Root ``__schema`` and ``__type`` fields, answered by the router itself, count for
    nothing (see :mod:`router.operation.limits`).
    """
    memo: dict[str, int] = {}

    def of(selection_set: SelectionSetNode, root: bool) -> int:
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if root and selection.name.value in INTROSPECTION_FIELDS:
                    continue
                below = of(selection.selection_set, False) if selection.selection_set else 0
                deepest = max(deepest, 1 + below)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, of(selection.selection_set, root))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, spread(selection.name.value, root))
        return deepest

    def spread(name: str, root: bool) -> int:
        # A fragment spread at the root may hold introspection fields, which count for
        # nothing there only: measure it apart from its spreads further down.
        key = f"{name}@root" if root else name
        if key not in memo:
            memo[key] = of(fragments[name].selection_set, root)
        return memo[key]

    return of(operation.selection_set, True)


def aliases(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Aliased fields in the operation, each fragment counted at each of its spreads."""
    memo: dict[str, int] = {}

    def of(selection_set: SelectionSetNode) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += selection.alias is not None
                if selection.selection_set:
                    count += of(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += of(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in memo:
                    memo[name] = of(fragments[name].selection_set)
                count += memo[name]
        return count

    return of(operation.selection_set)


def root_field_count(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Fields at the root of the operation, those in root-level fragments included.

    Counted, not flattened: a fragment's count is memoised, so fragments doubling at the
    root (``{ ...F40 } fragment F40 on Query { ...F39 ...F39 }``) cost a pass over the
    document, not 2^40 field nodes.
    """
    memo: dict[str, int] = {}

    def of(selection_set: SelectionSetNode) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
            elif isinstance(selection, InlineFragmentNode):
                count += of(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in memo:
                    memo[name] = of(fragments[name].selection_set)
                count += memo[name]
        return count

    return of(operation.selection_set)


def uses_introspection(operation: OperationDefinitionNode, fragments: Fragments) -> bool:
    """Whether the operation selects ``__schema`` or ``__type`` anywhere.

    They are fields of the query root type, so they appear deeper too when a field returns
    that type (``mutation { done { query { __schema { types { name } } } } }``).
    """
    seen: set[str] = set()
    pending = [operation.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_FIELDS:
                    return True
                if selection.selection_set:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                pending.append(fragments[selection.name.value].selection_set)
    return False
