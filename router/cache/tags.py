"""Invalidation tags: the names under which cached entries are found again to be deleted.

An entity entry is tagged with its entity (type and key values) and its type; a root-field
entry with its subgraph. A mutation's answer is turned into the tags it makes stale: the
entities its data returns, the entities and types the subgraph names in
``extensions.invalidation`` (docs/cache-invalidation.md), and the mutated subgraph's root
fields (its own data changed). A type whose entities are known by several different keys
is invalidated as a whole, since an entry may have been stored under another key than the
one a mutation names.

An entry may also hold data of entities below its own (``Task.assignee { name }``, cached
as a Task entry of the users subgraph) without their keys. Such an entry is tagged
``embeds:<type>`` for every entity type its selection reaches, and invalidating any
entity of that type invalidates it too: coarse, but never stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from graphql import FieldNode

from router.planner.field_sets import field_set_selections
from router.supergraph.model import Supergraph

TYPENAME = "__typename"


def _key_value(values: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return orjson.dumps({n: values[n] for n in names}, option=orjson.OPT_SORT_KEYS).decode()


def entity_tag(type_name: str, key: str) -> str:
    """The tag of one entity: its type and its key values (canonical JSON)."""
    return f"entity:{type_name}:{key}"


def type_tag(type_name: str) -> str:
    """The tag of every entry holding entities of a type."""
    return f"type:{type_name}"


def embeds_tag(type_name: str) -> str:
    """The tag of every entry whose data holds fields of entities of a type, below its own."""
    return f"embeds:{type_name}"


def root_tag(subgraph: str) -> str:
    """The tag of every root-field entry of a subgraph."""
    return f"root:{subgraph}"


class Tagger:
    """Computes tags with the entity keys of one supergraph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.keys: dict[str, list[tuple[str, ...]]] = {}
        self.owners: dict[str, list[str]] = {}
        for name, info in supergraph.types.items():
            keys: list[tuple[str, ...]] = []
            for in_graph in info.graphs.values():
                for key in in_graph.keys:
                    names = tuple(
                        s.name.value
                        for s in field_set_selections(key.fields)
                        if isinstance(s, FieldNode)
                    )
                    if names and names not in keys:
                        keys.append(names)
            if keys:
                self.keys[name] = keys
            self.owners[name] = list(info.graphs)

    def entity_tags(self, type_name: str, values: Mapping[str, Any]) -> list[str]:
        """Tags of an entity whose fields include ``values``: one per complete key, and its type."""
        tags = [
            entity_tag(type_name, _key_value(values, names))
            for names in self.keys.get(type_name, ())
            if all(n in values for n in names)
        ]
        return [*tags, type_tag(type_name)]

    def invalidation_tags(self, type_name: str, key: Mapping[str, Any] | None) -> list[str]:
        """Tags to invalidate for an entity (``key`` given) or a whole type (``key`` None)."""
        embedded = embeds_tag(type_name)
        if key is None or len(self.keys.get(type_name, ())) > 1:
            roots = [root_tag(s) for s in self.owners.get(type_name, ())]
            return [type_tag(type_name), embedded, *roots]
        return [entity_tag(type_name, _key_value(key, tuple(key))), embedded]

    def stale_after_mutation(
        self, subgraph: str, data: Any, extensions: Mapping[str, Any]
    ) -> list[str]:
        """Every tag a mutation's answer makes stale, without duplicates, in a stable order."""
        tags: dict[str, None] = {root_tag(subgraph): None}
        for type_name, values in _objects(data):
            if type_name in self.keys:
                for tag in self.entity_tags(type_name, values)[:-1]:
                    tags[tag] = None
                tags[embeds_tag(type_name)] = None
                if len(self.keys[type_name]) > 1:
                    tags.update(dict.fromkeys(self.invalidation_tags(type_name, None)))
        for item in _invalidation_items(extensions):
            type_name = item["type"]
            key = item.get("key") if item["kind"] == "entity" else None
            tags.update(dict.fromkeys(self.invalidation_tags(type_name, key)))
        return list(tags)


def _objects(value: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        typename = value.get(TYPENAME)
        if isinstance(typename, str):
            yield typename, value
        for item in value.values():
            if isinstance(item, (dict, list)):
                yield from _objects(item)


def _invalidation_items(extensions: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Well-formed items of ``extensions.invalidation``; malformed ones are ignored."""
    items = extensions.get("invalidation")
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            continue
        whole_type = item.get("kind") == "type"
        entity = item.get("kind") == "entity" and isinstance(item.get("key"), dict)
        if whole_type or (entity and item["key"]):
            yield item
