"""What a subgraph operation is, for the cache: a mutation, an entity fetch or a root query.

The planner writes every fetch in a fixed form (``_entities(representations: ...)`` with
one inline fragment per type), so reading the operation once tells the cache its kind,
the types it returns and the (type, field) pairs whose TTLs apply. Readings are kept per
operation text: a plan's fetches are sent again and again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from router.planner.query_graph import named_type
from router.supergraph.model import Supergraph

Kind = Literal["mutation", "entities", "root", "other"]
_KEEP = 4096


@dataclass(frozen=True)
class FetchShape:
    """The cache's reading of one subgraph operation."""

    kind: Kind
    digest: str
    types: tuple[str, ...]
    coordinates: tuple[tuple[str, str], ...]
    selections: tuple[tuple[str, SelectionSetNode], ...] = ()

    def embedded(self, supergraph: Supergraph) -> list[str]:
        """Entity types whose fields the answer holds below its top level, sorted."""
        found: set[str] = set()
        for _, _, target in self._fields(supergraph):
            if target is not None and target in supergraph.types:
                candidates = {target, *supergraph.possible_types(target)}
                found.update(t for t in candidates if _is_entity(supergraph, t))
        return sorted(found)

    def nested(self, supergraph: Supergraph) -> list[tuple[str, str]]:
        """Every (type, field) pair the answer holds, at any depth, sorted."""
        return sorted({(type_name, name) for type_name, name, _ in self._fields(supergraph)})

    def _fields(self, supergraph: Supergraph) -> Iterator[tuple[str, str, str | None]]:
        for type_name, selection_set in self.selections:
            yield from _fields(supergraph, type_name, selection_set)


def _fields(
    supergraph: Supergraph, type_name: str, selection_set: SelectionSetNode
) -> Iterator[tuple[str, str, str | None]]:
    """Each field selected at any depth: (parent type, field, the type of an object field)."""
    info = supergraph.types.get(type_name)
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = condition.name.value if condition else type_name
            yield from _fields(supergraph, inner, selection.selection_set)
        elif isinstance(selection, FieldNode) and selection.name.value != "__typename":
            field = info.fields.get(selection.name.value) if info else None
            if field is None or selection.selection_set is None:
                yield type_name, selection.name.value, None
                continue
            target = named_type(field.type)
            yield type_name, selection.name.value, target
            yield from _fields(supergraph, target, selection.selection_set)


def _is_entity(supergraph: Supergraph, type_name: str) -> bool:
    info = supergraph.types.get(type_name)
    return info is not None and any(g.keys for g in info.graphs.values())


_shapes: OrderedDict[str, FetchShape] = OrderedDict()


def fetch_shape(query: str) -> FetchShape:
    """The reading of ``query``; an operation the cache does not understand is "other"."""
    shape = _shapes.get(query)
    if shape is None:
        shape = _shapes[query] = _read(query)
        if len(_shapes) > _KEEP:
            _shapes.popitem(last=False)
    return shape


def _read(query: str) -> FetchShape:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return FetchShape("other", digest, (), ())
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or len(document.definitions) != 1:
        return FetchShape("other", digest, (), ())
    operation = operations[0]
    if operation.operation.value == "mutation":
        return FetchShape("mutation", digest, (), ())
    if operation.operation.value != "query":
        return FetchShape("other", digest, (), ())
    selections = operation.selection_set.selections
    fields = [s for s in selections if isinstance(s, FieldNode)]
    if len(fields) == 1 and len(selections) == 1 and fields[0].name.value == "_entities":
        return _entities(digest, fields[0])
    if len(fields) != len(selections):
        return FetchShape("other", digest, (), ())
    coordinates = tuple(("Query", f.name.value) for f in fields if f.name.value != "__typename")
    root = (("Query", operation.selection_set),)
    return FetchShape("root", digest, ("Query",), coordinates, root)


def _entities(digest: str, field: FieldNode) -> FetchShape:
    types: list[str] = []
    coordinates: list[tuple[str, str]] = []
    selections: list[tuple[str, SelectionSetNode]] = []
    for selection in field.selection_set.selections if field.selection_set else ():
        if not isinstance(selection, InlineFragmentNode) or selection.type_condition is None:
            return FetchShape("other", digest, (), ())
        type_name = selection.type_condition.name.value
        types.append(type_name)
        selections.append((type_name, selection.selection_set))
        for inner in selection.selection_set.selections:
            if isinstance(inner, FieldNode) and inner.name.value != "__typename":
                coordinates.append((type_name, inner.name.value))
    return FetchShape("entities", digest, tuple(types), tuple(coordinates), tuple(selections))
