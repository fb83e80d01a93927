"""Parse a subgraph's SDL into the composition model.

Resolves the subgraph's ``@link`` to the federation spec (imports, renames, the
``federation__`` namespace), so every federation directive is known by its spec name, and
folds type extensions into their types. A subgraph without that link is Federation 1.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ConstDirectiveNode,
    ConstValueNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLSyntaxError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    value_from_ast_untyped,
)

from router.composition.errors import CompositionError, CompositionFailed
from router.composition.model import (
    DEFAULT_ROOT_NAMES,
    Applied,
    DirectiveDef,
    EnumValue,
    FieldDef,
    InputValue,
    Subgraph,
    TypeDef,
    TypeKind,
)
from router.composition.spec import (
    FED1_DIRECTIVES,
    FEDERATION_DIRECTIVES,
    FEDERATION_TYPES,
    FEDERATION_URL,
    KNOWN_FEDERATION_VERSIONS,
    LINK_URL,
    SUBGRAPH_ONLY_QUERY_FIELDS,
    SUBGRAPH_ONLY_TYPES,
)

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
BUILT_IN_DIRECTIVES = {"skip", "include", "deprecated", "specifiedBy", "oneOf", "defer", "stream"}

_KINDS: dict[type[DefinitionNode], TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    ObjectTypeExtensionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    InterfaceTypeExtensionNode: "interface",
    UnionTypeDefinitionNode: "union",
    UnionTypeExtensionNode: "union",
    EnumTypeDefinitionNode: "enum",
    EnumTypeExtensionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    InputObjectTypeExtensionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
    ScalarTypeExtensionNode: "scalar",
}
_EXTENSIONS = (
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    UnionTypeExtensionNode,
    EnumTypeExtensionNode,
    InputObjectTypeExtensionNode,
    ScalarTypeExtensionNode,
)


class _Names:
    """How this subgraph spells each federation directive: local name -> spec name."""

    def __init__(self, subgraph: str) -> None:
        self.subgraph = subgraph
        self.local_to_spec: dict[str, str] = {}
        self.link_names = {"link"}
        self.version: tuple[int, int] | None = None

    def spec_name(self, local: str) -> str:
        return self.local_to_spec.get(local, local)


def _error(subgraph: str, code: str, message: str) -> CompositionError:
    return CompositionError(code, f"[{subgraph}] {message}")


def _schema_directives(document: DocumentNode) -> list[ConstDirectiveNode]:
    found: list[ConstDirectiveNode] = []
    for definition in document.definitions:
        if isinstance(definition, (SchemaDefinitionNode, SchemaExtensionNode)):
            found.extend(definition.directives or ())
    return found


def _resolve_links(name: str, document: DocumentNode) -> tuple[_Names, list[tuple[str, list[str]]]]:
    names = _Names(name)
    others: list[tuple[str, list[str]]] = []
    links = [d for d in _schema_directives(document) if d.name.value == "link"]
    for link in links:
        args = {arg.name.value: value_from_ast_untyped(arg.value) for arg in link.arguments or ()}
        url = str(args.get("url", ""))
        imports = args.get("import") or []
        if LINK_URL.match(url):
            continue
        match = FEDERATION_URL.match(url)
        if match is None:
            others.append((url, [_import_name(item) for item in imports]))
            continue
        version = (int(match.group(1)), int(match.group(2)))
        if version not in KNOWN_FEDERATION_VERSIONS:
            raise CompositionFailed(
                [
                    _error(
                        name,
                        "UNKNOWN_FEDERATION_LINK_VERSION",
                        f"Invalid version v{version[0]}.{version[1]} for the federation "
                        "feature in @link directive on schema",
                    )
                ]
            )
        names.version = version
        namespace = str(args.get("as") or "federation")
        available = {d for d, since in FEDERATION_DIRECTIVES.items() if since <= version}
        for directive in available:
            names.local_to_spec[f"{namespace}__{directive}"] = directive
        for item in imports:
            imported, alias = _import_pair(item)
            element = imported.lstrip("@")
            if imported.startswith("@") and element in available:
                names.local_to_spec[alias.lstrip("@")] = element
            elif not imported.startswith("@") and element in FEDERATION_TYPES:
                continue
            else:
                raise CompositionFailed(
                    [
                        _error(
                            name,
                            "INVALID_LINK_DIRECTIVE_USAGE",
                            f'Cannot import unknown element "{imported}".',
                        )
                    ]
                )
    if names.version is None:
        names.local_to_spec = {d: d for d in FED1_DIRECTIVES}
    return names, others


def _import_name(item: Any) -> str:
    return _import_pair(item)[1].lstrip("@")


def _import_pair(item: Any) -> tuple[str, str]:
    if isinstance(item, dict):
        imported = str(item.get("name", ""))
        return imported, str(item.get("as") or imported)
    return str(item), str(item)


def _applied(nodes: Any, names: _Names) -> list[Applied]:
    result = []
    for node in nodes or ():
        arg_nodes: dict[str, ConstValueNode] = {
            arg.name.value: arg.value for arg in node.arguments or ()
        }
        result.append(
            Applied(
                name=names.spec_name(node.name.value),
                args={key: value_from_ast_untyped(value) for key, value in arg_nodes.items()},
                arg_nodes=arg_nodes,
            )
        )
    return result


def _description(node: Any) -> str | None:
    description = getattr(node, "description", None)
    return None if description is None else str(description.value)


def _input_value(node: InputValueDefinitionNode, names: _Names) -> InputValue:
    return InputValue(
        name=node.name.value,
        type=node.type,
        default=node.default_value,
        description=_description(node),
        directives=_applied(node.directives, names),
    )


def _field(node: FieldDefinitionNode, names: _Names) -> FieldDef:
    return FieldDef(
        name=node.name.value,
        type=node.type,
        args={arg.name.value: _input_value(arg, names) for arg in node.arguments or ()},
        description=_description(node),
        directives=_applied(node.directives, names),
    )


def _fold(type_def: TypeDef, node: Any, names: _Names) -> None:
    """Add what one definition or extension node declares to ``type_def``."""
    applied = _applied(node.directives, names)
    type_def.directives.extend(applied)
    if isinstance(node, _EXTENSIONS):
        type_def.extension_directives.extend(applied)
    if type_def.description is None:
        type_def.description = _description(node)
    if type_def.kind in ("object", "interface"):
        for field_node in node.fields or ():
            type_def.fields[field_node.name.value] = _field(field_node, names)
        type_def.interfaces.extend(i.name.value for i in node.interfaces or ())
    elif type_def.kind == "input":
        for field_node in node.fields or ():
            type_def.input_fields[field_node.name.value] = _input_value(field_node, names)
    elif type_def.kind == "union":
        type_def.members.extend(member.name.value for member in node.types or ())
    elif type_def.kind == "enum":
        for value in node.values or ():
            type_def.values[value.name.value] = EnumValue(
                name=value.name.value,
                description=_description(value),
                directives=_applied(value.directives, names),
            )


def _roots(document: DocumentNode, types: dict[str, TypeDef]) -> dict[str, str]:
    roots: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, (SchemaDefinitionNode, SchemaExtensionNode)):
            for operation in definition.operation_types or ():
                roots[operation.operation.value] = operation.type.name.value
    if not roots:
        roots = {op: name for op, name in DEFAULT_ROOT_NAMES.items() if name in types}
    return roots


def _directive_def(node: DirectiveDefinitionNode, names: _Names) -> DirectiveDef:
    return DirectiveDef(
        name=node.name.value,
        args={arg.name.value: _input_value(arg, names) for arg in node.arguments or ()},
        locations=[location.value for location in node.locations],
        repeatable=node.repeatable,
        description=_description(node),
    )


def parse_subgraph(name: str, url: str, sdl: str) -> Subgraph:
    """Parse one subgraph; raises CompositionFailed with INVALID_GRAPHQL and link errors."""
    try:
        document = parse(sdl)
    except GraphQLSyntaxError as error:
        raise CompositionFailed([_error(name, "INVALID_GRAPHQL", error.message)]) from None
    names, other_links = _resolve_links(name, document)
    types: dict[str, TypeDef] = {}
    directive_defs: dict[str, DirectiveDef] = {}
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            local = definition.name.value
            if (
                local not in names.local_to_spec
                and local not in names.link_names | BUILT_IN_DIRECTIVES
            ):
                directive_defs[local] = _directive_def(definition, names)
            continue
        kind = _KINDS.get(type(definition))
        if kind is None:
            continue
        type_name = definition.name.value  # type: ignore[attr-defined]
        if type_name in SUBGRAPH_ONLY_TYPES or type_name in BUILT_IN_SCALARS:
            continue
        existing = types.get(type_name)
        is_extension = isinstance(definition, _EXTENSIONS)
        if existing is None:
            existing = types[type_name] = TypeDef(name=type_name, kind=kind, extension=is_extension)
        elif existing.kind != kind:
            raise CompositionFailed(
                [_error(name, "INVALID_GRAPHQL", f'Type "{type_name}" is defined twice.')]
            )
        elif not is_extension:
            existing.extension = False
        _fold(existing, definition, names)
    roots = _roots(document, types)
    query = types.get(roots.get("query", ""))
    if query is not None:
        for field_name in SUBGRAPH_ONLY_QUERY_FIELDS:
            query.fields.pop(field_name, None)
    composed = [
        str(d.args.get("name", "")).lstrip("@")
        for d in _applied(_schema_directives(document), names)
        if d.name == "composeDirective"
    ]
    return Subgraph(
        name=name,
        url=url,
        types=types,
        roots=roots,
        federation_version=names.version,
        directive_defs=directive_defs,
        composed_directives=composed,
        other_links=other_links,
    )
