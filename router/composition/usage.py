"""What a subgraph's federation directives reference: key, @requires and @provides fields.

Field sets are walked along field types, so ``@key(fields: "id org { id }")`` marks both
``Member.id`` and ``Org.id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.model import Subgraph
from router.composition.type_refs import named

Coordinate = tuple[str, str]


@dataclass
class Usage:
    """The (type, field) coordinates a subgraph's field sets select, by directive."""

    key: set[Coordinate] = field(default_factory=set)
    requires: set[Coordinate] = field(default_factory=set)
    provides: set[Coordinate] = field(default_factory=set)

    def uses(self, coordinate: Coordinate) -> bool:
        """Whether any @key, @requires or @provides selects the field."""
        return coordinate in self.key or coordinate in self.requires or coordinate in self.provides


def selected(
    subgraph: Subgraph, type_name: str, selection_set: SelectionSetNode
) -> set[Coordinate]:
    """The coordinates a selection set reaches from ``type_name`` in ``subgraph``."""
    found: set[Coordinate] = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            found.add((type_name, name))
            type_def = subgraph.types.get(type_name)
            field_def = type_def.fields.get(name) if type_def else None
            if selection.selection_set and field_def is not None:
                found |= selected(subgraph, named(field_def.type), selection.selection_set)
        elif isinstance(selection, InlineFragmentNode) and selection.selection_set:
            target = selection.type_condition.name.value if selection.type_condition else type_name
            found |= selected(subgraph, target, selection.selection_set)
    return found


def coordinates(subgraph: Subgraph, type_name: str, fields: object) -> set[Coordinate]:
    """The coordinates the field set ``fields`` selects from ``type_name`` (none if invalid)."""
    try:
        return selected(subgraph, type_name, parse_field_set(str(fields)))
    except FieldSetSyntaxError:
        return set()


def usage_of(subgraph: Subgraph) -> Usage:
    """Every coordinate the subgraph's @key, @requires and @provides select."""
    usage = Usage()
    for type_def in subgraph.types.values():
        for key in type_def.applied("key"):
            usage.key |= coordinates(subgraph, type_def.name, key.args.get("fields", ""))
        for field_def in type_def.fields.values():
            for requires in field_def.applied("requires"):
                usage.requires |= coordinates(subgraph, type_def.name, requires.args.get("fields"))
            for provides in field_def.applied("provides"):
                target = named(field_def.type)
                usage.provides |= coordinates(subgraph, target, provides.args.get("fields"))
    return usage
