"""Federation, link and join spec facts: versions, directive names, supergraph boilerplate.

Sources: FED internals-js/src/specs/federationSpec.ts and joinSpec.ts, and supergraphs
printed by @apollo/composition (see shared/reference/federation-internals.md, section 1).
"""

from __future__ import annotations

import re

FEDERATION_URL = re.compile(r"^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)$")
LINK_URL = re.compile(r"^https://specs\.apollo\.dev/link/v(\d+)\.(\d+)$")

KNOWN_FEDERATION_VERSIONS = tuple((2, minor) for minor in range(12))

# Each federation directive and the federation version that introduced it.
FEDERATION_DIRECTIVES: dict[str, tuple[int, int]] = {
    "key": (2, 0),
    "requires": (2, 0),
    "provides": (2, 0),
    "external": (2, 0),
    "tag": (2, 0),
    "extends": (2, 0),
    "shareable": (2, 0),
    "inaccessible": (2, 0),
    "override": (2, 0),
    "composeDirective": (2, 1),
    "interfaceObject": (2, 3),
    "authenticated": (2, 5),
    "requiresScopes": (2, 5),
    "policy": (2, 6),
    "context": (2, 8),
    "fromContext": (2, 8),
    "cost": (2, 9),
    "listSize": (2, 9),
}
FEDERATION_TYPES = {"FieldSet", "Scope", "Policy", "ContextFieldValue"}
# Federation 1 subgraphs use these names without any @link.
FED1_DIRECTIVES = {"key", "requires", "provides", "external", "extends", "tag", "inaccessible"}

# Elements a subgraph schema carries for federation that never reach the supergraph.
SUBGRAPH_ONLY_TYPES = {
    "_Any",
    "_Entity",
    "_Service",
    "_FieldSet",
    "FieldSet",
    "federation__FieldSet",
    "federation__Scope",
    "federation__Policy",
    "federation__ContextFieldValue",
    "link__Import",
    "link__Purpose",
    "link__FieldSet",
}
SUBGRAPH_ONLY_QUERY_FIELDS = {"_entities", "_service"}


def join_version(federation_version: tuple[int, int]) -> tuple[int, int]:
    """The join spec version composition emits for the highest federation version linked."""
    if federation_version >= (2, 8):
        return (0, 5)
    if federation_version >= (2, 7):
        return (0, 4)
    return (0, 3)
