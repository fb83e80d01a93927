"""Password hashing with argon2id (argon2-cffi's PasswordHasher, its recommended parameters).

Hashing and verifying take tens of milliseconds of CPU on purpose, so they run in a worker
thread and never stall the event loop. A login for an unknown email verifies against a
dummy hash, so that it takes as long as a wrong password and timing does not tell which
emails have accounts. The password itself is never stored, returned or logged.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from subgraphs.common.errors import BadUserInput

MIN_LENGTH: Final = 8
MAX_LENGTH: Final = 256
"""Long enough for passphrases, short enough that hashing one is not a denial of service."""

_hasher = PasswordHasher()


def check_policy(password: str) -> str:
    """``password`` if it meets the policy; BAD_USER_INPUT (without echoing it) otherwise."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise BadUserInput(
            f"`password` must be {MIN_LENGTH} to {MAX_LENGTH} characters long.", field="password"
        )
    if not password.strip():
        raise BadUserInput("`password` must not be blank.", field="password")
    return password


def hash_now(password: str) -> str:
    """The argon2id hash of ``password`` (blocking: for scripts such as the seed)."""
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, computed off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("a password nobody has: it only makes unknown emails as slow")


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; with no hash, as slow as a mismatch."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)
