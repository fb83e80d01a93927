"""Read a QueryPlan back from its JSON form (``QueryPlan.to_json``), for shared plan caches.

The round trip is exact: ``read_plan(plan.to_json()) == plan``. Anything that is not a
plan this router wrote raises PlanFormatError, so a foreign or corrupted cache entry is
planned again rather than executed.
"""

from __future__ import annotations

from typing import Any

from router.planner.plan import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    RequiredField,
    RequiredFragment,
    Sequence,
    TypenameRewrite,
)


class PlanFormatError(ValueError):
    """The JSON is not a query plan in this router's form."""


def read_plan(value: Any) -> QueryPlan:
    """The QueryPlan of ``value`` (raises PlanFormatError)."""
    try:
        if value["kind"] != "QueryPlan":
            raise PlanFormatError("not a QueryPlan")
        node = value["node"]
        return QueryPlan(None if node is None else _node(node))
    except (KeyError, TypeError, AttributeError) as error:
        raise PlanFormatError(f"malformed query plan: {error!r}") from None


def _node(value: dict[str, Any]) -> PlanNode:
    kind = value["kind"]
    if kind == "Fetch":
        return _fetch(value)
    if kind == "Flatten":
        fetch = _node(value["node"])
        if not isinstance(fetch, Fetch):
            raise PlanFormatError("a Flatten must hold a Fetch")
        return Flatten(tuple(str(p) for p in value["path"]), fetch)
    if kind == "Sequence":
        return Sequence(tuple(_node(n) for n in value["nodes"]))
    if kind == "Parallel":
        return Parallel(tuple(_node(n) for n in value["nodes"]))
    if kind == "Condition":
        if_clause, else_clause = value.get("ifClause"), value.get("elseClause")
        return Condition(
            str(value["condition"]),
            None if if_clause is None else _node(if_clause),
            None if else_clause is None else _node(else_clause),
        )
    raise PlanFormatError(f"unknown plan node kind {kind!r}")


def _fetch(value: dict[str, Any]) -> Fetch:
    kind = value["operationKind"]
    if kind not in ("query", "mutation"):
        raise PlanFormatError(f"unknown operation kind {kind!r}")
    return Fetch(
        service_name=str(value["serviceName"]),
        operation=str(value["operation"]),
        operation_kind=kind,
        variable_usages=tuple(str(v) for v in value["variableUsages"]),
        requires=tuple(_fragment(r) for r in value.get("requires", ())),
        input_rewrites=tuple(_rewrite(r) for r in value.get("inputRewrites", ())),
    )


def _fragment(value: dict[str, Any]) -> RequiredFragment:
    if value["kind"] != "InlineFragment":
        raise PlanFormatError("requires must hold inline fragments")
    return RequiredFragment(str(value["typeCondition"]), _fields(value["selections"]))


def _fields(values: list[dict[str, Any]]) -> tuple[RequiredField, ...]:
    out: list[RequiredField] = []
    for value in values:
        if value["kind"] != "Field":
            raise PlanFormatError("a required selection must be a field")
        name = str(value["name"])
        out.append(
            RequiredField(name, str(value.get("alias", name)), _fields(value.get("selections", [])))
        )
    return tuple(out)


def _rewrite(value: dict[str, Any]) -> TypenameRewrite:
    path = value["path"]
    if value["kind"] != "ValueSetter" or len(path) != 2 or not path[0].startswith("... on "):
        raise PlanFormatError("unknown input rewrite")
    return TypenameRewrite(path[0][len("... on ") :], str(value["setValueTo"]))
