"""The tasks subgraph's DataLoaders, created anew for every request.

Loaders of per-user relations take the field's arguments in their key and batch the
keys that share arguments into one statement, so resolving ``tasks`` and ``taskCount``
for 500 users costs one statement each, not 500.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.loaders import mapping_loader
from subgraphs.common.pagination import Page
from subgraphs.tasks import repository
from subgraphs.tasks.models import TaskRow

A = TypeVar("A", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class AssigneeTasksKey:
    """One user's page of tasks: whose, and the field's arguments."""

    assignee_id: str
    status: str | None
    first: int
    after: str | None


@dataclass(frozen=True)
class AssigneeCountKey:
    """One user's task count, optionally by status."""

    assignee_id: str
    status: str | None


@dataclass(frozen=True)
class TasksLoaders:
    """Batch loaders of one request."""

    task_by_id: DataLoader[str, TaskRow | None]
    tasks_of_assignee: DataLoader[AssigneeTasksKey, Page[TaskRow]]
    count_of_assignee: DataLoader[AssigneeCountKey, int]


def _grouped(
    sessions: async_sessionmaker[AsyncSession],
    arguments: Callable[[A], Hashable],
    assignee: Callable[[A], str],
    fetch: Callable[[AsyncSession, list[str], A], Awaitable[dict[str, V]]],
    missing: V,
) -> DataLoader[A, V]:
    """A loader that runs ``fetch`` once per distinct set of arguments in a batch."""

    async def batch(keys: list[A]) -> list[V]:
        groups: defaultdict[Hashable, list[A]] = defaultdict(list)
        for key in keys:
            groups[arguments(key)].append(key)
        found: dict[A, V] = {}
        async with sessions() as session:
            for group in groups.values():
                ids = [assignee(key) for key in group]
                values = await fetch(session, ids, group[0])
                found.update({key: values.get(assignee(key), missing) for key in group})
        return [found[key] for key in keys]

    return DataLoader(batch)


async def _tasks_by_ids(session: AsyncSession, ids: list[str]) -> dict[str, TaskRow | None]:
    return dict(await repository.tasks_by_ids(session, ids=ids))


async def _pages(
    session: AsyncSession, ids: list[str], key: AssigneeTasksKey
) -> dict[str, Page[TaskRow]]:
    return await repository.tasks_for_assignees(
        session, assignee_ids=ids, status=key.status, first=key.first, after=key.after
    )


async def _counts(session: AsyncSession, ids: list[str], key: AssigneeCountKey) -> dict[str, int]:
    return await repository.count_for_assignees(session, assignee_ids=ids, status=key.status)


def create_loaders(sessions: async_sessionmaker[AsyncSession]) -> TasksLoaders:
    """Fresh loaders for one request."""
    return TasksLoaders(
        task_by_id=mapping_loader(sessions, _tasks_by_ids, missing=lambda _: None),
        tasks_of_assignee=_grouped(
            sessions,
            lambda key: (key.status, key.first, key.after),
            lambda key: key.assignee_id,
            _pages,
            Page(items=[], has_next_page=False),
        ),
        count_of_assignee=_grouped(
            sessions, lambda key: key.status, lambda key: key.assignee_id, _counts, 0
        ),
    )
