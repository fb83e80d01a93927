"""Cheap measures of a parsed document, taken before validation runs its costlier rules.

Validation is not linear: graphql-core's OverlappingFieldsCanBeMergedRule compares the
fields of a selection set pair by pair, so a 16 KB document repeating one field 500
times held the event loop for seconds. These measures refuse such documents first, each
in one pass over the document (fragments are measured once each, memoised by name):

- selections in one selection set, as written (MAX_SELECTIONS_EXCEEDED): the pairs the
  rule compares grow with its square;
- fields as if every fragment were inlined at each spread (MAX_FIELDS_EXCEEDED): a
  fragment spread twice in a fragment spread twice... (a "fragment bomb") is 2^n fields
  that the planner, the root-field flattening and the executor would each expand. The
  count is a sum of memoised counts, so 2^40 is computed in microseconds.

The document is not validated yet: a spread of an unknown fragment counts for nothing
and a cycle of fragments is cut where it closes (validation refuses both afterwards).
"""

from __future__ import annotations

from typing import Final

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from router.operation.limits import LimitExceeded, OperationLimits, over_limit

MAX_SELECTIONS_EXCEEDED: Final = "MAX_SELECTIONS_EXCEEDED"
MAX_FIELDS_EXCEEDED: Final = "MAX_FIELDS_EXCEEDED"
MAX_DOCUMENT_SIZE_EXCEEDED: Final = "MAX_DOCUMENT_SIZE_EXCEEDED"


def widest_selection_set(document: DocumentNode) -> int:
    """The most selections written in any one selection set of the document."""
    widest = 0
    pending = [
        d.selection_set for d in document.definitions if isinstance(d, ExecutableDefinitionNode)
    ]
    while pending:
        selection_set = pending.pop()
        widest = max(widest, len(selection_set.selections))
        for selection in selection_set.selections:
            inner = getattr(selection, "selection_set", None)
            if inner is not None:
                pending.append(inner)
    return widest


def inlined_field_count(document: DocumentNode) -> int:
    """Fields of the document's operations with every fragment inlined at each spread.

    Each fragment's own count is computed once (memoised), so the measure is linear in
    the document however many times its fragments multiply.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}
    open_: set[str] = set()

    def of(selection_set: SelectionSetNode) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
                if selection.selection_set is not None:
                    count += of(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += of(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += spread(selection.name.value)
        return count

    def spread(name: str) -> int:
        if name in memo:
            return memo[name]
        fragment = fragments.get(name)
        if fragment is None or name in open_:
            return 0
        open_.add(name)
        memo[name] = of(fragment.selection_set)
        open_.discard(name)
        return memo[name]

    return sum(
        of(d.selection_set)
        for d in document.definitions
        if isinstance(d, ExecutableDefinitionNode) and not isinstance(d, FragmentDefinitionNode)
    )


def precheck(document: DocumentNode, limits: OperationLimits) -> None:
    """Raise LimitExceeded when the document is too wide or too large to validate."""
    if limits.max_selections is not None:
        refusal = over_limit(
            MAX_SELECTIONS_EXCEEDED,
            "selections in one selection set",
            widest_selection_set(document),
            limits.max_selections,
        )
        if refusal is not None:
            raise refusal
    if limits.max_fields is not None:
        refusal = over_limit(
            MAX_FIELDS_EXCEEDED,
            "fields (fragments inlined)",
            inlined_field_count(document),
            limits.max_fields,
        )
        if refusal is not None:
            raise refusal


def check_document_size(query: str, limits: OperationLimits) -> LimitExceeded | None:
    """The refusal of a document over ``max_document_bytes``, measured before it is read."""
    if limits.max_document_bytes is None:
        return None
    size = len(query.encode())
    if size <= limits.max_document_bytes:
        return None
    return LimitExceeded(
        MAX_DOCUMENT_SIZE_EXCEEDED,
        f"Operation document: {size} bytes, over the limit of {limits.max_document_bytes}.",
    )
