"""Data access for users: every statement the users subgraph runs is here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.errors import Conflict, NotFound
from subgraphs.common.pagination import KeyPart, Page, SortKey, timestamp
from subgraphs.common.validation import storable
from subgraphs.users.models import DeletedUserRow, UserRow

BY_CREATED_AT = SortKey(
    name="CREATED_AT_ASC",
    parts=(
        KeyPart(UserRow.created_at, lambda row: row.created_at, timestamp),
        KeyPart(UserRow.id, lambda row: row.id),
    ),
    descending=False,
)


async def users_by_ids(session: AsyncSession, *, ids: Sequence[str]) -> dict[str, UserRow]:
    """The users with the given ids, in one statement; unknown ids are absent."""
    rows = await session.scalars(
        select(UserRow).where(UserRow.id.in_({i for i in ids if storable(i)}))
    )
    return {row.id: row for row in rows}


async def list_users(session: AsyncSession, *, first: int, after: str | None) -> Page[UserRow]:
    """One page of users, oldest first."""
    query = select(UserRow).order_by(*BY_CREATED_AT.order_by()).limit(first + 1)
    if after is not None:
        query = query.where(BY_CREATED_AT.after(after))
    rows = (await session.scalars(query)).all()
    return Page.from_rows(rows, first)


async def count_users(session: AsyncSession) -> int:
    """How many users exist."""
    return int(await session.scalar(select(func.count()).select_from(UserRow)) or 0)


async def user_by_email(session: AsyncSession, *, email: str) -> UserRow | None:
    """The user with this (normalised) email, or None."""
    return await session.scalar(select(UserRow).where(UserRow.email == email))


async def create_user(
    session: AsyncSession, *, name: str, email: str, role: str, password_hash: str | None = None
) -> UserRow:
    """Store a new user; CONFLICT if the email is taken."""
    user = UserRow(name=name, email=email, role=role, password_hash=password_hash)
    session.add(user)
    await _commit(session, email)
    return user


async def update_user(session: AsyncSession, *, user_id: str, changes: dict[str, Any]) -> UserRow:
    """Apply ``changes`` to a user; NOT_FOUND if absent, CONFLICT if the email is taken."""
    user = await _get(session, user_id)
    for column, value in changes.items():
        setattr(user, column, value)
    await _commit(session, changes.get("email", ""))
    return user


async def delete_user(session: AsyncSession, *, user_id: str) -> bool:
    """Delete a user, remembering the id (its tokens are refused); NOT_FOUND if absent."""
    await session.delete(await _get(session, user_id))
    session.add(DeletedUserRow(id=user_id))
    await session.commit()
    return True


async def was_deleted(session: AsyncSession, *, user_id: str) -> bool:
    """Whether a user with this id was deleted."""
    return storable(user_id) and await session.get(DeletedUserRow, user_id) is not None


async def _get(session: AsyncSession, user_id: str) -> UserRow:
    user = await session.get(UserRow, user_id) if storable(user_id) else None
    if user is None:
        raise NotFound(f"No user has the id {user_id!r}.", field="id")
    return user


async def _commit(session: AsyncSession, email: str) -> None:
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict(f"A user with the email {email!r} already exists.", field="email") from None
