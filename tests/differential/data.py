"""The data both sides serve: ``subgraphs.seed`` plus the edge cases it does not make.

Besides 15 seeded users and 120 seeded tasks assigned among them:

- a user who was deleted after being given two tasks, and a task assigned to an id no
  user ever had (both assignees resolve to null);
- a user without any task (nothing is assigned to them);
- three tasks created at the same instant with the same due date and priority (the id
  breaks the tie, in the order and in the cursors);
- titles with ``%``, ``_`` and accents, for the search filter.

``data_pool`` then reads the ids, cursors (from the subgraphs' own ``SortKey`` objects) and
dates that generated queries take their arguments from.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

from sqlalchemy import delete, select

from subgraphs.common.database import create_engine, create_sessionmaker
from subgraphs.common.settings import TasksSettings, UsersSettings
from subgraphs.seed import seed
from subgraphs.tasks.models import TaskRow
from subgraphs.tasks.repository import BY_ASSIGNEE, ORDERINGS
from subgraphs.users.models import UserRow
from subgraphs.users.repository import BY_CREATED_AT
from tests.differential.generator import DataPool
from tests.support.rows import insert_rows

SEED_USERS = 15
SEED_TASKS = 120
DATA_SEED = 20240607
DELETED_USER = "0d1e7ed0-0000-4000-8000-000000000001"
NEVER_A_USER = "ghost-user"
LONELY_USER = "0a0a0a0a-0000-4000-8000-000000000002"
SEARCH_TERMS = (
    "fix",
    "THE",
    "login page",
    "doc",
    "Merging",
    "  review  ",
    "",
    "   ",
    "zzz-nothing",
    "%",
    "_",
    "100%",
    "élan",
    "ÉLAN",
)


async def seed_databases(users_url: str, tasks_url: str) -> None:
    """Fill both (migrated, empty) databases.

    The ids are drawn from ``DATA_SEED`` too: rows that tie on a sort key are ordered by
    id, so with random ids a generated query could select other rows on every run.
    """
    ids = random.Random(DATA_SEED)
    with patch.object(uuid, "uuid4", lambda: uuid.UUID(int=ids.getrandbits(128), version=4)):
        seeded = await seed(
            users=SEED_USERS,
            tasks=SEED_TASKS,
            users_settings=UsersSettings(USERS_DATABASE_URL=users_url),
            tasks_settings=TasksSettings(TASKS_DATABASE_URL=tasks_url),
            random_seed=DATA_SEED,
        )
    now = datetime.now(UTC).replace(microsecond=0)
    created = now - timedelta(days=3)
    await insert_rows(
        users_url,
        UserRow,
        [
            _user(DELETED_USER, "Gone Away", now - timedelta(days=400)),
            _user(LONELY_USER, "Élan Nobody", now - timedelta(days=2)),
        ],
    )
    due = now.date() + timedelta(days=5)
    await insert_rows(
        tasks_url,
        TaskRow,
        [
            _task("Task of a deleted user", DELETED_USER, now - timedelta(days=1), None),
            _task("Another of a deleted user", DELETED_USER, now - timedelta(hours=5), due),
            _task("Assigned to nobody known", NEVER_A_USER, now - timedelta(hours=2), due),
            _task("Tie one", None, created, due, status="DONE"),
            _task("Tie two", seeded.user_ids[0], created, due, status="DONE"),
            _task("Tie three", seeded.user_ids[0], created, due, description="Ask @ the wiki"),
            _task("Fix 100% of the_bugs", None, now - timedelta(days=9), None),
            _task("Élan review", None, now - timedelta(days=10), date(2000, 1, 1)),
        ],
    )
    # The deleted user goes away and leaves their tasks behind.
    engine = create_engine(users_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(UserRow).where(UserRow.id == DELETED_USER))
    finally:
        await engine.dispose()


def _user(user_id: str, name: str, created: datetime) -> dict[str, object]:
    email = f"{user_id[:8]}@example.com"
    return {
        "id": user_id,
        "name": name,
        "email": email,
        "role": "MEMBER",
        "created_at": created,
        "updated_at": created,
    }


def _task(
    title: str,
    assignee: str | None,
    created: datetime,
    due: date | None,
    *,
    status: str = "TODO",
    description: str | None = None,
) -> dict[str, object]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, title)),
        "title": title,
        "description": description,
        "status": status,
        "priority": 3,
        "due_date": due,
        "assignee_id": assignee,
        "created_at": created,
        "updated_at": created + timedelta(minutes=1),
    }


async def data_pool(users_url: str, tasks_url: str, *, sample_seed: int = 1) -> DataPool:
    """Ids, cursors, dates and search terms for generated queries, read from the data."""
    rng = random.Random(sample_seed)
    users_engine, tasks_engine = create_engine(users_url), create_engine(tasks_url)
    try:
        async with create_sessionmaker(users_engine)() as session:
            users = list(await session.scalars(select(UserRow)))
        async with create_sessionmaker(tasks_engine)() as session:
            tasks = list(await session.scalars(select(TaskRow)))
    finally:
        await users_engine.dispose()
        await tasks_engine.dispose()
    # Ids are random uuids; what the generator picks by position must not depend on them.
    users.sort(key=lambda row: (row.created_at, row.name))
    tasks.sort(key=lambda row: (row.created_at, row.title))
    known = {row.id for row in users}
    missing = sorted({row.assignee_id for row in tasks if row.assignee_id} - known)
    ties = [row for row in tasks if row.title.startswith("Tie ")]
    sample = [*rng.sample(tasks, 12), *ties]
    dates = sorted({row.due_date for row in tasks if row.due_date is not None})
    return DataPool(
        user_ids=[row.id for row in users],
        missing_user_ids=missing,
        task_ids=[row.id for row in rng.sample(tasks, len(tasks))],
        task_cursors={name: [key.cursor(row) for row in sample] for name, key in ORDERINGS.items()},
        user_cursors=[BY_CREATED_AT.cursor(row) for row in users],
        assignee_cursors=[BY_ASSIGNEE.cursor(row) for row in sample],
        due_dates=[d.isoformat() for d in rng.sample(dates, 6)] + ["2000-01-02", "9999-12-31"],
        search_terms=SEARCH_TERMS,
    )
