"""CORS for frontends on other origins, from FEDTASKS_CORS_ORIGINS (none: no CORS headers)."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import pytest

from router.server.app import create_router_app
from router.server.cors import cors_middleware
from tests.router.server.test_app import GraphQLCorePipeline

APP_ORIGIN = "https://app.example.com"
QUERY = {"query": "{ hello }"}


def client(origins: Sequence[str]) -> httpx.AsyncClient:
    cors = cors_middleware(origins)
    app = create_router_app(GraphQLCorePipeline(), middleware=[cors] if cors else [])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router")


def preflight(origin: str, headers: str = "content-type, authorization") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": headers,
    }


async def test_an_allowed_origin_gets_its_preflight_and_the_answer() -> None:
    async with client([APP_ORIGIN, "https://admin.example.com"]) as http:
        answer = await http.options(
            "/graphql", headers=preflight(APP_ORIGIN, "content-type, apollo-require-preflight")
        )
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "POST" in answer.headers["access-control-allow-methods"]
        allowed = answer.headers["access-control-allow-headers"].lower()
        for header in ("content-type", "authorization", "apollo-require-preflight"):
            assert header in allowed
        assert "access-control-allow-credentials" not in answer.headers
        response = await http.post("/graphql", json=QUERY, headers={"Origin": APP_ORIGIN})
        assert response.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "retry-after" in response.headers["access-control-expose-headers"].lower()


async def test_another_origin_is_refused_its_preflight_and_gets_no_cors_headers() -> None:
    async with client([APP_ORIGIN]) as http:
        answer = await http.options("/graphql", headers=preflight("https://evil.example"))
        assert answer.status_code == 400
        assert "access-control-allow-origin" not in answer.headers
        response = await http.post(
            "/graphql", json=QUERY, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in response.headers


async def test_a_star_allows_any_origin() -> None:
    async with client(["*"]) as http:
        answer = await http.options("/graphql", headers=preflight("https://any.example"))
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("origin", [APP_ORIGIN, "https://evil.example"])
async def test_without_origins_there_is_no_cors(origin: str) -> None:
    assert cors_middleware([]) is None
    async with client([]) as http:
        answer = await http.options("/graphql", headers=preflight(origin))
        assert answer.status_code == 405
        response = await http.post("/graphql", json=QUERY, headers={"Origin": origin})
        assert response.status_code == 200
        assert not [name for name in response.headers if name.startswith("access-control-")]
