"""Mutation fields of the tasks subgraph.

Each one names what it changed for the router's cache (``extensions.invalidation``, see
``subgraphs.common.invalidation``) once the change is committed: the task, and the users
it was and is assigned to, whose ``tasks`` and ``taskCount`` it changed.

Authorization: anyone signed in may create a task (UNAUTHENTICATED otherwise); only its
creator, its assignee or an admin may change or delete it (FORBIDDEN otherwise).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.authorization import signed_in
from subgraphs.common.caller import Caller
from subgraphs.common.errors import Forbidden
from subgraphs.common.invalidation import Invalidations
from subgraphs.common.validation import is_set, not_null, optional_text, required_text
from subgraphs.tasks import repository
from subgraphs.tasks.api.types import CreateTaskInput, Task, UpdateTaskInput
from subgraphs.tasks.context import TasksContext
from subgraphs.tasks.models import TaskRow

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
ID_MAX = 64


def _assignee(value: strawberry.ID | None) -> str | None:
    return optional_text(value, field="assigneeId", max_length=ID_MAX)


def _changed(invalidations: Invalidations, task_id: str, *assignee_ids: str | None) -> None:
    """Name a changed task and the users it was or is assigned to (nobody: no user)."""
    invalidations.entity("Task", {"id": task_id})
    for assignee_id in assignee_ids:
        if assignee_id is not None:
            invalidations.entity("User", {"id": assignee_id})


def _may_change(caller: Caller, *, to: str) -> repository.Authorize:
    """The check that ``caller`` is the task's creator, its assignee or an admin."""

    def authorize(task: TaskRow) -> None:
        if caller.is_admin or caller.user_id in (task.creator_id, task.assignee_id):
            return
        raise Forbidden(f"Only the task's creator, its assignee or an admin may {to} it.")

    return authorize


@strawberry.type
class Mutation:
    """Root mutation fields owned by the tasks subgraph."""

    @strawberry.mutation(description="Create a task.")
    async def create_task(self, info: Info[TasksContext, None], input: CreateTaskInput) -> Task:
        """Validate and store a new task, created by the caller."""
        caller = signed_in(info.context.caller, to="create a task")
        values = {
            "title": required_text(input.title, field="title", max_length=TITLE_MAX),
            "description": optional_text(
                input.description, field="description", max_length=DESCRIPTION_MAX
            ),
            "status": input.status.value,
            "priority": input.priority.rank,
            "due_date": input.due_date,
            "assignee_id": _assignee(input.assignee_id),
            "creator_id": caller.user_id,
        }
        async with info.context.sessions() as session:
            row = await repository.create_task(session, values=values)
        _changed(info.context.invalidations, row.id, row.assignee_id)
        return Task.from_row(row)

    @strawberry.mutation(description="Change a task; null clears an optional field.")
    async def update_task(
        self, info: Info[TasksContext, None], id: strawberry.ID, input: UpdateTaskInput
    ) -> Task:
        """Validate and apply the given changes."""
        caller = signed_in(info.context.caller, to="change a task")
        changes: dict[str, Any] = {}
        if is_set(input.title):
            title = not_null(input.title, field="title")
            changes["title"] = required_text(title, field="title", max_length=TITLE_MAX)
        if is_set(input.description):
            changes["description"] = optional_text(
                input.description, field="description", max_length=DESCRIPTION_MAX
            )
        if is_set(input.status):
            changes["status"] = not_null(input.status, field="status").value
        if is_set(input.priority):
            changes["priority"] = not_null(input.priority, field="priority").rank
        if is_set(input.due_date):
            changes["due_date"] = input.due_date
        if is_set(input.assignee_id):
            changes["assignee_id"] = _assignee(input.assignee_id)
        async with info.context.sessions() as session:
            updated = await repository.update_task(
                session,
                task_id=str(id),
                changes=changes,
                authorize=_may_change(caller, to="change"),
            )
        row = updated.task
        _changed(info.context.invalidations, row.id, updated.previous_assignee_id, row.assignee_id)
        return Task.from_row(row)

    @strawberry.mutation(description="Delete a task.")
    async def delete_task(self, info: Info[TasksContext, None], id: strawberry.ID) -> bool:
        """Delete the task; NOT_FOUND if there is none."""
        caller = signed_in(info.context.caller, to="delete a task")
        async with info.context.sessions() as session:
            row = await repository.delete_task(
                session, task_id=str(id), authorize=_may_change(caller, to="delete")
            )
        _changed(info.context.invalidations, row.id, row.assignee_id)
        return True
