"""A real HTTP server on 127.0.0.1 publishing a JWKS document that a test can rotate."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import orjson

from tests.router.transport.servers import TinyHttpServer, http_answer


class JwksServer:
    """Serves ``document`` as JSON at ``url``; counts the requests it answered."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.requests = 0
        self.failing = False
        self._server = TinyHttpServer(self._answer)
        self.url = ""

    def _answer(self, _head: bytes, _body: bytes) -> bytes:
        self.requests += 1
        if self.failing:
            return http_answer("503 Service Unavailable", "text/plain", b"down")
        return http_answer("200 OK", "application/json", orjson.dumps(self.document))

    async def __aenter__(self) -> Self:
        await self._server.__aenter__()
        self.url = self._server.url.removesuffix("/graphql") + "/.well-known/jwks.json"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._server.__aexit__(exc_type, exc, traceback)
