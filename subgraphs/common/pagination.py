"""Relay-style cursor pagination: opaque cursors, page sizes, and keyset conditions.

A cursor is the base64 of a JSON list: the ordering it was issued for, then the sort
key values of the row it points at (the id last, as the tie-breaker). Pagination is by
keyset, not offset, so pages stay stable while rows are added.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import ColumnElement, bindparam, tuple_
from sqlalchemy.orm import QueryableAttribute

from subgraphs.common.errors import BadUserInput
from subgraphs.common.validation import storable

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

CursorValue = str | int


def check_page_size(first: int | None, *, maximum: int = MAX_PAGE_SIZE) -> int:
    """The page size to use: ``first``, or the default when null; BAD_USER_INPUT if out of range."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > maximum:
        raise BadUserInput(
            f"`first` must be between 0 and {maximum}; got {first}.",
            field="first",
        )
    return first


def _dump(value: Any) -> CursorValue:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (str, int)):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def timestamp(value: str) -> datetime:
    """A cursor's timestamp as an aware UTC datetime; ValueError or OverflowError if bad."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("cursor timestamps carry a time zone")
    return parsed.astimezone(UTC)


def flag(value: object) -> int:
    """A cursor's 0/1 flag; ValueError for anything else."""
    if value not in (0, 1) or isinstance(value, bool):
        raise ValueError("not a flag")
    return 1 if value == 1 else 0


def text_key(value: str) -> str:
    """A cursor's text value (an id); ValueError if no stored row can hold it."""
    if not isinstance(value, str) or not storable(value):
        raise ValueError("not a stored text value")
    return value


@dataclass(frozen=True)
class KeyPart:
    """One column of a keyset ordering: its SQL expression and how to read it off a row.

    ``load`` turns the JSON value stored in a cursor back into the Python value bound to
    the query (``datetime.fromisoformat`` for a timestamp, ``int`` for a rank).
    """

    expression: ColumnElement[Any] | QueryableAttribute[Any]
    value: Callable[[Any], Any]
    load: Callable[[Any], Any] = text_key


@dataclass(frozen=True)
class SortKey:
    """A keyset ordering: expressions compared as one row value, all in one direction.

    The last part must be unique (the id), so that the order is total.
    """

    name: str
    parts: tuple[KeyPart, ...]
    descending: bool

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY clauses for this ordering."""
        return [p.expression.desc() if self.descending else p.expression.asc() for p in self.parts]

    def cursor(self, row: Any) -> str:
        """The opaque cursor pointing at ``row``."""
        values = [_dump(part.value(row)) for part in self.parts]
        return base64.urlsafe_b64encode(orjson.dumps([self.name, *values])).decode()

    def after(self, cursor: str) -> ColumnElement[bool]:
        """The condition selecting the rows strictly after the one ``cursor`` points at.

        Raises BAD_USER_INPUT for a cursor this API did not issue for this ordering.
        """
        values = self._decode(cursor)
        row = tuple_(*(part.expression for part in self.parts))
        bound = tuple_(
            *(
                bindparam(None, value, type_=part.expression.type)
                for part, value in zip(self.parts, values, strict=True)
            )
        )
        return row < bound if self.descending else row > bound

    def _decode(self, cursor: str) -> list[Any]:
        try:
            decoded = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        except (binascii.Error, ValueError):
            decoded = None
        if not isinstance(decoded, list) or not decoded or not isinstance(decoded[0], str):
            raise BadUserInput("`after` is not a valid cursor.", field="after")
        if decoded[0] != self.name:
            raise BadUserInput(
                f"`after` was issued for the ordering {decoded[0]}, not {self.name}.",
                field="after",
            )
        if len(decoded) != len(self.parts) + 1 or not all(
            isinstance(value, (str, int)) for value in decoded
        ):
            raise BadUserInput("`after` is not a valid cursor.", field="after")
        try:
            return [part.load(value) for part, value in zip(self.parts, decoded[1:], strict=True)]
        except (TypeError, ValueError, OverflowError):
            raise BadUserInput("`after` is not a valid cursor.", field="after") from None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and whether more follow."""

    items: list[T]
    has_next_page: bool

    @classmethod
    def from_rows(cls, rows: Sequence[T], first: int) -> Page[T]:
        """Build a page from ``first + 1`` fetched rows."""
        return cls(items=list(rows[:first]), has_next_page=len(rows) > first)
