"""Demo data for both subgraphs: ``fedtasks seed --users N --tasks M``.

Users go to the users database and tasks to the tasks database, each task assigned to
one of the new users (a few left unassigned), so demos and benchmarks see a realistic
spread of statuses, priorities and due dates. Rows are inserted in bulk.

Every demo user can log in with :data:`DEMO_PASSWORD` (the README says so): it is hashed
once per run and that one hash is stored for all of them, so seeding stays fast.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from subgraphs.common.database import create_engine
from subgraphs.common.settings import TasksSettings, UsersSettings
from subgraphs.tasks.models import PRIORITY_RANKS, STATUSES, TaskRow
from subgraphs.users.models import UserRow
from subgraphs.users.passwords import hash_now

FIRST_NAMES = (
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances",
    "Edsger", "Radia", "Guido", "Katherine", "Donald", "Hedy", "Tim", "Sophie", "John",
)  # fmt: skip
LAST_NAMES = (
    "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
    "Allen", "Dijkstra", "Perlman", "van Rossum", "Johnson", "Knuth", "Lamarr", "Berners-Lee",
)  # fmt: skip
VERBS = ("Write", "Review", "Fix", "Deploy", "Design", "Test", "Refactor", "Document", "Plan")
OBJECTS = (
    "the login page", "the billing report", "the onboarding flow", "API rate limits",
    "the search index", "the release notes", "the database backup", "the mobile layout",
    "the invoice export", "error monitoring", "the style guide", "the task board",
)  # fmt: skip
CHUNK = 1000
DEMO_PASSWORD = "fedtasks-demo"


@dataclass(frozen=True)
class SeedResult:
    """What a seed run created."""

    user_ids: list[str]
    task_count: int


def _users(
    rng: random.Random, count: int, now: datetime, password_hash: str
) -> Iterator[dict[str, Any]]:
    batch = uuid.uuid4().hex[:8]
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        yield {
            "id": str(uuid.uuid4()),
            "name": f"{first} {last}",
            "email": f"{first}.{last}.{batch}{index}@example.com".lower().replace(" ", ""),
            "role": "ADMIN" if rng.random() < 0.1 else "MEMBER",
            "password_hash": password_hash,
            "created_at": created,
            "updated_at": created,
        }


def _tasks(
    rng: random.Random, count: int, user_ids: list[str], now: datetime
) -> Iterator[dict[str, Any]]:
    today = now.date()
    for _ in range(count):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 180))
        due: date | None = None
        if rng.random() < 0.7:
            due = today + timedelta(days=rng.randint(-30, 90))
        row = {
            "id": str(uuid.uuid4()),
            "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
            "description": rng.choice((None, "Details in the project doc.", "Ask before merging.")),
            "status": rng.choice(STATUSES),
            "priority": rng.choice(tuple(PRIORITY_RANKS.values())),
            "due_date": due,
            "assignee_id": rng.choice(user_ids) if user_ids and rng.random() < 0.9 else None,
            "created_at": created,
            "updated_at": created + timedelta(minutes=rng.randint(0, 600)),
        }
        # Demo tasks are made by whoever they are assigned to.
        yield {**row, "creator_id": row["assignee_id"]}


async def _insert(url: str, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    engine = create_engine(url)
    inserted = 0
    try:
        async with engine.begin() as connection:
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == CHUNK:
                    await connection.execute(insert(table), chunk)
                    inserted += len(chunk)
                    chunk = []
            if chunk:
                await connection.execute(insert(table), chunk)
                inserted += len(chunk)
    finally:
        await engine.dispose()
    return inserted


async def seed(
    *,
    users: int,
    tasks: int,
    users_settings: UsersSettings,
    tasks_settings: TasksSettings,
    random_seed: int | None = None,
) -> SeedResult:
    """Insert ``users`` users and ``tasks`` tasks assigned among them."""
    rng = random.Random(random_seed)
    now = datetime.now(UTC)
    password_hash = hash_now(DEMO_PASSWORD) if users else ""
    user_rows = list(_users(rng, users, now, password_hash))
    await _insert(users_settings.database_url, UserRow, iter(user_rows))
    user_ids = [row["id"] for row in user_rows]
    task_count = await _insert(
        tasks_settings.database_url, TaskRow, _tasks(rng, tasks, user_ids, now)
    )
    return SeedResult(user_ids=user_ids, task_count=task_count)
