"""Measures taken before validation: linear in the document, however fragments multiply."""

from __future__ import annotations

import pytest
from graphql import parse

from router.operation.limits import OperationLimits
from router.operation.limits_measure import root_field_count
from router.operation.limits_precheck import inlined_field_count, widest_selection_set
from router.operation.prepare import OperationError
from tests.router.limits.schema import prepared


def root_bomb(levels: int) -> str:
    """``{ ...F<levels> }``, each fragment spreading the one below twice: 2^levels fields."""
    below = " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    )
    return f"query {{ ...F{levels} }} fragment F0 on Query {{ __typename }} {below}"


def code_of(query: str, limits: OperationLimits) -> str:
    with pytest.raises(OperationError) as caught:
        prepared(query, limits)
    return str(caught.value.errors[0]["extensions"]["code"])


def test_a_root_fragment_bomb_is_counted_not_expanded() -> None:
    document = parse(root_bomb(40))
    assert inlined_field_count(document) == 2**40
    operation = document.definitions[0]
    fragments = {d.name.value: d for d in document.definitions[1:]}  # type: ignore[attr-defined]
    assert root_field_count(operation, fragments) == 2**40  # type: ignore[arg-type]


def test_the_bomb_at_2_40_is_refused_by_either_limit() -> None:
    # Expanded, 2^40 field nodes would never be built: that the test ends is the proof.
    assert code_of(root_bomb(40), OperationLimits(max_fields=2000)) == "MAX_FIELDS_EXCEEDED"
    assert code_of(root_bomb(40), OperationLimits(max_root_fields=20)) == (
        "MAX_ROOT_FIELDS_EXCEEDED"
    )


def test_fragment_cycles_and_unknown_spreads_are_left_to_validation() -> None:
    cyclic = "{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }"
    assert inlined_field_count(parse(cyclic)) == 1
    assert code_of(cyclic, OperationLimits(max_fields=10)) == "GRAPHQL_VALIDATION_FAILED"
    assert code_of("{ ...Nowhere }", OperationLimits(max_fields=10)) == (
        "GRAPHQL_VALIDATION_FAILED"
    )


def test_selections_in_one_set_are_refused_before_validation() -> None:
    wide = "{ " + "__typename " * 500 + "}"
    assert widest_selection_set(parse(wide)) == 500
    with pytest.raises(OperationError) as caught:
        prepared(wide, OperationLimits(max_selections=100))
    assert caught.value.errors == [
        {
            "message": "Operation selections in one selection set: 500, over the limit of 100.",
            "extensions": {"code": "MAX_SELECTIONS_EXCEEDED"},
        }
    ]
    assert prepared("{ " + "__typename " * 100 + "}", OperationLimits(max_selections=100))


def test_nested_sets_are_measured_too() -> None:
    nested = "{ users { edges { node { " + "id " * 101 + "} } } }"
    assert widest_selection_set(parse(nested)) == 101
    assert code_of(nested, OperationLimits(max_selections=100)) == "MAX_SELECTIONS_EXCEEDED"


def test_a_document_over_its_size_is_refused_before_it_is_read() -> None:
    with pytest.raises(OperationError) as caught:
        prepared("{ __typename }" + " " * 100, OperationLimits(max_document_bytes=100))
    assert caught.value.phase == "parse"
    assert caught.value.errors == [
        {
            "message": "Operation document: 114 bytes, over the limit of 100.",
            "extensions": {"code": "MAX_DOCUMENT_SIZE_EXCEEDED"},
        }
    ]
