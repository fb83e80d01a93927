"""``fedtasks schema check``: the graph still composes, files are fresh, nothing breaks.

Breaking and dangerous changes come from graphql-core's schema comparison
(``find_breaking_changes``/``find_dangerous_changes``) between the API schemas of the
committed supergraph and the newly composed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import find_breaking_changes, find_dangerous_changes

from router.composition.errors import CompositionError
from router.supergraph.api_schema import api_schema


@dataclass
class CheckReport:
    """Everything ``schema check`` found; ``failed`` says whether CI must stop."""

    stale: list[str] = field(default_factory=list)
    errors: list[CompositionError] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)

    def failed(self, *, allow_breaking: bool) -> bool:
        """Whether the check fails: composition errors, stale files, breaking changes."""
        return bool(self.errors or self.stale or (self.breaking and not allow_breaking))


def api_changes(old_supergraph: str, new_supergraph: str) -> tuple[list[str], list[str]]:
    """Breaking and dangerous changes from the old API schema to the new one."""
    old, new = api_schema(old_supergraph), api_schema(new_supergraph)
    breaking = [f"{c.type.name}: {c.description}" for c in find_breaking_changes(old, new)]
    dangerous = [f"{c.type.name}: {c.description}" for c in find_dangerous_changes(old, new)]
    return breaking, dangerous
