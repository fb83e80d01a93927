"""Mint real tokens for the tests: HS256 with a secret, RS256 and ES256 with fresh key pairs."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.support.auth import JWT_SECRET

SECRET = JWT_SECRET
"""The router's HS256 secret in these tests: the one the users subgraph signs with."""
ISSUER = "fedtasks"


def claims(subject: str = "user-1", **overrides: Any) -> dict[str, Any]:
    """Claims of a token valid for an hour from now; ``overrides`` replace or add claims."""
    now = int(time.time())
    base: dict[str, Any] = {"sub": subject, "iss": ISSUER, "iat": now, "exp": now + 3600}
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def hs256(secret: str = SECRET, **overrides: Any) -> str:
    """An HS256 token signed with ``secret``."""
    return jwt.encode(claims(**overrides), secret, algorithm="HS256")


@dataclass(frozen=True)
class KeyPair:
    """A private key to sign with and its public JWK (with a key id)."""

    kid: str
    algorithm: str
    private: Any
    public_jwk: dict[str, Any]

    def sign(
        self, *, kid: str | None = "", headers: dict[str, Any] | None = None, **overrides: Any
    ) -> str:
        """A token signed with this key; ``kid`` defaults to the key's own id (None: no kid)."""
        extra = dict(headers or {})
        if kid is not None:
            extra["kid"] = kid or self.kid
        return jwt.encode(
            claims(**overrides), self.private, algorithm=self.algorithm, headers=extra
        )


def rsa_pair(kid: str = "rsa-1") -> KeyPair:
    """A fresh 2048-bit RSA key pair for RS256."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return KeyPair(kid, "RS256", private, {**jwk, "kid": kid, "use": "sig", "alg": "RS256"})


def ec_pair(kid: str = "ec-1") -> KeyPair:
    """A fresh P-256 key pair for ES256."""
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    return KeyPair(kid, "ES256", private, {**jwk, "kid": kid, "use": "sig", "alg": "ES256"})


def jwks(*pairs: KeyPair) -> dict[str, Any]:
    """The JWKS document publishing these pairs' public keys."""
    return {"keys": [pair.public_jwk for pair in pairs]}
