"""Query fields of the tasks subgraph."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from subgraphs.common.cache_control import PUBLIC_HINT
from subgraphs.common.graphql_types import Connection, build_connection
from subgraphs.common.pagination import check_page_size
from subgraphs.common.validation import optional_text, stored_id
from subgraphs.tasks import repository
from subgraphs.tasks.api.types import Task, TaskFilter, TaskOrder
from subgraphs.tasks.context import TasksContext

SEARCH_MAX = 200


def _where(given: TaskFilter | None) -> repository.TaskFilter:
    if given is None:
        return repository.TaskFilter()
    return repository.TaskFilter(
        status=None if given.status is None else given.status.value,
        priority=None if given.priority is None else given.priority.rank,
        assignee_id=(
            None
            if given.assignee_id is None
            else stored_id(str(given.assignee_id), field="assigneeId")
        ),
        search=optional_text(given.search, field="search", max_length=SEARCH_MAX),
        due_before=given.due_before,
    )


@strawberry.type
class Query:
    """Root query fields owned by the tasks subgraph."""

    @strawberry.field(description="The task with this id, or null.")
    async def task(self, info: Info[TasksContext, None], id: strawberry.ID) -> Task | None:
        """One task by id."""
        row = await info.context.loaders.task_by_id.load(str(id))
        return None if row is None else Task.from_row(row)

    @strawberry.field(
        description="Tasks matching a filter, a page at a time.", directives=[PUBLIC_HINT]
    )
    async def tasks(
        self,
        info: Info[TasksContext, None],
        filter: TaskFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
        order_by: TaskOrder | None = TaskOrder.CREATED_AT_DESC,
    ) -> Connection[Task]:
        """A page of tasks."""
        page_size = check_page_size(first)
        where = _where(filter)
        order = repository.ORDERINGS[(order_by or TaskOrder.CREATED_AT_DESC).value]
        sessions = info.context.sessions
        async with sessions() as session:
            page = await repository.list_tasks(
                session, where=where, order=order, first=page_size, after=after
            )

        async def count() -> int:
            async with sessions() as session:
                return await repository.count_tasks(session, where=where)

        return build_connection(page, order, Task.from_row, count)
