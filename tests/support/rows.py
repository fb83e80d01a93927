"""Bulk-insert rows straight into a service's database, for tests that need many."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from subgraphs.common.database import create_engine


async def insert_rows(database_url: str, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` (a mapped class) in one transaction."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(table), rows)
    finally:
        await engine.dispose()
