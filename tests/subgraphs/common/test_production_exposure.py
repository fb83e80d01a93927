"""What a subgraph tells about itself: no FastAPI docs, and no suggestions in production."""

from __future__ import annotations

import pytest

from subgraphs.common.caller import ROUTER_SECRET_HEADER
from tests.support.apps import serve_in_process

SECRET = "a-router-secret-for-these-tests"
TYPO = {"query": "{ users { edges { node { nam } } } }"}


@pytest.mark.parametrize("service", ["users", "tasks"])
async def test_no_fastapi_docs_are_served(service: str, tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
    async with serve_in_process(service, url, dev=False, subgraph_secret=SECRET) as (_, http):
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
            response = await http.get(path, headers={ROUTER_SECRET_HEADER: SECRET})
            assert response.status_code == 404, path


@pytest.mark.parametrize(("dev", "suggested"), [(False, False), (True, True)])
async def test_suggestions_only_in_dev_mode(dev: bool, suggested: bool, tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/users.db"
    secret = None if dev else SECRET
    async with serve_in_process("users", url, dev=dev, subgraph_secret=secret) as (_, http):
        response = await http.post("/graphql", json=TYPO, headers={ROUTER_SECRET_HEADER: SECRET})
        (error,) = response.json()["errors"]
        assert error["message"].startswith("Cannot query field 'nam' on type 'User'.")
        assert ("Did you mean" in error["message"]) is suggested
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
