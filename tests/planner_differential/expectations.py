"""The differences the differential run is known to find, recorded with their class.

``known_differences.json`` maps a supergraph key to ``{operation index: class}``; the test
fails on any difference not recorded and on any recorded one that no longer occurs, so a
fix is recorded by removing its entries (``report.py --write``, which keeps the classes
already written for differences that remain). :data:`CLASSES` says what each class means:
which are the router's to fix and where Apollo's gateway is the one that is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

KNOWN_FILE = Path(__file__).resolve().parent / "known_differences.json"

CLASSES = {
    # The router's to fix (the classes).
    "plan-failed:type-conditions": "The planner looks a field selected under a type "
    "condition up on the abstract type (issue class 1).",
    "plan-failed:no-route": "No @key jump reaches a field and the planner gives up "
    "(issue class 2).",
    "plan-failed:other": "The planner refuses a valid operation for another reason.",
    "subgraph-rejected-operation": "The router sent a subgraph an operation that does not "
    "validate against that subgraph's schema (issue class 3).",
    "external-not-provided": "The router asked a subgraph for an @external field it was not "
    "provided on that path.",
    "requires-missing": "The router called a @requires field without the required fields in "
    "the representation.",
    "bad-entities-call": "The router sent _entities a type or key the subgraph cannot resolve.",
    "interface-object-follow-up": "After an @interfaceObject lookup the router does not fetch "
    "the concrete type's fields from the subgraphs that own them: they come back null "
    "(issue class 4).",
    "null-entity-object": "When one subgraph's `_entities` answers null for a representation, "
    "the router nulls the whole object (what other subgraphs filled in included) instead of "
    "only the fields that subgraph contributes (issue class 5).",
    "inaccessible-enum-value": "A subgraph answers an @inaccessible enum value and the router "
    "passes it on to the client instead of a null with an error (issue class 6).",
    "wrong-data": "Same operation, different data, no other signal: to be read case by case.",
    "error-paths": "Same data, errors at different paths.",
    # Apollo's gateway is the one that is wrong: the router's answer is the correct one.
    "apollo-silent-null": "Apollo's gateway answers `data: null` with no error (not a valid "
    "GraphQL response): its plan dropped a type condition of a shareable field whose union "
    "or interface has other members in the subgraph it chose (issue class 7), or left another "
    "non-null field unfetched; the router answers the fields the client selected.",
    "apollo-wrong:key-shadows-alias": "The client aliases another field to a key's name "
    "(`id: nickname`); Apollo's gateway fetches the key for an entity jump under the same "
    "response name and answers the key's value for the alias. The router fetches the key "
    "under an internal alias and answers `nickname`, as GraphQL requires.",
    "apollo-wrong:interface-object-typename": "After the subgraph owning an interface "
    "answered an object's concrete `__typename`, Apollo's gateway selects `__typename` again "
    "from the @interfaceObject subgraph, which answers the interface's name: the object loses "
    "its concrete type, so its type conditions stop matching (their fields are dropped) or it "
    "becomes null. The router keeps the concrete type and answers those fields.",
    "apollo-failed": "Apollo's gateway answers with an error its own plan caused (an "
    "operation or representation the subgraph rejects) where the router answers the data.",
    # Both refuse.
    "both-refuse-supergraph": "Apollo's gateway and the router both refuse the supergraph (a "
    "feature linked for SECURITY that neither implements).",
}


def load_known() -> dict[str, dict[str, str]]:
    """The recorded differences, by supergraph key then operation index."""
    if not KNOWN_FILE.is_file():
        return {}
    known: dict[str, dict[str, str]] = json.loads(KNOWN_FILE.read_text(encoding="utf-8"))
    return known
