"""The router's authentication step in front of the real subgraphs: who reaches them, and how."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from router.auth.identity import ROUTER_SECRET_HEADER, SCOPES_HEADER, USER_ID_HEADER
from router.auth.settings import AuthSettings
from router.router_command import build_router
from tests.router.auth.jwks_server import JwksServer
from tests.router.auth.router_app import (
    SUBGRAPH_SECRET,
    SUPERGRAPH,
    RouterUnderTest,
    router_over_subgraphs,
)
from tests.router.auth.test_verify import unsigned
from tests.router.auth.tokens import claims, ec_pair, hs256, jwks

USERS = "{ users(first: 1) { totalCount } }"
SPOOFED = {
    USER_ID_HEADER: "admin-id",
    SCOPES_HEADER: "admin",
    ROUTER_SECRET_HEADER: "a guess",
}


@pytest.fixture
async def router(users_url: str, tasks_url: str) -> AsyncIterator[RouterUnderTest]:
    async with router_over_subgraphs(users_url, tasks_url) as router:
        yield router


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_without_a_token_the_request_is_anonymous(router: RouterUnderTest) -> None:
    response = await router.post(USERS)

    assert response.status_code == 200, response.text
    (seen,) = router.recorders["users"].seen
    assert USER_ID_HEADER not in seen
    assert SCOPES_HEADER not in seen
    assert seen[ROUTER_SECRET_HEADER] == SUBGRAPH_SECRET


async def test_the_verified_identity_reaches_the_subgraph_and_the_token_does_not(
    router: RouterUnderTest,
) -> None:
    token = hs256(subject="u-7", scope="member admin")
    response = await router.post(USERS, **bearer(token))

    assert response.status_code == 200, response.text
    (seen,) = router.recorders["users"].seen
    assert seen[USER_ID_HEADER] == "u-7"
    assert seen[SCOPES_HEADER] == "admin member"
    assert seen[ROUTER_SECRET_HEADER] == SUBGRAPH_SECRET
    assert "authorization" not in seen
    assert token not in str(seen)


async def test_client_copies_of_the_router_headers_never_reach_a_subgraph(
    router: RouterUnderTest,
) -> None:
    await router.post(USERS, **SPOOFED)
    await router.post(USERS, **SPOOFED, **bearer(hs256(subject="u-8", scope="member")))

    anonymous, signed_in = router.recorders["users"].seen
    assert USER_ID_HEADER not in anonymous
    assert SCOPES_HEADER not in anonymous
    assert anonymous[ROUTER_SECRET_HEADER] == SUBGRAPH_SECRET
    assert (signed_in[USER_ID_HEADER], signed_in[SCOPES_HEADER]) == ("u-8", "member")
    assert signed_in[ROUTER_SECRET_HEADER] == SUBGRAPH_SECRET


async def test_without_a_configured_secret_no_secret_header_is_sent(
    users_url: str, tasks_url: str
) -> None:
    async with router_over_subgraphs(users_url, tasks_url, subgraph_secret=None) as router:
        await router.post(USERS, **SPOOFED)
        (seen,) = router.recorders["users"].seen
    assert ROUTER_SECRET_HEADER not in seen


REFUSED = {
    "expired": bearer(hs256(iat=1_000_000, exp=1_000_060)),
    "forged": bearer(hs256(secret="not-the-router-secret-but-long-enough!!")),
    "wrong issuer": bearer(hs256(iss="elsewhere")),
    "alg none": bearer(unsigned({"alg": "none"}, claims())),
    "malformed": bearer("not-a-jwt"),
    "basic scheme": {"authorization": "Basic dXNlcjpwYXNz"},
    "token scheme": {"authorization": hs256()},
    "empty bearer": {"authorization": "Bearer "},
}


@pytest.mark.parametrize("headers", REFUSED.values(), ids=REFUSED.keys())
async def test_bad_credentials_get_401_unauthenticated(
    router: RouterUnderTest, headers: dict[str, str]
) -> None:
    response = await router.post(USERS, **headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    body = response.json()
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "data" not in body
    credential = headers["authorization"].partition(" ")[2] or headers["authorization"]
    assert not credential.strip() or credential not in response.text
    assert router.recorders["users"].seen == []


async def test_two_authorization_headers_are_refused(router: RouterUnderTest) -> None:
    response = await router.client.post(
        "/graphql",
        json={"query": USERS},
        headers=[("authorization", f"Bearer {hs256()}"), ("authorization", "Bearer x")],
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_refusal_speaks_the_negotiated_media_type(router: RouterUnderTest) -> None:
    response = await router.post(
        USERS, accept="application/graphql-response+json", **bearer("nope")
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/graphql-response+json")


async def test_health_and_ready_ignore_the_authorization_header(router: RouterUnderTest) -> None:
    for path in ("/health", "/ready"):
        response = await router.client.get(path, headers=bearer("nope"))
        assert response.status_code == 200, (path, response.text)


@pytest.fixture
async def production_router(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setenv("FEDTASKS_JWT_SECRET", "a-router-secret-of-at-least-32-bytes")
    monkeypatch.setenv("FEDTASKS_SUBGRAPH_SECRET", "a-subgraph-secret")
    app = build_router(str(SUPERGRAPH), dev_mode=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        yield client


async def test_fedtasks_router_authenticates_the_graphql_endpoint_only(
    production_router: httpx.AsyncClient,
) -> None:
    refused = await production_router.post(
        "/graphql", json={"query": USERS}, headers=bearer(hs256())
    )
    health = await production_router.get("/health", headers=bearer(hs256()))
    metrics = await production_router.get("/metrics", headers=bearer(hs256()))

    assert refused.status_code == 401
    assert "signature" in refused.json()["errors"][0]["message"]
    assert (health.status_code, metrics.status_code) == (200, 200)


def test_fedtasks_router_refuses_a_short_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDTASKS_JWT_SECRET", "short")
    with pytest.raises(ValueError, match="FEDTASKS_JWT_SECRET"):
        build_router(str(SUPERGRAPH), dev_mode=False)


async def test_an_es256_token_from_a_jwks_url_reaches_the_subgraph_as_its_identity(
    users_url: str, tasks_url: str
) -> None:
    pair = ec_pair("idp-key")
    async with JwksServer(jwks(pair)) as idp:
        settings = AuthSettings(jwks_url=idp.url, issuer="https://idp.example")
        async with router_over_subgraphs(users_url, tasks_url, settings=settings) as router:
            token = pair.sign(subject="idp-user", iss="https://idp.example", scp=["member"])
            accepted = await router.post(USERS, **bearer(token))
            refused = await router.post(USERS, **bearer(hs256()))
            (seen,) = router.recorders["users"].seen

    assert accepted.status_code == 200, accepted.text
    assert (seen[USER_ID_HEADER], seen[SCOPES_HEADER]) == ("idp-user", "member")
    assert refused.status_code == 401
    assert idp.requests == 1
