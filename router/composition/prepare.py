"""Bring every subgraph to one shape before merging.

Root types take their default names (``schema { query: RootQuery }`` becomes ``Query``);
every subgraph has a Query type (it has ``_entities`` and ``_service``); Federation 1
subgraphs are upgraded as Apollo's schema upgrader does (FED
composition-js/src/schemaUpgrader.ts): a type extension whose type is defined elsewhere
becomes a plain definition, @external leaves key fields of such types, @provides and
@requires lose the fields that are not @external, unused @external fields are dropped,
and @key leaves interfaces.
"""

from __future__ import annotations

from graphql import ListTypeNode, NamedTypeNode, NameNode, NonNullTypeNode, TypeNode

from router.composition.inactive_field_sets import drop_inactive_field_sets
from router.composition.model import DEFAULT_ROOT_NAMES, Subgraph, TypeDef
from router.composition.usage import coordinates, usage_of


def _renamed(type_node: TypeNode, names: dict[str, str]) -> TypeNode:
    if isinstance(type_node, NonNullTypeNode):
        inner = _renamed(type_node.type, names)
        assert isinstance(inner, (NamedTypeNode, ListTypeNode))
        return NonNullTypeNode(type=inner)
    if isinstance(type_node, ListTypeNode):
        return ListTypeNode(type=_renamed(type_node.type, names))
    assert isinstance(type_node, NamedTypeNode)
    name = type_node.name.value
    return NamedTypeNode(name=NameNode(value=names[name])) if name in names else type_node


def rename_roots(subgraph: Subgraph) -> None:
    """Give root types their default names, everywhere they are referenced."""
    names = {
        current: DEFAULT_ROOT_NAMES[operation]
        for operation, current in subgraph.roots.items()
        if current != DEFAULT_ROOT_NAMES[operation]
    }
    if not names:
        return
    types: dict[str, TypeDef] = {}
    for type_def in subgraph.types.values():
        type_def.name = names.get(type_def.name, type_def.name)
        for field_def in type_def.fields.values():
            field_def.type = _renamed(field_def.type, names)
            for arg in field_def.args.values():
                arg.type = _renamed(arg.type, names)
        for input_field in type_def.input_fields.values():
            input_field.type = _renamed(input_field.type, names)
        type_def.members = [names.get(m, m) for m in type_def.members]
        types[type_def.name] = type_def
    subgraph.types = types
    subgraph.roots = {op: DEFAULT_ROOT_NAMES[op] for op in subgraph.roots}


def ensure_query(subgraph: Subgraph) -> None:
    """Add the Query type every subgraph has (with ``_service``) if its SDL shows none."""
    if "query" not in subgraph.roots:
        subgraph.roots["query"] = "Query"
        subgraph.types.setdefault("Query", TypeDef(name="Query", kind="object"))


def upgrade_fed1(subgraph: Subgraph, defined_elsewhere: set[str]) -> None:
    """Upgrade a Federation 1 subgraph in place; ``defined_elsewhere``: types with a base."""
    usage = usage_of(subgraph)
    for type_def in subgraph.types.values():
        if type_def.kind == "interface":
            type_def.directives = [d for d in type_def.directives if d.name != "key"]
        is_extension = type_def.extension or type_def.has("extends")
        if not is_extension or type_def.name not in defined_elsewhere:
            continue
        # `extend type` becomes a definition; an @extends directive stays, and still
        # marks its keys as extensions, as in Apollo's upgrader.
        type_def.extension = False
        type_def.extension_directives = []
        for field_def in type_def.fields.values():
            if (type_def.name, field_def.name) in usage.key:
                field_def.directives = [d for d in field_def.directives if d.name != "external"]
    drop_inactive_field_sets(subgraph)
    usage = usage_of(subgraph)
    for type_def in subgraph.types.values():
        type_def.fields = {
            name: field_def
            for name, field_def in type_def.fields.items()
            if not field_def.has("external") or usage.uses((type_def.name, name))
        }


def drop_fake_externals(subgraph: Subgraph) -> None:
    """Key fields marked @external on an extension type are not external.

    Apollo calls them "fake" externals and treats them as resolved by the subgraph, for
    backward compatibility (FED internals-js/src/federation.ts ExternalTester
    collectFakeExternals): the fields selected by the keys of a type declared with
    ``extend type`` or ``@extends`` lose their @external.
    """
    fake: set[tuple[str, str]] = set()
    for type_def in subgraph.types.values():
        if not (type_def.extension or type_def.has("extends")):
            continue
        for key in type_def.applied("key"):
            fake |= coordinates(subgraph, type_def.name, key.args.get("fields", ""))
    for type_name, field_name in fake:
        field_def = subgraph.types[type_name].fields.get(field_name)
        if field_def is not None:
            field_def.directives = [d for d in field_def.directives if d.name != "external"]


def prepare(subgraphs: list[Subgraph]) -> None:
    """Apply every preparation, in place."""
    for subgraph in subgraphs:
        rename_roots(subgraph)
        ensure_query(subgraph)
    defined = {
        name
        for subgraph in subgraphs
        for name, type_def in subgraph.types.items()
        if not (type_def.extension or type_def.has("extends"))
    }
    for subgraph in subgraphs:
        if subgraph.is_fed1:
            upgrade_fed1(subgraph, defined)
        else:
            drop_fake_externals(subgraph)
