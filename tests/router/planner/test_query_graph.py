"""The query graph and the jump search, on small supergraphs (pure code: no subgraphs run)."""

from __future__ import annotations

import pytest

from router.planner.jumps import FETCH, FIELD, JumpSearch
from router.planner.query_graph import KeyEdge, QueryGraph, Vertex, query_graph
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from tests.conformance.harness import compose_supergraph
from tests.conformance.interface_object.subgraphs import accounts, activity
from tests.conformance.override.subgraphs import new, old
from tests.conformance.query_graph.subgraphs import catalog, music, registry, studios

NONE: frozenset[str] = frozenset()


@pytest.fixture(scope="module")
def media() -> Supergraph:
    return read_supergraph(
        compose_supergraph(
            {"catalog": catalog, "music": music, "studios": studios, "registry": registry}
        )
    )


@pytest.fixture(scope="module")
def graph(media: Supergraph) -> QueryGraph:
    return query_graph(media)


def test_a_vertex_per_type_per_subgraph_that_defines_it(graph: QueryGraph) -> None:
    studio = {v.subgraph for v in graph.vertices if v.type_name == "Studio"}

    assert studio == {"catalog", "studios", "registry"}
    assert Vertex("Song", "music") in graph.vertices
    assert not graph.knows("Film", "music")


def test_root_edges_enter_every_subgraph_root(graph: QueryGraph) -> None:
    tails = {e.tail for e in graph.roots["query"]}

    assert tails == {Vertex("Query", g) for g in ("catalog", "music", "studios", "registry")}


def test_key_edges_come_from_every_other_subgraph_with_the_type(graph: QueryGraph) -> None:
    into_registry = [
        e for v in graph.vertices for e in graph.keys(v) if e.tail == Vertex("Studio", "registry")
    ]

    assert sorted((e.head.subgraph, e.key) for e in into_registry) == [
        ("catalog", "id"),
        ("studios", "id"),
    ]
    assert {e.key for e in graph.keys(Vertex("Studio", "catalog"))} == {"code", "id"}


def test_an_external_field_has_no_edge(graph: QueryGraph) -> None:
    assert graph.field(Vertex("Song", "catalog"), "title", NONE) is None
    assert graph.field(Vertex("Song", "music"), "title", NONE) is not None


def test_an_interface_field_has_an_edge_only_if_every_implementation_resolves_it(
    graph: QueryGraph,
) -> None:
    assert graph.field(Vertex("Media", "catalog"), "id", NONE) is not None
    assert graph.field(Vertex("Media", "catalog"), "title", NONE) is None
    downcasts = [d.tail for d in graph.downcasts(Vertex("Media", "catalog"))]
    assert sorted(v.type_name for v in downcasts) == ["Film", "Song"]


def test_typename_is_an_edge_at_every_vertex_but_an_interface_object() -> None:
    schemas = {"accounts": accounts, "activity": activity}
    graph = query_graph(read_supergraph(compose_supergraph(schemas)))
    objects = [v for v in graph.vertices if graph.is_interface_object(v)]

    assert objects
    for vertex in objects:
        assert graph.field(vertex, "__typename", NONE) is None
        assert any(e.rewrite == vertex.type_name for v in graph.vertices for e in graph.keys(v))


def test_override_labels_switch_field_edges() -> None:
    graph = query_graph(read_supergraph(compose_supergraph({"old": old, "new": new})))
    label = frozenset({"beta"})

    assert graph.resolvers("Product", "rating", NONE) == ["old"]
    assert graph.resolvers("Product", "rating", label) == ["new"]
    assert graph.resolvers("Product", "inStock", NONE) == ["new"]


def test_a_direct_jump_costs_one_fetch_and_its_key_fields(graph: QueryGraph) -> None:
    search = JumpSearch(graph, NONE)

    [jump] = search.options(Vertex("Studio", "catalog"), "name")

    assert jump.edge == KeyEdge(Vertex("Studio", "catalog"), Vertex("Studio", "studios"), "code")
    assert jump.cost == FETCH + FIELD


def test_a_chain_costs_every_fetch_on_it_and_the_cheapest_comes_first(
    graph: QueryGraph,
) -> None:
    search = JumpSearch(graph, NONE)

    options = search.options(Vertex("Studio", "catalog"), "country")

    assert [(j.edge.tail.subgraph, j.edge.key, j.cost) for j in options] == [
        ("studios", "code", FETCH + FIELD),
        ("registry", "id", FETCH + FETCH + FIELD + FIELD),
    ]


def test_provided_fields_count_as_resolved_at_the_head(graph: QueryGraph) -> None:
    search = JumpSearch(graph, NONE)

    [jump] = search.options(Vertex("Studio", "catalog"), "founded", frozenset({"id"}))

    assert jump.cost == FETCH + FIELD


def test_no_jump_reaches_a_field_no_subgraph_resolves(graph: QueryGraph) -> None:
    assert JumpSearch(graph, NONE).options(Vertex("Song", "catalog"), "lyrics") == []


def test_the_graph_is_built_once_per_supergraph(media: Supergraph) -> None:
    assert query_graph(media) is query_graph(media)
