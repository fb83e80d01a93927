"""Which @key to jump through: one whose fields the current subgraph can provide.

A key is usable from subgraph S when each of its fields is resolved in S, or can itself
be fetched from another subgraph reachable from S through a usable key (a chain of
jumps, as Apollo's query graph allows). Direct keys are preferred: they cost no extra
fetch.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import FieldNode

from router.planner.field_sets import field_set_selections
from router.supergraph.model import Supergraph

Resolvers = Callable[[str, str], list[str]]


class KeyChooser:
    """Answers "through which key can S reach type T in subgraph S2?" for one walk."""

    def __init__(self, supergraph: Supergraph, resolvers: Resolvers) -> None:
        self.supergraph = supergraph
        self.resolvers = resolvers

    def keys(self, type_name: str, subgraph: str) -> list[str]:
        """The resolvable keys of ``type_name`` in ``subgraph``, in declaration order."""
        type_in_graph = self.supergraph.types[type_name].graphs.get(subgraph)
        return [k.fields for k in type_in_graph.resolvable_keys] if type_in_graph else []

    def direct(self, source: str, type_name: str, fields: str, provided: frozenset[str]) -> bool:
        """Whether every top-level field of the field set is resolved in ``source``."""
        return all(
            isinstance(s, FieldNode)
            and (s.name.value in provided or source in self.resolvers(type_name, s.name.value))
            for s in field_set_selections(fields)
        )

    def usable(
        self,
        source: str,
        type_name: str,
        fields: str,
        provided: frozenset[str] = frozenset(),
        visiting: frozenset[str] = frozenset(),
    ) -> bool:
        """Whether ``source`` can provide the field set, possibly through other subgraphs."""
        for selection in field_set_selections(fields):
            if not isinstance(selection, FieldNode):
                return False
            name = selection.name.value
            if name in provided or source in self.resolvers(type_name, name):
                continue
            if not any(
                other not in visiting
                and other != source
                and any(
                    self.usable(source, type_name, key, provided, visiting | {source, other})
                    for key in self.keys(type_name, other)
                )
                for other in self.resolvers(type_name, name)
            ):
                return False
        return True

    def choose(
        self, source: str, type_name: str, target: str, provided: frozenset[str] = frozenset()
    ) -> tuple[str, bool] | None:
        """(key, direct?) to reach ``target`` from ``source``, preferring direct keys."""
        keys = self.keys(type_name, target)
        for key in keys:
            if self.direct(source, type_name, key, provided):
                return key, True
        for key in keys:
            if self.usable(source, type_name, key, provided, frozenset({target})):
                return key, False
        return None
