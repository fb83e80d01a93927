"""CSRF prevention in the style of Apollo Server and Apollo Router.

A browser sends some requests cross-site without asking the server first (a CORS
preflight): a GET, or a POST whose ``Content-Type`` is ``text/plain``,
``application/x-www-form-urlencoded`` or ``multipart/form-data``, or absent. The response
stays hidden from the attacker's page, but the operation would still run with the user's
cookies or network position. So such a request is refused (400, CSRF_PREVENTED) unless it
carries a non-empty header that no browser sends cross-site without a preflight:
``x-apollo-operation-name``, ``apollo-require-preflight`` or ``graphql-preflight``.

Any request with another ``Content-Type`` (``application/json``, which every GraphQL
client sends on POST) is preflighted by browsers, so CORS already guards it. A browser
opening GraphiQL (a GET for HTML without a query) runs nothing and is not refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from router.server.errors import RequestError

CSRF_PREVENTED: Final = "CSRF_PREVENTED"

PREFLIGHT_HEADERS: Final = (
    "x-apollo-operation-name",
    "apollo-require-preflight",
    "graphql-preflight",
)
"""Headers that make a browser preflight a cross-site request; any one, non-empty, will do."""

SIMPLE_CONTENT_TYPES: Final = frozenset(
    {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
)
"""Content types a browser sends cross-site without a preflight (Fetch, "CORS-safelisted")."""


def csrf_refusal(headers: Mapping[str, str]) -> RequestError | None:
    """The refusal of a request a browser could have sent without a preflight, or None.

    ``headers`` have lower-cased names.
    """
    content_type = headers.get("content-type")
    if content_type is not None:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type and media_type not in SIMPLE_CONTENT_TYPES:
            return None
    if any(headers.get(name, "").strip() for name in PREFLIGHT_HEADERS):
        return None
    return RequestError(
        "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). "
        "Send a Content-Type other than text/plain, application/x-www-form-urlencoded or "
        "multipart/form-data (application/json), or a non-empty header among: "
        + ", ".join(PREFLIGHT_HEADERS)
        + ".",
        code=CSRF_PREVENTED,
    )
