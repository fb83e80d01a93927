"""The authentication migrations keep existing rows: new columns are nullable and empty."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, text

from subgraphs.common.database import create_engine
from subgraphs.common.migrations import upgrade_async
from subgraphs.common.types import UTCDateTime

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def test_users_get_a_null_password_hash(users_url: str) -> None:
    await upgrade_async("users", users_url, "0001")
    engine = create_engine(users_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (id, name, email, role, created_at, updated_at) "
                    "VALUES ('u1', 'Ada', 'ada@example.com', 'MEMBER', :now, :now)"
                ).bindparams(bindparam("now", type_=UTCDateTime())),
                {"now": NOW},
            )
        await upgrade_async("users", users_url)
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT id, password_hash FROM users"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [("u1", None)]
