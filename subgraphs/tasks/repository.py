"""Data access for tasks: every statement the tasks subgraph runs is here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from subgraphs.common.errors import NotFound
from subgraphs.common.pagination import KeyPart, Page, SortKey, flag, timestamp
from subgraphs.common.validation import storable
from subgraphs.tasks.models import PRIORITY_NAMES, TaskRow

_ID = KeyPart(TaskRow.id, lambda row: row.id)
_CREATED = KeyPart(TaskRow.created_at, lambda row: row.created_at, timestamp)
_UPDATED = KeyPart(TaskRow.updated_at, lambda row: row.updated_at, timestamp)
# Tasks without a due date sort after every dated one: first by "has no due date", then
# by the date (undated ones compare equal there), then by id.
_UNDATED = KeyPart(
    case((TaskRow.due_date.is_(None), 1), else_=0), lambda row: int(row.due_date is None), flag
)
_DUE = KeyPart(
    func.coalesce(TaskRow.due_date, literal(date.max, TaskRow.due_date.type)),
    lambda row: row.due_date or date.max,
    date.fromisoformat,
)


def _rank(value: object) -> int:
    """A priority rank from a cursor; ValueError unless it is one the API stores."""
    if not isinstance(value, int) or value not in PRIORITY_NAMES:
        raise ValueError("not a priority rank")
    return value


_PRIORITY = KeyPart(TaskRow.priority, lambda row: row.priority, _rank)

ORDERINGS = {
    key.name: key
    for key in (
        SortKey("CREATED_AT_DESC", (_CREATED, _ID), descending=True),
        SortKey("CREATED_AT_ASC", (_CREATED, _ID), descending=False),
        SortKey("UPDATED_AT_DESC", (_UPDATED, _ID), descending=True),
        SortKey("DUE_DATE_ASC", (_UNDATED, _DUE, _ID), descending=False),
        SortKey("PRIORITY_DESC", (_PRIORITY, _ID), descending=True),
    )
}
# A user's tasks, newest first.
BY_ASSIGNEE = ORDERINGS["CREATED_AT_DESC"]


@dataclass(frozen=True)
class TaskFilter:
    """Conditions on ``Query.tasks``; None means "any"."""

    status: str | None = None
    priority: int | None = None
    assignee_id: str | None = None
    search: str | None = None
    due_before: date | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses of this filter."""
        clauses: list[ColumnElement[bool]] = []
        if self.status is not None:
            clauses.append(TaskRow.status == self.status)
        if self.priority is not None:
            clauses.append(TaskRow.priority == self.priority)
        if self.assignee_id is not None:
            clauses.append(TaskRow.assignee_id == self.assignee_id)
        if self.search:
            clauses.append(
                TaskRow.title.icontains(self.search, autoescape=True)
                | TaskRow.description.icontains(self.search, autoescape=True)
            )
        if self.due_before is not None:
            clauses.append(TaskRow.due_date < self.due_before)
        return clauses


async def tasks_by_ids(session: AsyncSession, *, ids: Sequence[str]) -> dict[str, TaskRow]:
    """The tasks with the given ids, in one statement; unknown ids are absent."""
    rows = await session.scalars(
        select(TaskRow).where(TaskRow.id.in_({i for i in ids if storable(i)}))
    )
    return {row.id: row for row in rows}


async def list_tasks(
    session: AsyncSession, *, where: TaskFilter, order: SortKey, first: int, after: str | None
) -> Page[TaskRow]:
    """One page of the tasks matching ``where``, in ``order``."""
    query = select(TaskRow).where(*where.conditions())
    query = _page(query, order, first, after)
    return Page.from_rows((await session.scalars(query)).all(), first)


async def count_tasks(session: AsyncSession, *, where: TaskFilter) -> int:
    """How many tasks match ``where``."""
    query = select(func.count()).select_from(TaskRow).where(*where.conditions())
    return int(await session.scalar(query) or 0)


async def tasks_for_assignees(
    session: AsyncSession,
    *,
    assignee_ids: Sequence[str],
    status: str | None,
    first: int,
    after: str | None,
) -> dict[str, Page[TaskRow]]:
    """A page of tasks per assignee, newest first, for many assignees in one statement.

    A window function numbers each assignee's tasks, and only the first ``first + 1``
    of each are returned (the extra one tells whether a next page exists).
    """
    conditions: list[ColumnElement[bool]] = [
        TaskRow.assignee_id.in_({i for i in assignee_ids if storable(i)})
    ]
    if status is not None:
        conditions.append(TaskRow.status == status)
    if after is not None:
        conditions.append(BY_ASSIGNEE.after(after))
    position = (
        func.row_number()
        .over(partition_by=TaskRow.assignee_id, order_by=BY_ASSIGNEE.order_by())
        .label("position")
    )
    numbered = select(TaskRow, position).where(*conditions).subquery()
    task = aliased(TaskRow, numbered)
    query = (
        select(task)
        .where(numbered.c.position <= first + 1)
        .order_by(numbered.c.assignee_id, numbered.c.position)
    )
    grouped: defaultdict[str, list[TaskRow]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.assignee_id or ""].append(row)
    return {assignee: Page.from_rows(rows, first) for assignee, rows in grouped.items()}


async def count_for_assignees(
    session: AsyncSession, *, assignee_ids: Sequence[str], status: str | None
) -> dict[str, int]:
    """How many tasks (with ``status``, if given) each assignee has, in one statement."""
    query = (
        select(TaskRow.assignee_id, func.count())
        .where(TaskRow.assignee_id.in_({i for i in assignee_ids if storable(i)}))
        .group_by(TaskRow.assignee_id)
    )
    if status is not None:
        query = query.where(TaskRow.status == status)
    return {assignee or "": int(count) for assignee, count in (await session.execute(query)).all()}


async def create_task(session: AsyncSession, *, values: dict[str, Any]) -> TaskRow:
    """Store a new task."""
    task = TaskRow(**values)
    session.add(task)
    await session.commit()
    return task


@dataclass(frozen=True)
class UpdatedTask:
    """A task as an update left it, and whom it was assigned to before."""

    task: TaskRow
    previous_assignee_id: str | None


Authorize = Callable[[TaskRow], None]
"""Raises (FORBIDDEN) unless the caller may change this task; called before any change."""


async def update_task(
    session: AsyncSession, *, task_id: str, changes: dict[str, Any], authorize: Authorize
) -> UpdatedTask:
    """Apply ``changes`` to a task; NOT_FOUND if there is none."""
    task = await _get(session, task_id)
    authorize(task)
    previous_assignee_id = task.assignee_id
    for column, value in changes.items():
        setattr(task, column, value)
    await session.commit()
    return UpdatedTask(task=task, previous_assignee_id=previous_assignee_id)


async def delete_task(session: AsyncSession, *, task_id: str, authorize: Authorize) -> TaskRow:
    """Delete a task and return it as it was; NOT_FOUND if there is none."""
    task = await _get(session, task_id)
    authorize(task)
    await session.delete(task)
    await session.commit()
    return task


async def _get(session: AsyncSession, task_id: str) -> TaskRow:
    task = await session.get(TaskRow, task_id) if storable(task_id) else None
    if task is None:
        raise NotFound(f"No task has the id {task_id!r}.", field="id")
    return task


def _page(query: Select[Any], order: SortKey, first: int, after: str | None) -> Select[Any]:
    if after is not None:
        query = query.where(order.after(after))
    return query.order_by(*order.order_by()).limit(first + 1)
