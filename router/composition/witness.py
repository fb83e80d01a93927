"""Witness queries: the smallest supergraph operation showing where satisfiability fails.

Apollo prints the supergraph path it could not follow as an operation, every field with all
its arguments given a made-up value, and ``...`` where a selection would follow (FED
composition-js/src/validate.ts buildWitnessOperation, generateWitnessValue).
"""

from __future__ import annotations

import json

from graphql import ListTypeNode, NonNullTypeNode, TypeNode

from router.composition.supergraph_model import MergedField, MergedSupergraph
from router.composition.type_refs import named

_SCALAR_VALUES = {
    "Int": "0",
    "Float": "3.14",
    "Boolean": "true",
    "String": json.dumps("A string value"),
    "ID": json.dumps("<any id>"),
}


def _visible(directives: list[str]) -> bool:
    return "@inaccessible" not in directives


def witness_value(supergraph: MergedSupergraph, type_node: TypeNode) -> str:
    """The value Apollo's witness gives an argument of type ``type_node``, as GraphQL text."""
    if isinstance(type_node, NonNullTypeNode):
        return witness_value(supergraph, type_node.type)
    if isinstance(type_node, ListTypeNode):
        return "[]"
    name = named(type_node)
    if name in _SCALAR_VALUES:
        return _SCALAR_VALUES[name]
    merged = supergraph.types.get(name)
    if merged is None or merged.kind == "scalar":
        return json.dumps("<some value>")
    if merged.kind == "enum":
        return next(v.name for v in merged.values.values() if _visible(v.directives))
    mandatory = [
        f"{f.name}: {witness_value(supergraph, f.type)}"
        for f in merged.input_fields.values()
        if _visible(f.directives) and f.default is None and isinstance(f.type, NonNullTypeNode)
    ]
    return "{" + ", ".join(mandatory) + "}" if mandatory else "{}"


def witness_step(supergraph: MergedSupergraph, merged_field: MergedField) -> str:
    """A field of the witness: its name and every visible argument with a made-up value."""
    args = [
        f"{a.name}: {witness_value(supergraph, a.type)}"
        for a in merged_field.args.values()
        if _visible(a.directives)
    ]
    return f"{merged_field.name}({', '.join(args)})" if args else merged_field.name


def witness_operation(operation: str, steps: list[str], open_end: bool) -> str:
    """The printed operation: ``steps`` nested, with ``...`` inside the last when ``open_end``.

    ``open_end`` is for a path ending on a composite type (Apollo prints its empty selection
    as ``...``).
    """
    lines = ["{" if operation == "query" else f"{operation} {{"]
    for depth, step in enumerate(steps, start=1):
        last = depth == len(steps)
        lines.append("  " * depth + step + (" {" if not last or open_end else ""))
    if open_end:
        lines.append("  " * (len(steps) + 1) + "...")
        lines.append("  " * len(steps) + "}")
    lines += ["  " * depth + "}" for depth in range(len(steps) - 1, -1, -1)]
    return "\n".join(lines)
