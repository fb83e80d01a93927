"""Cache hints in the subgraphs' schemas: Apollo Server's ``@cacheControl`` convention.

A type or field says how long its data may be cached and whether it depends on the caller:

    directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)
      on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

Each response's policy follows Apollo Server's cache-control plugin
(``@apollo/server/plugin/cacheControl``), with its default ``defaultMaxAge`` of 0:

- a field's hint starts from its return type's hint (for object, interface and union types)
  and the field's own hint replaces what it sets (``inheritMaxAge`` on the field keeps the
  parent's age when the type sets none);
- a root field, or a field returning a composite type, with no ``maxAge`` gets 0
  (uncacheable) unless it inherits; scalar fields inherit their parent's policy;
- ``_entities`` takes the hint of each entity type it resolves (``@apollo/subgraph``'s
  ``entitiesResolver`` restricts by ``cacheHintFromType``);
- the response's policy is the minimum ``maxAge`` over its fields, ``PRIVATE`` if any is.

Hints here are static, so a policy is a function of the schema and the document alone,
computed once per document (:class:`PolicyCache`). Every field the document selects counts,
even one that ``@skip`` or a null parent leaves out: the policy may come out stricter than
Apollo Server's dynamic one, never looser.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import Final

import strawberry
from graphql import (
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)
from strawberry.schema_directive import Location

POLICY_CACHE_SIZE: Final = 1024
"""Documents whose policy is kept per process (the router sends the same few again and again)."""


@strawberry.enum(description="Whether cached data may be shared between callers.")
class CacheControlScope(Enum):
    """``PUBLIC``: the same for every caller; ``PRIVATE``: depends on who asks."""

    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


@strawberry.schema_directive(
    name="cacheControl",
    locations=[
        Location.FIELD_DEFINITION,
        Location.OBJECT,
        Location.INTERFACE,
        Location.UNION,
    ],
    description="How long this data may be cached, and whether it depends on the caller.",
)
class CacheControl:
    """The ``@cacheControl`` directive, as Apollo Server defines it."""

    max_age: int | None = strawberry.UNSET
    scope: CacheControlScope | None = strawberry.UNSET
    inherit_max_age: bool | None = strawberry.UNSET


@dataclass(frozen=True)
class Hint:
    """One ``@cacheControl``: what it sets (None: not set)."""

    max_age: int | None = None
    private: bool | None = None
    inherit_max_age: bool = False


NO_HINT: Final = Hint()


@dataclass(frozen=True)
class Policy:
    """A response's cache policy: ``max_age`` None or 0 is uncacheable."""

    max_age: int | None = None
    private: bool = False

    def restrict(self, max_age: int | None, private: bool) -> Policy:
        """The stricter of this policy and another part's."""
        if max_age is not None and (self.max_age is None or max_age < self.max_age):
            return Policy(max_age, self.private or private)
        return Policy(self.max_age, self.private or private)

    @property
    def cacheable(self) -> bool:
        """Whether a cache may keep the response at all."""
        return self.max_age is not None and self.max_age > 0

    def header(self) -> str:
        """The ``Cache-Control`` header value: ``max-age=N, public|private`` or ``no-store``."""
        if not self.cacheable:
            return "no-store"
        return f"max-age={self.max_age}, {'private' if self.private else 'public'}"


UNCACHEABLE: Final = Policy()


def _hint_of(directives: object) -> Hint:
    """The ``@cacheControl`` among a Strawberry definition's directives, or NO_HINT."""
    for directive in directives if isinstance(directives, (list, tuple)) else ():
        if isinstance(directive, CacheControl):
            max_age = directive.max_age if isinstance(directive.max_age, int) else None
            scope = directive.scope
            private = scope is CacheControlScope.PRIVATE if scope else None
            if directive.inherit_max_age is True:
                # Apollo: an inherited age ignores a maxAge given beside it.
                return Hint(None, private, inherit_max_age=True)
            return Hint(max_age, private)
    return NO_HINT


def _hint_of_nodes(nodes: object) -> Hint:
    """The ``@cacheControl`` among the directives of SDL nodes (schemas built from SDL)."""
    for node in nodes if isinstance(nodes, (list, tuple)) else ():
        for directive in getattr(node, "directives", None) or ():
            if directive.name.value != "cacheControl":
                continue
            values = {a.name.value: a.value for a in directive.arguments or ()}
            max_age, scope, inherit = (
                values.get("maxAge"),
                values.get("scope"),
                values.get("inheritMaxAge"),
            )
            private = scope.value == "PRIVATE" if isinstance(scope, EnumValueNode) else None
            if isinstance(inherit, BooleanValueNode) and inherit.value:
                return Hint(None, private, inherit_max_age=True)
            age = int(max_age.value) if isinstance(max_age, IntValueNode) else None
            return Hint(age, private)
    return NO_HINT


def type_hint(type_: GraphQLNamedType) -> Hint:
    """The hint on a type: from its Strawberry definition, or from its SDL."""
    definition = (type_.extensions or {}).get("strawberry-definition")
    hint = _hint_of(getattr(definition, "directives", None))
    if hint is NO_HINT:
        hint = _hint_of_nodes([type_.ast_node, *(type_.extension_ast_nodes or ())])
    return hint


def field_hint(field: GraphQLField) -> Hint:
    """The hint on a field definition: from its Strawberry definition, or from its SDL."""
    definition = (field.extensions or {}).get("strawberry-definition")
    hint = _hint_of(getattr(definition, "directives", None))
    if hint is NO_HINT:
        hint = _hint_of_nodes([field.ast_node])
    return hint


class _Walk:
    """One document's policy, walked over its selections with the schema's hints."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments
        self.policy = Policy()

    def selections(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode, root: bool, seen: set[str]
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(parent, selection, root, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                self.selections(inner or parent, selection.selection_set, root, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                inner = self.schema.get_type(fragment.type_condition.name.value)
                self.selections(inner or parent, fragment.selection_set, root, seen | {name})

    def field(self, parent: GraphQLNamedType, node: FieldNode, root: bool, seen: set[str]) -> None:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        definition = fields.get(name) if isinstance(fields, dict) else None
        if definition is None:
            return  # __typename and introspection: not hinted, as in Apollo Server
        target = get_named_type(definition.type)
        composite = is_composite_type(target)
        max_age: int | None = None
        private = False
        inherit = False
        if composite:
            hint = type_hint(target)
            max_age, private, inherit = hint.max_age, bool(hint.private), hint.inherit_max_age
        own = field_hint(definition)
        if own.inherit_max_age and max_age is None:
            inherit = True
            private = private if own.private is None else own.private
        else:
            max_age = own.max_age if own.max_age is not None else max_age
            private = private if own.private is None else own.private
        if root and name == "_entities" and node.selection_set is not None:
            # The entity types resolved restrict _entities (@apollo/subgraph's resolver).
            for type_name in _entity_types(node.selection_set):
                entity = self.schema.get_type(type_name)
                if entity is not None:
                    hint = type_hint(entity)
                    if hint.max_age is not None:
                        max_age = hint.max_age if max_age is None else min(max_age, hint.max_age)
                    private = private or bool(hint.private)
        if max_age is None and ((composite and not inherit) or root):
            max_age = 0
        self.policy = self.policy.restrict(max_age, private)
        if node.selection_set is not None and composite:
            self.selections(target, node.selection_set, False, seen)


def _entity_types(selection_set: SelectionSetNode) -> list[str]:
    """The type conditions of ``_entities``' inline fragments (the types it may resolve)."""
    return [
        s.type_condition.name.value
        for s in selection_set.selections
        if isinstance(s, InlineFragmentNode) and s.type_condition is not None
    ]


def document_policy(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> Policy:
    """The cache policy of the operation ``operation_name`` names in ``document``.

    Mutations and subscriptions are never cacheable; neither is a document without the
    operation, which execution refuses anyway.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or _named(o, operation_name)]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return UNCACHEABLE
    root = schema.query_type
    if not isinstance(root, GraphQLObjectType):
        return UNCACHEABLE
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments)
    walk.selections(root, chosen[0].selection_set, True, set())
    return walk.policy


def _named(operation: OperationDefinitionNode, name: str) -> bool:
    return operation.name is not None and operation.name.value == name


class PolicyCache:
    """Policies by (document text, operation name), for one schema, bounded LRU."""

    def __init__(self, schema: GraphQLSchema, size: int = POLICY_CACHE_SIZE) -> None:
        self.schema = schema
        self.size = size
        self._policies: OrderedDict[tuple[str, str | None], Policy] = OrderedDict()

    def policy(self, query: str, document: DocumentNode, operation_name: str | None) -> Policy:
        """The policy of ``document`` (whose text is ``query``), computed once per text."""
        key = (query, operation_name)
        found = self._policies.get(key)
        if found is not None:
            self._policies.move_to_end(key)
            return found
        found = self._policies[key] = document_policy(self.schema, document, operation_name)
        if len(self._policies) > self.size:
            self._policies.popitem(last=False)
        return found


DEMO_MAX_AGE: Final = 60
"""Seconds the demo's public data may be cached (the router drops entries on mutations)."""

PUBLIC_HINT: Final = CacheControl(max_age=DEMO_MAX_AGE)
"""Data that is the same for every caller."""

INHERIT_HINT: Final = CacheControl(inherit_max_age=True)
"""Wrappers (connections, edges, page info) that are as cacheable as the field holding them."""

CALLER_HINT: Final = CacheControl(scope=CacheControlScope.PRIVATE)
"""Data that depends on who asks (``me``): kept per caller at most, never shared."""

PRIVATE_HINT: Final = CacheControl(max_age=0, scope=CacheControlScope.PRIVATE)
"""Data no cache may keep (tokens)."""
