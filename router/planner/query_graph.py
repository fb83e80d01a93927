"""The query graph: every way data can be reached across the subgraphs of a supergraph.

A vertex is a type as one subgraph defines it. Edges are the moves a plan can make
(FED query-graphs-js/src/querygraph.ts; reference, section 3):

- a root edge enters a subgraph's root type for an operation kind;
- a field edge resolves a field inside one subgraph, carrying the declaration's @requires
  (its conditions), @provides and progressive-override label; @external fields get none,
  and an interface field gets one only when every local implementation resolves it;
- a key edge jumps, through one resolvable @key of the tail subgraph, from the type in any
  other subgraph that defines it (the key fields are its conditions); a jump into an
  @interfaceObject comes from each implementation and rewrites its ``__typename``;
- a down-cast edge narrows an abstract type to a possible object type the subgraph knows.

The graph is built once per supergraph and never changes; the override labels of a request
only switch field edges on or off (``FieldEdge.active``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode, parse_type

from router.supergraph.model import FieldInGraph, Supergraph

TYPENAME = "__typename"


@dataclass(frozen=True)
class Vertex:
    """A type as one subgraph defines it."""

    type_name: str
    subgraph: str


@dataclass(frozen=True)
class RootEdge:
    """Enter ``tail`` (a subgraph's root type) for an operation kind."""

    kind: str
    tail: Vertex


@dataclass(frozen=True)
class FieldEdge:
    """Resolve ``field_name`` at ``head``; ``tail`` is the field's type there, if composite."""

    head: Vertex
    field_name: str
    tail: Vertex | None
    declaration: FieldInGraph | None  # None for the implicit ``__typename``

    def active(self, labels: frozenset[str]) -> bool:
        """Whether this edge resolves the field under a request's override labels."""
        declaration = self.declaration
        if declaration is None or declaration.override_label is None:
            return True
        return (declaration.override_label in labels) == (declaration.override is not None)

    @property
    def requires(self) -> str | None:
        """The @requires field set: conditions that must be fetched before this edge."""
        return self.declaration.requires if self.declaration else None

    @property
    def provides(self) -> str | None:
        """The @provides field set: fields of the tail resolvable only on this path."""
        return self.declaration.provides if self.declaration else None


@dataclass(frozen=True)
class KeyEdge:
    """Jump from ``head`` to ``tail`` (same entity, another subgraph) through ``key``."""

    head: Vertex
    tail: Vertex
    key: str
    # Set when the tail is an @interfaceObject: the representation's __typename becomes it.
    rewrite: str | None = None


@dataclass(frozen=True)
class DownCastEdge:
    """Narrow the abstract type at ``head`` to the object type at ``tail`` (same subgraph)."""

    head: Vertex
    tail: Vertex


def unwrap(type_ref: str) -> tuple[str, int]:
    """The named type under a type reference's wrappers, and how many lists wrap it."""
    node: TypeNode = parse_type(type_ref)
    lists = 0
    while isinstance(node, (NonNullTypeNode, ListTypeNode)):
        lists += isinstance(node, ListTypeNode)
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value, lists


def named_type(type_ref: str) -> str:
    """The named type under any list and non-null wrappers of a type reference."""
    return unwrap(type_ref)[0]


class QueryGraph:
    """The query graph of one supergraph, with lookups by vertex."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.vertices: frozenset[Vertex] = frozenset(
            Vertex(name, graph)
            for name, info in supergraph.types.items()
            if info.kind in ("object", "interface", "union")
            for graph in info.graphs
        )
        self.roots: dict[str, tuple[RootEdge, ...]] = {
            kind: tuple(
                RootEdge(kind, Vertex(root, graph)) for graph in supergraph.types[root].graphs
            )
            for kind, root in supergraph.roots.items()
        }
        self._fields: dict[Vertex, dict[str, FieldEdge]] = {v: {} for v in self.vertices}
        self._keys: dict[Vertex, list[KeyEdge]] = {v: [] for v in self.vertices}
        self._downcasts: dict[Vertex, list[DownCastEdge]] = {v: [] for v in self.vertices}
        self._build_fields()
        self._build_keys()
        self._build_downcasts()

    # -- construction -----------------------------------------------------------------------

    def _build_fields(self) -> None:
        for vertex in sorted(self.vertices, key=_order):
            info = self.supergraph.types[vertex.type_name]
            edges = self._fields[vertex]
            if not info.graphs[vertex.subgraph].interface_object:
                # An @interfaceObject cannot tell an object's real type: no __typename edge.
                edges[TYPENAME] = FieldEdge(vertex, TYPENAME, None, None)
            for name, field_info in info.fields.items():
                for declaration in field_info.declarations:
                    if declaration.graph != vertex.subgraph:
                        continue
                    if declaration.external or declaration.used_overridden:
                        continue
                    target = Vertex(named_type(field_info.type), vertex.subgraph)
                    tail = target if target in self.vertices else None
                    edges[name] = FieldEdge(vertex, name, tail, declaration)

    def _build_keys(self) -> None:
        for vertex in sorted(self.vertices, key=_order):
            in_graph = self.supergraph.types[vertex.type_name].graphs[vertex.subgraph]
            for key in in_graph.resolvable_keys:
                graphs = self.supergraph.types[vertex.type_name].graphs
                heads = [Vertex(vertex.type_name, g) for g in graphs]
                if in_graph.interface_object:
                    heads += self._implementation_vertices(vertex.type_name)
                for head in heads:
                    if head.subgraph == vertex.subgraph:
                        continue
                    rewrite = vertex.type_name if head.type_name != vertex.type_name else None
                    self._keys[head].append(KeyEdge(head, vertex, key.fields, rewrite))

    def _implementation_vertices(self, interface: str) -> list[Vertex]:
        return [
            v
            for name in self.supergraph.possible_types(interface)
            for v in sorted(self.vertices, key=_order)
            if v.type_name == name
        ]

    def _build_downcasts(self) -> None:
        for vertex in sorted(self.vertices, key=_order):
            if self.supergraph.types[vertex.type_name].kind == "object":
                continue
            for name in self.supergraph.possible_types(vertex.type_name):
                tail = Vertex(name, vertex.subgraph)
                if tail in self.vertices:
                    self._downcasts[vertex].append(DownCastEdge(vertex, tail))

    # -- lookups ----------------------------------------------------------------------------

    def field(self, vertex: Vertex, name: str, labels: frozenset[str]) -> FieldEdge | None:
        """The active edge resolving ``name`` at ``vertex``, if the subgraph resolves it.

        An interface field counts only when every implementation the subgraph knows
        resolves it too; otherwise the planner asks per implementation (type explosion).
        """
        edge = self._fields.get(vertex, {}).get(name)
        if edge is None or not edge.active(labels):
            return None
        if name != TYPENAME and self.supergraph.types[vertex.type_name].kind == "interface":
            for down in self._downcasts[vertex]:
                implementation = self._fields[down.tail].get(name)
                if implementation is None or not implementation.active(labels):
                    return None
        return edge

    def keys(self, vertex: Vertex) -> list[KeyEdge]:
        """Key edges leaving ``vertex`` for other subgraphs, in a stable order."""
        return self._keys.get(vertex, [])

    def self_keys(self, vertex: Vertex) -> list[KeyEdge]:
        """Key edges from ``vertex`` back into its own subgraph.

        Not moves of the graph itself: a field with @requires is resolved through
        ``_entities`` by its own subgraph, with the required fields in the representation.
        """
        in_graph = self.supergraph.types[vertex.type_name].graphs.get(vertex.subgraph)
        keys = in_graph.resolvable_keys if in_graph else ()
        return [KeyEdge(vertex, vertex, key.fields) for key in keys]

    def downcasts(self, vertex: Vertex) -> list[DownCastEdge]:
        """Down-cast edges leaving ``vertex``, in the API schema's order of possible types."""
        return self._downcasts.get(vertex, [])

    def knows(self, type_name: str, subgraph: str) -> bool:
        """Whether ``subgraph`` defines ``type_name``."""
        return Vertex(type_name, subgraph) in self.vertices

    def is_interface_object(self, vertex: Vertex) -> bool:
        """Whether the subgraph knows the type only as an @interfaceObject."""
        info = self.supergraph.types.get(vertex.type_name)
        in_graph = info.graphs.get(vertex.subgraph) if info else None
        return in_graph is not None and in_graph.interface_object

    def resolvers(self, type_name: str, name: str, labels: frozenset[str]) -> list[str]:
        """The subgraphs with an active field edge for ``type_name.name``."""
        info = self.supergraph.types.get(type_name)
        if info is None:
            return []
        field_info = info.fields.get(name)
        graphs = [d.graph for d in field_info.declarations] if field_info else list(info.graphs)
        return [g for g in dict.fromkeys(graphs) if self.field(Vertex(type_name, g), name, labels)]


def _order(vertex: Vertex) -> tuple[str, str]:
    return vertex.type_name, vertex.subgraph


_GRAPHS: OrderedDict[str, QueryGraph] = OrderedDict()
_KEEP = 8


def query_graph(supergraph: Supergraph) -> QueryGraph:
    """The query graph of ``supergraph``, built once per supergraph hash."""
    graph = _GRAPHS.get(supergraph.hash)
    if graph is not None and graph.supergraph is supergraph:
        _GRAPHS.move_to_end(supergraph.hash)
        return graph
    graph = _GRAPHS[supergraph.hash] = QueryGraph(supergraph)
    while len(_GRAPHS) > _KEEP:
        _GRAPHS.popitem(last=False)
    return graph
