"""Drop what a Federation 1 subgraph's @provides and @requires select that is not @external.

Federation 1 let those field sets name fields the subgraph resolves itself; Apollo's schema
upgrader removes such leaf fields, and the directive when nothing is left (FED
internals-js/src/federation.ts removeInactiveProvidesAndRequires).
"""

from __future__ import annotations

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.model import Applied, FieldDef, Subgraph
from router.composition.type_refs import named
from router.composition.usage import Coordinate, coordinates


def extension_key_fields(subgraph: Subgraph) -> set[tuple[str, str]]:
    """The key fields of extension types, which the Federation 1 upgrade makes non-external."""
    found: set[tuple[str, str]] = set()
    for type_def in subgraph.types.values():
        if type_def.extension or type_def.has("extends"):
            for key in type_def.applied("key"):
                found |= coordinates(subgraph, type_def.name, key.args.get("fields", ""))
    return found


def external_somewhere(
    subgraph: Subgraph,
    type_name: str,
    field_name: str,
    not_external: frozenset[Coordinate] = frozenset(),
) -> bool:
    """External, or (on an interface) external in one of the implementations.

    ``not_external`` lists fields whose @external does not count.
    """
    if (type_name, field_name) in not_external:
        return False
    type_def = subgraph.types.get(type_name)
    if type_def is None or field_name not in type_def.fields:
        return False
    if type_def.fields[field_name].has("external"):
        return True
    if type_def.kind != "interface":
        return False
    return any(
        type_name in t.interfaces
        and field_name in t.fields
        and t.fields[field_name].has("external")
        and (t.name, field_name) not in not_external
        for t in subgraph.types.values()
    )


def _active(subgraph: Subgraph, type_name: str, selection_set: SelectionSetNode) -> list[str]:
    """The selections worth keeping, printed as Apollo prints a field set."""
    kept: list[str] = []
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = condition.name.value if condition else type_name
            inner = _active(subgraph, target, selection.selection_set)
            if inner:
                on = f" on {target}" if condition else ""
                kept.append(f"...{on} {{ {' '.join(inner)} }}")
            continue
        assert isinstance(selection, FieldNode)
        name = selection.name.value
        if external_somewhere(subgraph, type_name, name):
            kept.append(name if selection.selection_set is None else _printed(selection))
            continue
        if selection.selection_set is None:
            continue
        field_def = (
            subgraph.types[type_name].fields.get(name) if type_name in subgraph.types else None
        )
        if field_def is None:
            continue
        inner = _active(subgraph, named(field_def.type), selection.selection_set)
        if inner:
            kept.append(f"{name} {{ {' '.join(inner)} }}")
    return kept


def _printed(node: FieldNode) -> str:
    if node.selection_set is None:
        return node.name.value
    inner = " ".join(_printed(s) for s in node.selection_set.selections if isinstance(s, FieldNode))
    return f"{node.name.value} {{ {inner} }}"


def _updated(subgraph: Subgraph, type_name: str, applied: Applied) -> Applied | None:
    fields = str(applied.args.get("fields", ""))
    try:
        selection = parse_field_set(fields)
    except FieldSetSyntaxError:
        return applied
    kept = " ".join(_active(subgraph, type_name, selection))
    if not kept:
        return None
    if kept == " ".join(fields.split()):
        return applied
    return Applied(applied.name, {**applied.args, "fields": kept})


def drop_inactive_field_sets(subgraph: Subgraph) -> None:
    """Remove the non-external leaf fields of every @provides and @requires, in place."""
    for type_def in subgraph.types.values():
        for field_def in type_def.fields.values():
            field_def.directives = _rewritten(subgraph, type_def.name, field_def)


def _rewritten(subgraph: Subgraph, parent: str, field_def: FieldDef) -> list[Applied]:
    directives: list[Applied] = []
    for applied in field_def.directives:
        if applied.name == "provides":
            updated = _updated(subgraph, named(field_def.type), applied)
        elif applied.name == "requires":
            updated = _updated(subgraph, parent, applied)
        else:
            updated = applied
        if updated is not None:
            directives.append(updated)
    return directives
