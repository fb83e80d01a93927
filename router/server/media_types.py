"""Content negotiation for GraphQL responses (GraphQL over HTTP, "Body" and "Accept").

The router answers in one of two media types: ``application/graphql-response+json``,
whose status codes tell request errors apart (400 for a document that does not parse or
validate), and ``application/json``, the legacy type, always 200 for a well-formed
GraphQL response. The choice follows RFC 9110's ``Accept`` rules:

- each supported type takes the q-value of the most specific range that matches it
  (``type/subtype`` over ``type/*`` over ``*/*``); ``q=0`` excludes it;
- the highest q wins; on a tie, the type whose range comes first in the header wins
  ("the highest priority media type listed", as the spec puts it), then the server's
  preference, ``application/json``, which is what ``*/*`` and ``application/*`` get;
- no ``Accept`` header (or an empty one) is read as ``Accept: application/json``;
- when no supported type is acceptable the server answers 406, the spec's RECOMMENDED
  choice over ignoring the header.

The second and third follow the GraphQL over HTTP conformance audit (graphql-http's server
audits 47DE, "SHOULD accept */* and use application/json for the content-type", and 80D8,
"SHOULD assume application/json content-type when accept is missing"): a client that does
not name ``application/graphql-response+json`` may not know it, and ``application/json``
answers every well-formed GraphQL response with 200, which any client reads. (The spec's
draft moves the missing-Accept default to ``application/graphql-response+json`` after its
2025-01-01 legacy watershed; the audit, which implementations are measured by, has not.)
A client that names ``application/graphql-response+json`` gets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

GRAPHQL_RESPONSE_JSON: Final = "application/graphql-response+json"
"""The preferred response media type: status codes say whether the request was run."""

APPLICATION_JSON: Final = "application/json"
"""The legacy response media type: 200 for every well-formed GraphQL response."""

SUPPORTED: Final[tuple[str, ...]] = (APPLICATION_JSON, GRAPHQL_RESPONSE_JSON)
"""Response media types, in the server's order of preference when the client has none."""

_UTF8: Final = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int | None:
        """How precisely this range names ``media_type`` (2, 1 or 0), or None if not at all."""
        type_, _, subtype = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != type_:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else None


def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """Parse an ``Accept`` header, skipping malformed entries.

    A range whose ``charset`` is not UTF-8 is skipped too: the router only writes UTF-8
    (the spec assumes UTF-8 when no charset is given).
    """
    ranges = []
    for position, entry in enumerate(header.split(",")):
        media, *params = (part.strip() for part in entry.split(";"))
        type_, slash, subtype = media.lower().partition("/")
        if not slash or not type_ or not subtype:
            continue
        q = 1.0
        acceptable_charset = True
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
            elif name == "charset" and value not in _UTF8:
                acceptable_charset = False
        if acceptable_charset and 0.0 <= q <= 1.0:
            ranges.append(MediaRange(type_, subtype, q, position))
    return tuple(ranges)


def negotiate(accept: str | None) -> str | None:
    """Return the response media type for this ``Accept`` header, or None for a 406."""
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, media_type in enumerate(SUPPORTED):
        matching = [
            (specificity, media_range)
            for media_range in ranges
            if (specificity := media_range.specificity(media_type)) is not None
        ]
        if not matching:
            continue
        _, most_specific = max(matching, key=lambda match: (match[0], -match[1].position))
        if most_specific.q <= 0:
            continue
        key = (most_specific.q, -most_specific.position, -preference)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def accepts_html(accept: str | None) -> bool:
    """Whether the client names ``text/html`` (a browser): GET then serves GraphiQL."""
    if accept is None:
        return False
    return any(r.type == "text" and r.subtype == "html" and r.q > 0 for r in parse_accept(accept))
