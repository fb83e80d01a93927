"""CORS for browser frontends on other origins (Starlette's CORSMiddleware).

``FEDTASKS_CORS_ORIGINS`` lists the origins allowed to call the router, comma-separated
(``https://app.example.com,https://admin.example.com``), or ``*`` for any. Unset, the
router sends no CORS headers, and browsers keep other origins' pages from reading its
answers. Credentials (cookies) are not allowed: callers authenticate with a bearer token
in ``Authorization``, which CORS lets through as an allowed header.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from router.server.csrf import PREFLIGHT_HEADERS

ALLOWED_HEADERS: Final = (
    "accept",
    "authorization",
    "content-type",
    "traceparent",
    "tracestate",
    "x-request-id",
    "fedtasks-include-plan",
    "fedtasks-include-cache",
    *PREFLIGHT_HEADERS,
)
"""Request headers a cross-origin caller may send."""

EXPOSED_HEADERS: Final = ("retry-after", "x-request-id")
"""Response headers a cross-origin page may read."""

MAX_AGE: Final = 600
"""Seconds a browser may cache a preflight's answer."""


def cors_middleware(origins: Sequence[str]) -> Middleware | None:
    """The CORS middleware for these origins (``*``: any), or None for no CORS at all."""
    if not origins:
        return None
    return Middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        allow_credentials=False,
        max_age=MAX_AGE,
    )
