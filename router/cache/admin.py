"""The cache's admin endpoint: invalidate by type, by type and key, or everything.

``POST /admin/cache/invalidate`` with ``Authorization: Bearer <FEDTASKS_ADMIN_TOKEN>`` and
a JSON body, one of::

    {"kind": "entity", "type": "User", "key": {"id": "u1"}}
    {"kind": "type", "type": "User"}
    {"kind": "all"}

answers ``{"invalidated": n}`` (entries removed). Without a configured token the endpoint
does not exist (404); a wrong or missing token gets 401, a malformed body 400.
"""

from __future__ import annotations

import hmac
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.cache.caching_transport import PREFIX, CachingTransport

ADMIN_PATH = "/admin/cache/invalidate"


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def admin_route(cache: CachingTransport, token: str) -> Route:
    """The invalidation route, guarded by ``token`` (compared in constant time)."""

    async def invalidate(request: Request) -> Response:
        offered = request.headers.get("authorization", "")
        if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return _json({"error": "a valid admin token is required"}, 401)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _json({"error": "the body must be JSON"}, 400)
        kind = body.get("kind") if isinstance(body, dict) else None
        if kind == "all":
            await cache.backend.clear(PREFIX)
            return _json({"invalidated": "all"})
        type_name = body.get("type") if isinstance(body, dict) else None
        if kind not in ("type", "entity") or not isinstance(type_name, str):
            return _json({"error": 'expected {"kind": "all" | "type" | "entity", "type": T}'}, 400)
        key = body.get("key")
        if kind == "entity" and (not isinstance(key, dict) or not key):
            return _json({"error": "an entity invalidation needs a non-empty key object"}, 400)
        tags = cache.tagger.invalidation_tags(type_name, key if kind == "entity" else None)
        return _json({"invalidated": await cache.invalidate(tags)})

    return Route(ADMIN_PATH, invalidate, methods=["POST"])
