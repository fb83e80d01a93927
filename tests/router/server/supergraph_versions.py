"""Versions of the project's supergraph for reload tests: one field short, broken, refused.

``WITHOUT_EMAIL`` is the supergraph as if the users subgraph did not declare ``User.email``
yet; the real subgraph serves it, so swapping in ``FULL`` makes the new field answer.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FULL = (REPO / "schema/supergraph.graphql").read_text(encoding="utf-8")
EMAIL_FIELD = "  email: String! @join__field(graph: USERS)\n"
WITHOUT_EMAIL = FULL.replace(EMAIL_FIELD, "")
# Parses, but a field's type is defined nowhere.
NAME_FIELD = "  name: String! @join__field(graph: USERS)\n"
INVALID_SDL = FULL.replace(NAME_FIELD, NAME_FIELD.replace("String!", "Nope!"))
UNPARSABLE = FULL[: len(FULL) // 2]
# A feature linked for SECURITY that the router does not implement.
UNSUPPORTED = FULL.replace(
    '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)\n',
    '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)\n'
    '  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)\n',
    1,
)
EMAIL_QUERY = "{ users(first: 3) { edges { node { id email } } } }"

assert EMAIL_FIELD in FULL
assert NAME_FIELD in FULL
assert UNSUPPORTED != FULL


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content in one step (write aside, then rename over it)."""
    aside = path.with_suffix(".tmp")
    aside.write_text(text, encoding="utf-8")
    os.replace(aside, path)
