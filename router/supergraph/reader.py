"""Read a supergraph SDL (link + join v0.2 to v0.5, or core + join v0.1) into the model.

Meanings follow FED internals-js/src/extractSubgraphsFromSupergraph.ts: an object or
interface field without @join__field is resolved by every subgraph that defines its type;
with @join__field, by the subgraphs listed (``external`` ones only declare it). Federation
1 supergraphs (join v0.1) name an owner per entity; their value types live everywhere.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    UnionTypeDefinitionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from router.supergraph.api_schema import api_schema
from router.supergraph.errors import SupergraphError
from router.supergraph.model import (
    FieldInfo,
    FieldInGraph,
    Key,
    Supergraph,
    TypeInfo,
    TypeInGraph,
    TypeKind,
)

SPEC_URL = re.compile(r"^https://specs\.apollo\.dev/(?P<name>[\w-]+)/v(?P<version>\d+\.\d+)$")
JOIN_VERSIONS = {"0.1", "0.2", "0.3", "0.4", "0.5"}
# Specs the router implements for EXECUTION or SECURITY purposes, and their versions.
IMPLEMENTED = {
    "join": JOIN_VERSIONS,
    "inaccessible": {"0.1", "0.2"},
    "link": {"1.0"},
    "core": {"0.1", "0.2"},
}
KINDS: dict[type, TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    UnionTypeDefinitionNode: "union",
    EnumTypeDefinitionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
}
SPEC_TYPE = re.compile(r"^(join|link|core|tag|inaccessible|requiresScopes|policy|context|cost)__")


def _args(directive: ConstDirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _applied(node: Any, name: str) -> list[dict[str, Any]]:
    return [_args(d) for d in node.directives or () if d.name.value == name]


def _check_links(document: DocumentNode) -> str:
    """The join version linked; refuses features linked for EXECUTION or SECURITY we lack."""
    join_version = None
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value not in ("link", "core"):
                continue
            args = _args(directive)
            url = str(args.get("url") or args.get("feature") or "")
            match = SPEC_URL.match(url)
            name, version = (match["name"], match["version"]) if match else (url, "")
            if name == "join":
                join_version = version
            purpose = args.get("for")
            if purpose in ("EXECUTION", "SECURITY") and version not in IMPLEMENTED.get(name, ()):
                raise SupergraphError(
                    f"the supergraph links {url} for {purpose}, which this router does not "
                    "implement; it refuses to run a supergraph it cannot execute correctly"
                )
    if join_version is None:
        raise SupergraphError("not a supergraph: it does not link the join spec")
    if join_version not in JOIN_VERSIONS:
        raise SupergraphError(f"join v{join_version} is not supported (v0.1 to v0.5 are)")
    return join_version


def _graphs(document: DocumentNode) -> tuple[dict[str, str], dict[str, str]]:
    """(join__Graph value -> subgraph name, subgraph name -> URL)."""
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, EnumTypeDefinitionNode)
            and definition.name.value == "join__Graph"
        ):
            for value in definition.values or ():
                graph = _applied(value, "join__graph")
                if graph:
                    names[value.name.value] = str(graph[0]["name"])
                    urls[str(graph[0]["name"])] = str(graph[0]["url"])
    if not names:
        raise SupergraphError("the supergraph declares no subgraph (join__Graph is empty)")
    return names, urls


class _Reader:
    def __init__(self, document: DocumentNode, join_version: str) -> None:
        self.document = document
        self.fed1 = join_version == "0.1"
        self.graph_names, self.urls = _graphs(document)

    def graph(self, value: Any) -> str:
        return self.graph_names[str(value)]

    def read_types(self) -> dict[str, TypeInfo]:
        types = {}
        for definition in self.document.definitions:
            kind = KINDS.get(type(definition))
            if kind is None:
                continue
            name = definition.name.value  # type: ignore[attr-defined]
            if SPEC_TYPE.match(name):
                continue
            types[name] = self.read_type(definition, name, kind)
        return types

    def read_type(self, node: Any, name: str, kind: TypeKind) -> TypeInfo:
        graphs: dict[str, TypeInGraph] = {}
        for join in _applied(node, "join__type"):
            graph = self.graph(join["graph"])
            previous = graphs.get(graph, TypeInGraph(graph))
            keys = previous.keys
            if join.get("key") is not None:
                keys = (*keys, Key(str(join["key"]), join.get("resolvable", True) is not False))
            graphs[graph] = TypeInGraph(
                graph, keys, previous.interface_object or bool(join.get("isInterfaceObject"))
            )
        owner = _applied(node, "join__owner")
        if not graphs:
            # Federation 1 value types (and types of a one-subgraph supergraph) live everywhere.
            graphs = {g: TypeInGraph(g) for g in self.urls}
        implements: dict[str, tuple[str, ...]] = {}
        for join in _applied(node, "join__implements"):
            graph = self.graph(join["graph"])
            implements[graph] = (*implements.get(graph, ()), str(join["interface"]))
        if self.fed1 or not _applied(node, "join__implements"):
            interfaces = tuple(i.name.value for i in getattr(node, "interfaces", None) or ())
            if interfaces and not implements:
                implements = dict.fromkeys(graphs, interfaces)
        members: dict[str, tuple[str, ...]] = {}
        for join in _applied(node, "join__unionMember"):
            graph = self.graph(join["graph"])
            members[graph] = (*members.get(graph, ()), str(join["member"]))
        if kind == "union" and not members:
            all_members = tuple(t.name.value for t in node.types or ())
            members = dict.fromkeys(graphs, all_members)
        fields = {}
        if kind in ("object", "interface"):
            default_graphs = [self.graph(owner[0]["graph"])] if owner else list(graphs)
            for field_node in node.fields or ():
                fields[field_node.name.value] = self.read_field(field_node, default_graphs)
            if self.fed1:
                fields = _with_key_fields(fields, graphs)
        return TypeInfo(name, kind, graphs, fields, implements, members)

    def read_field(self, node: Any, default_graphs: list[str]) -> FieldInfo:
        joins = _applied(node, "join__field")
        name, field_type = node.name.value, print_ast(node.type)
        if not joins:
            return FieldInfo(name, field_type, tuple(FieldInGraph(g) for g in default_graphs))
        declarations = []
        for join in joins:
            if join.get("graph") is None:
                continue
            declarations.append(
                FieldInGraph(
                    graph=self.graph(join["graph"]),
                    requires=join.get("requires"),
                    provides=join.get("provides"),
                    external=bool(join.get("external")),
                    override=join.get("override"),
                    override_label=join.get("overrideLabel"),
                    used_overridden=bool(join.get("usedOverridden")),
                    type=join.get("type"),
                )
            )
        return FieldInfo(
            name, field_type, tuple(declarations), interface_object_only=not declarations
        )

    def roots(self) -> dict[str, str]:
        roots = {"query": "Query"}
        for definition in self.document.definitions:
            if isinstance(definition, SchemaDefinitionNode):
                roots = {
                    op.operation.value: op.type.name.value for op in definition.operation_types
                }
        return roots


def _with_key_fields(
    fields: dict[str, FieldInfo], graphs: dict[str, TypeInGraph]
) -> dict[str, FieldInfo]:
    """Federation 1: a subgraph declaring a key resolves the key's fields.

    Join v0.1 lists key fields under their owner only; every subgraph with the key holds
    them (FED internals-js/src/extractSubgraphsFromSupergraph.ts re-derives them).
    """
    result = dict(fields)
    for graph, type_in_graph in graphs.items():
        for key in type_in_graph.keys:
            for name in key.fields.replace("{", " ").replace("}", " ").split():
                info = result.get(name)
                if info is None or any(d.graph == graph for d in info.declarations):
                    continue
                result[name] = FieldInfo(
                    info.name, info.type, (*info.declarations, FieldInGraph(graph))
                )
    return result


def read_supergraph(sdl: str) -> Supergraph:
    """Load a supergraph SDL; raises SupergraphError with a clear message if it cannot run."""
    try:
        document = parse(sdl)
    except GraphQLError as error:
        raise SupergraphError(f"the supergraph SDL does not parse: {error.message}") from None
    join_version = _check_links(document)
    reader = _Reader(document, join_version)
    try:
        schema = api_schema(sdl)
    except (GraphQLError, TypeError) as error:
        raise SupergraphError(f"the supergraph's API schema is invalid: {error}") from None
    return Supergraph(
        sdl=sdl,
        hash=hashlib.sha256(sdl.encode()).hexdigest(),
        urls=reader.urls,
        types=reader.read_types(),
        roots=reader.roots(),
        api_schema=schema,
    )
