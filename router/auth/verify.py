"""Verify a bearer token and say who it names: PyJWT does the cryptography and the claims.

The algorithm comes from the configuration: a token whose header names another one
(``none``, or HS256 where only public keys are configured) is refused before any key is
looked at, and each algorithm has its own key: HS256 the shared secret only, RS256 and
ES256 only a key set entry of that same algorithm. That closes the classic confusion of
verifying an RS256 public key as an HS256 secret. ``exp``, ``iat``, ``sub`` and ``iss``
are required, ``nbf`` is checked when present, ``aud`` when an audience is configured.
"""

from __future__ import annotations

import re
from typing import Any

import jwt
from jwt import exceptions

from router.auth.errors import AuthenticationError
from router.auth.identity import Identity
from router.auth.keys import KeySet, RemoteKeySet, StaticKeySet
from router.auth.settings import SHARED_SECRET_ALGORITHMS, AuthSettings

REQUIRED_CLAIMS = ("exp", "iat", "sub", "iss")
# RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
# A subject travels in a header: printable ASCII, no spaces, bounded.
SUBJECT = re.compile(r"^[\x21-\x7e]{1,255}$")


class TokenVerifier:
    """Checks tokens against the configured secret or key set; answers their Identity."""

    def __init__(self, settings: AuthSettings, keys: KeySet | None = None) -> None:
        self.settings = settings
        self.algorithms = settings.algorithms
        self.keys = keys

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> TokenVerifier:
        """A verifier with the key set the settings name (ValueError for a bad JWKS file)."""
        keys: KeySet | None = None
        if settings.jwks_file:
            keys = StaticKeySet.from_file(settings.jwks_file)
        elif settings.jwks_url:
            keys = RemoteKeySet(settings.jwks_url)
        return cls(settings, keys)

    async def aclose(self) -> None:
        """Release the key set's connections."""
        if self.keys is not None:
            await self.keys.aclose()

    async def verify(self, token: str) -> Identity:
        """The identity a valid token names; AuthenticationError saying what is wrong."""
        try:
            header = jwt.get_unverified_header(token)
        except exceptions.PyJWTError:
            raise AuthenticationError("The bearer token is not a well-formed JWT.") from None
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self.algorithms:
            raise AuthenticationError(
                "The token's signing algorithm is not accepted here "
                f"(accepted: {', '.join(self.algorithms) or 'none, no keys are configured'})."
            )
        key = await self._key(algorithm, header.get("kid"))
        claims = self._decode(token, key, algorithm)
        return Identity(subject=_subject(claims), scopes=_scopes(claims))

    async def _key(self, algorithm: str, kid: Any) -> Any:
        if algorithm in SHARED_SECRET_ALGORITHMS:
            return self.settings.secret
        if kid is not None and not isinstance(kid, str):
            raise AuthenticationError("The token's key id (kid) must be a string.")
        assert self.keys is not None  # a public-key algorithm is accepted only with keys
        jwk = await self.keys.find(kid)
        if jwk.algorithm_name != algorithm:
            raise AuthenticationError("The token's algorithm does not match its key's.")
        return jwk.key

    def _decode(self, token: str, key: Any, algorithm: str) -> dict[str, Any]:
        audience = self.settings.audience
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.settings.issuer,
                audience=audience,
                leeway=self.settings.leeway_seconds,
                options={"require": list(REQUIRED_CLAIMS), "verify_aud": audience is not None},
            )
        except exceptions.ExpiredSignatureError:
            raise AuthenticationError("The token has expired; sign in again.") from None
        except exceptions.ImmatureSignatureError:
            raise AuthenticationError("The token is not valid yet (nbf or iat).") from None
        except exceptions.InvalidIssuerError:
            raise AuthenticationError(
                f"The token was not issued by {self.settings.issuer!r}."
            ) from None
        except exceptions.InvalidAudienceError:
            raise AuthenticationError("The token is not meant for this API (aud).") from None
        except exceptions.MissingRequiredClaimError as error:
            raise AuthenticationError(f"The token has no {error.claim!r} claim.") from None
        except exceptions.InvalidSignatureError:
            raise AuthenticationError("The token's signature does not verify.") from None
        except exceptions.PyJWTError:
            raise AuthenticationError("The bearer token is not a valid JWT.") from None
        return claims


def _subject(claims: dict[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not SUBJECT.match(subject):
        raise AuthenticationError("The token's subject (sub) is not a valid identifier.")
    return subject


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    """Scopes from ``scope`` (RFC 8693: space-separated) or ``scp`` (a list, as Azure AD)."""
    raw = claims.get("scope", claims.get("scp", ""))
    if isinstance(raw, str):
        scopes = raw.split()
    elif isinstance(raw, list) and all(isinstance(s, str) for s in raw):
        scopes = list(raw)
    else:
        raise AuthenticationError("The token's scope claim must be a string or a list.")
    if not all(SCOPE_TOKEN.match(scope) for scope in scopes):
        raise AuthenticationError("The token's scope claim holds an invalid scope.")
    return frozenset(scopes)
