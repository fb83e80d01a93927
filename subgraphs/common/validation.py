"""Checks of client-supplied values shared by both subgraphs; each failure is BAD_USER_INPUT."""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from strawberry.types.unset import UnsetType

from subgraphs.common.errors import BadUserInput

T = TypeVar("T")


# Control characters other than tab and newlines; Postgres text cannot hold NUL at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def storable(value: str) -> bool:
    """Whether a text value can be stored, and so looked up (Postgres refuses NUL)."""
    return "\x00" not in value


def stored_id(value: str, *, field: str) -> str:
    """``value`` as an id to look up; BAD_USER_INPUT if no stored id could equal it."""
    if not storable(value):
        raise BadUserInput(f"`{field}` must not contain NUL characters.", field=field)
    return value


def _blank(text: str) -> bool:
    # Separators and invisible format characters (zero-width space...) do not count.
    return all(unicodedata.category(char)[0] in "ZC" for char in text)


def required_text(value: str, *, field: str, max_length: int) -> str:
    """``value`` stripped; BAD_USER_INPUT if blank, too long, or with control characters."""
    text = value.strip()
    if _blank(text):
        raise BadUserInput(f"`{field}` must not be empty.", field=field)
    if CONTROL_CHARACTERS.search(text):
        raise BadUserInput(f"`{field}` must not contain control characters.", field=field)
    if len(text) > max_length:
        raise BadUserInput(
            f"`{field}` must be at most {max_length} characters; got {len(text)}.", field=field
        )
    return text


def optional_text(value: str | None, *, field: str, max_length: int) -> str | None:
    """``value`` stripped, None when blank; BAD_USER_INPUT if longer than ``max_length``."""
    if value is None or _blank(value.strip()):
        return None
    return required_text(value, field=field, max_length=max_length)


def email_address(value: str) -> str:
    """The normalised (lower-cased) address; BAD_USER_INPUT if it is not an email address."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise BadUserInput(
            f"`email` is not a valid email address: {error}", field="email"
        ) from None
    return checked.normalized.lower()


def not_null(value: T | None, *, field: str) -> T:
    """``value``; BAD_USER_INPUT when an update sets a required field to null."""
    if value is None:
        raise BadUserInput(f"`{field}` cannot be set to null.", field=field)
    return value


def is_set(value: object) -> bool:
    """Whether an input field was given at all (null counts as given)."""
    return not isinstance(value, UnsetType)
