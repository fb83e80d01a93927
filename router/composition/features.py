"""Linked features a supergraph carries when subgraphs use them: definitions and links.

Texts as @apollo/composition 2.14 prints them. The order of ``FEATURES`` is the order of
the schema's @link applications.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    """A spec the supergraph links when one of its directives is applied."""

    url: str
    purpose: str | None
    directives: dict[str, str]
    types: dict[str, str]
    # Directives whose name must be imported, because it is not the spec's own name.
    imported: tuple[str, ...] = ()
    # Whether every definition is printed once any directive of the feature is used.
    define_all: bool = False


_ON_AUTH = "on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"

FEATURES = (
    Feature(
        url="https://specs.apollo.dev/tag/v0.3",
        purpose=None,
        directives={
            "tag": "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | "
            "INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT "
            "| INPUT_FIELD_DEFINITION | SCHEMA"
        },
        types={},
    ),
    Feature(
        url="https://specs.apollo.dev/inaccessible/v0.2",
        purpose="SECURITY",
        directives={
            "inaccessible": "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | "
            "UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | "
            "INPUT_FIELD_DEFINITION"
        },
        types={},
    ),
    Feature(
        url="https://specs.apollo.dev/authenticated/v0.1",
        purpose="SECURITY",
        directives={"authenticated": f"directive @authenticated {_ON_AUTH}"},
        types={},
    ),
    Feature(
        url="https://specs.apollo.dev/requiresScopes/v0.1",
        purpose="SECURITY",
        directives={
            "requiresScopes": "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) "
            + _ON_AUTH
        },
        types={"requiresScopes__Scope": "scalar requiresScopes__Scope"},
    ),
    Feature(
        url="https://specs.apollo.dev/policy/v0.1",
        purpose="SECURITY",
        directives={"policy": f"directive @policy(policies: [[policy__Policy!]!]!) {_ON_AUTH}"},
        types={"policy__Policy": "scalar policy__Policy"},
    ),
    Feature(
        url="https://specs.apollo.dev/cost/v0.1",
        purpose=None,
        directives={
            "cost": "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | "
            "FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
            "listSize": "directive @listSize(assumedSize: Int, slicingArguments: [String!], "
            "sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on "
            "FIELD_DEFINITION",
        },
        types={},
        imported=("listSize",),
    ),
    Feature(
        url="https://specs.apollo.dev/context/v0.1",
        purpose="SECURITY",
        directives={
            "context": "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION",
            "context__fromContext": "directive @context__fromContext(field: "
            "context__ContextFieldValue) on ARGUMENT_DEFINITION",
        },
        types={"context__ContextFieldValue": "scalar context__ContextFieldValue"},
        define_all=True,
    ),
)

# Copied directives in the order Apollo's merge applies them after the join directives:
# authorization first, then demand control, each group and then the rest in the order
# the subgraphs apply them.
GROUPED_FIRST = (("authenticated", "requiresScopes", "policy"), ("cost", "listSize"))
BUILT_IN_COPIED = ("deprecated", "specifiedBy")


def link_for(feature: Feature, used: set[str]) -> str:
    """The schema's @link application for ``feature`` given the directives used."""
    args = [f'url: "{feature.url}"']
    if feature.purpose:
        args.append(f"for: {feature.purpose}")
    imports = [f'"@{name}"' for name in feature.imported if name in used]
    if imports:
        args.append(f"import: [{', '.join(imports)}]")
    return f"@link({', '.join(args)})"
