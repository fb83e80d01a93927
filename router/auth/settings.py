"""How the router verifies tokens, read from the environment.

``FEDTASKS_JWT_SECRET`` enables HS256 with that shared secret (the users subgraph signs
its tokens with the same one); ``FEDTASKS_JWKS_FILE`` or ``FEDTASKS_JWKS_URL`` enable
RS256 and ES256 with the public keys of a JSON Web Key Set. The accepted algorithms follow
from this configuration alone, never from a token.

In production (not ``--dev``) the router refuses to start without a way to verify tokens
or without ``FEDTASKS_SUBGRAPH_SECRET``, naming what is missing (:func:`require_secrets`):
a router without them would start, and then answer every signed-in caller 401 or have
every subgraph call refused. ``FEDTASKS_ALLOW_NO_AUTH=true`` is the explicit choice of
running without them (anonymous callers only, subgraphs that do not ask for the secret),
and starts with a warning naming each one missing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

DEFAULT_ISSUER: Final = "fedtasks"
MIN_SECRET_BYTES: Final = 32
"""RFC 7518 section 3.2: an HS256 key must be at least as long as the hash (256 bits)."""
SHARED_SECRET_ALGORITHMS: Final = ("HS256",)
PUBLIC_KEY_ALGORITHMS: Final = ("RS256", "ES256")
ALLOW_NO_AUTH: Final = "FEDTASKS_ALLOW_NO_AUTH"

logger = logging.getLogger("fedtasks.router")


@dataclass(frozen=True)
class AuthSettings:
    """Where the keys come from, and which issuer and audience a token must name."""

    secret: str | None = None
    jwks_file: str | None = None
    jwks_url: str | None = None
    issuer: str = DEFAULT_ISSUER
    audience: str | None = None
    leeway_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.secret is not None and len(self.secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"FEDTASKS_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long")
        if self.jwks_file and self.jwks_url:
            raise ValueError("set FEDTASKS_JWKS_FILE or FEDTASKS_JWKS_URL, not both")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AuthSettings:
        """The settings named by the ``FEDTASKS_JWT_*`` and ``FEDTASKS_JWKS_*`` variables."""
        env = os.environ if environ is None else environ
        leeway = env.get("FEDTASKS_JWT_LEEWAY_SECONDS", "30")
        try:
            leeway_seconds = float(leeway)
        except ValueError:
            raise ValueError(
                f"FEDTASKS_JWT_LEEWAY_SECONDS must be a number, got {leeway!r}"
            ) from None
        return cls(
            secret=env.get("FEDTASKS_JWT_SECRET") or None,
            jwks_file=env.get("FEDTASKS_JWKS_FILE") or None,
            jwks_url=env.get("FEDTASKS_JWKS_URL") or None,
            issuer=env.get("FEDTASKS_JWT_ISSUER") or DEFAULT_ISSUER,
            audience=env.get("FEDTASKS_JWT_AUDIENCE") or None,
            leeway_seconds=leeway_seconds,
        )

    @property
    def algorithms(self) -> tuple[str, ...]:
        """The algorithms a token may use: HS256 with a secret, RS256/ES256 with a key set."""
        accepted: tuple[str, ...] = ()
        if self.secret:
            accepted += SHARED_SECRET_ALGORITHMS
        if self.jwks_file or self.jwks_url:
            accepted += PUBLIC_KEY_ALGORITHMS
        return accepted


def missing_secrets(settings: AuthSettings, environ: Mapping[str, str]) -> dict[str, str]:
    """What production needs and ``settings``/``environ`` lack: its name, and what it is for."""
    missing: dict[str, str] = {}
    if not settings.algorithms:
        missing["FEDTASKS_JWT_SECRET"] = (
            "(or FEDTASKS_JWKS_FILE / FEDTASKS_JWKS_URL) verifies the callers' tokens"
        )
    if not environ.get("FEDTASKS_SUBGRAPH_SECRET"):
        missing["FEDTASKS_SUBGRAPH_SECRET"] = "is what production subgraphs answer the router for"
    return missing


def require_secrets(settings: AuthSettings, environ: Mapping[str, str], *, dev_mode: bool) -> None:
    """Refuse (ValueError naming each) a production router without its secrets.

    With ``FEDTASKS_ALLOW_NO_AUTH=true`` a warning per missing secret is logged instead; in
    dev mode nothing is required (``fedtasks dev`` makes both up).
    """
    missing = missing_secrets(settings, environ)
    if dev_mode or not missing:
        return
    if environ.get(ALLOW_NO_AUTH, "").strip().lower() == "true":
        for name, purpose in missing.items():
            logger.warning("%s=true: starting without %s, which %s", ALLOW_NO_AUTH, name, purpose)
        return
    reasons = "; ".join(f"{name} {purpose}" for name, purpose in missing.items())
    raise ValueError(
        f"{' and '.join(missing)} not set, which production mode requires ({reasons}): "
        f"set {'them' if len(missing) > 1 else 'it'}, run with --dev, or set "
        f"{ALLOW_NO_AUTH}=true to run without"
    )
