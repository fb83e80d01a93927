"""The API schema of a supergraph: what clients validate and introspect against.

Built as Apollo's toAPISchema does (FED internals-js/src/definitions.ts): remove every
@inaccessible element, then every definition and application of the linked specs (link,
join, tag, inaccessible and the other spec features), keeping the client-facing types.
"""

from __future__ import annotations

import re

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLSchema,
    build_ast_schema,
    parse,
)
from graphql.language import Visitor, visit
from graphql.language.visitor import REMOVE

# Names owned by the specs a supergraph links: `link`, `join__Graph`, `policy__Policy`...
SPEC_DIRECTIVES = {
    "link",
    "core",
    "tag",
    "inaccessible",
    "authenticated",
    "requiresScopes",
    "policy",
    "cost",
    "listSize",
    "context",
}
SPEC_NAME = re.compile(r"^(join|link|core|tag|inaccessible|requiresScopes|policy|context|cost)__")


def _is_spec_name(name: str) -> bool:
    return bool(SPEC_NAME.match(name))


class _Strip(Visitor):
    """Drops @inaccessible elements, spec definitions and spec directive applications."""

    def enter_directive_definition(self, node: DirectiveDefinitionNode, *_: object) -> object:
        name = node.name.value
        return REMOVE if name in SPEC_DIRECTIVES or _is_spec_name(name) else None

    def enter(self, node: object, *_: object) -> object:
        directives = getattr(node, "directives", None)
        if directives and any(d.name.value == "inaccessible" for d in directives):
            return REMOVE
        name = getattr(getattr(node, "name", None), "value", None)
        kind = type(node).__name__
        if name and kind.endswith("TypeDefinitionNode") and _is_spec_name(name):
            return REMOVE
        return None

    def enter_directive(self, node: object, *_: object) -> object:
        name = node.name.value  # type: ignore[attr-defined]
        return REMOVE if name in SPEC_DIRECTIVES or _is_spec_name(name) else None


def api_document(supergraph_sdl: str) -> DocumentNode:
    """The supergraph's SDL reduced to what clients see."""
    stripped = visit(parse(supergraph_sdl), _Strip())
    assert isinstance(stripped, DocumentNode)
    return stripped


def api_schema(supergraph_sdl: str) -> GraphQLSchema:
    """The client-facing schema of a supergraph."""
    return build_ast_schema(api_document(supergraph_sdl))
