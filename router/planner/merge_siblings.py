"""Optimisation pass: sibling entity fetches that ask the same thing become one fetch.

Two entity groups to the same subgraph, at the same response path, fed by the same groups
and under the same @skip/@include condition, whose ``_entities`` selections print the same,
differ only in which objects they are sent (the representations of different types, as
when an interface field is asked of each implementation and sent to an @interfaceObject):
one fetch carries both, with the union of their required fields and rewrites.
"""

from __future__ import annotations

from router.planner.fetch_groups import FetchGroup


def _signature(group: FetchGroup) -> tuple[object, ...]:
    printed = tuple(
        (type_name, selections.printed())
        for type_name, selections in sorted(group.entity_selections.items())
    )
    return (
        group.subgraph,
        group.path,
        group.condition,
        frozenset(group.depends_on),
        printed,
    )


def merge_sibling_fetches(groups: list[FetchGroup]) -> None:
    """Merge, in place, the entity groups of ``groups`` that differ only in their objects.

    A merged group is left empty (the scheduler drops it) and whatever depended on it
    depends on the group that absorbed it.
    """
    kept: dict[tuple[object, ...], FetchGroup] = {}
    for group in groups:
        if group.kind != "entity" or not group.entity_selections:
            continue
        signature = _signature(group)
        into = kept.get(signature)
        if into is None:
            kept[signature] = group
            continue
        _absorb(into, group)
        for other in groups:
            if group.id in other.depends_on:
                other.depends_on.discard(group.id)
                other.depends_on.add(into.id)


def _absorb(into: FetchGroup, group: FetchGroup) -> None:
    for type_name, required in group.requires.items():
        own = into.requires.get(type_name)
        into.requires[type_name] = required if own is None else own.merged(required)
    for type_name, value in group.rewrites.items():
        into.rewrites.setdefault(type_name, value)
    for type_name, runtimes in group.runtime_types.items():
        into.runtime_types.setdefault(type_name, runtimes)
    group.entity_selections = {}
    group.requires = {}
    group.rewrites = {}
    group.runtime_types = {}
