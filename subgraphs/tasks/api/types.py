"""GraphQL types of the tasks subgraph, including its contribution to the User entity."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from subgraphs.common.cache_control import PUBLIC_HINT
from subgraphs.common.graphql_types import Connection, build_connection
from subgraphs.common.pagination import check_page_size
from subgraphs.tasks import repository
from subgraphs.tasks.context import TasksContext
from subgraphs.tasks.loaders import AssigneeCountKey, AssigneeTasksKey
from subgraphs.tasks.models import PRIORITY_NAMES, PRIORITY_RANKS, TaskRow


@strawberry.enum(description="Where a task stands.")
class TaskStatus(Enum):
    """A task's status."""

    TODO = "TODO"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"


@strawberry.enum(description="How urgent a task is.")
class TaskPriority(Enum):
    """A task's priority."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"

    @property
    def rank(self) -> int:
        """The stored rank (LOW < MEDIUM < HIGH)."""
        return PRIORITY_RANKS[self.value]


@strawberry.enum(description="Orders of Query.tasks.")
class TaskOrder(Enum):
    """How to order a list of tasks."""

    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"
    UPDATED_AT_DESC = "UPDATED_AT_DESC"
    DUE_DATE_ASC = "DUE_DATE_ASC"
    PRIORITY_DESC = "PRIORITY_DESC"


@strawberry.federation.type(keys=["id"], description="Something to do.", directives=[PUBLIC_HINT])
class Task:
    """The Task entity, owned by this subgraph."""

    id: strawberry.ID
    title: str
    description: str | None
    status: TaskStatus
    priority: TaskPriority
    due_date: date | None
    created_at: datetime
    updated_at: datetime
    # The stored id only: the users subgraph owns users, so it resolves Task.assignee from
    # this id (@requires) and answers null for a user that does not exist. Not part of the
    # public API; clients ask for `assignee { id }`.
    assignee_id: strawberry.ID | None = strawberry.federation.field(inaccessible=True)

    @classmethod
    def from_row(cls, row: TaskRow) -> Task:
        """The GraphQL view of a stored task."""
        return cls(
            id=strawberry.ID(row.id),
            title=row.title,
            description=row.description,
            status=TaskStatus(row.status),
            priority=TaskPriority(PRIORITY_NAMES[row.priority]),
            due_date=row.due_date,
            created_at=row.created_at,
            updated_at=row.updated_at,
            assignee_id=None if row.assignee_id is None else strawberry.ID(row.assignee_id),
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[TasksContext, None], id: strawberry.ID
    ) -> Task | None:
        """Resolve a representation through the request's batch loader; null if gone."""
        row = await info.context.loaders.task_by_id.load(str(id))
        return None if row is None else cls.from_row(row)


# No description here: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=["id"], directives=[PUBLIC_HINT])
class User:
    """The tasks subgraph's part of the User entity: only what it knows, the tasks."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Any id is a user as far as tasks go; the users subgraph owns existence."""
        return cls(id=id)

    @strawberry.field(description="Tasks assigned to this user, newest first.")
    async def tasks(
        self,
        info: Info[TasksContext, None],
        status: TaskStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Task]:
        """A page of this user's tasks, batched across users."""
        page_size = check_page_size(first)
        status_value = None if status is None else status.value
        loaders = info.context.loaders
        page = await loaders.tasks_of_assignee.load(
            AssigneeTasksKey(str(self.id), status_value, page_size, after)
        )

        async def count() -> int:
            return await loaders.count_of_assignee.load(
                AssigneeCountKey(str(self.id), status_value)
            )

        return build_connection(page, repository.BY_ASSIGNEE, Task.from_row, count)

    @strawberry.field(description="How many tasks are assigned to this user.")
    async def task_count(
        self, info: Info[TasksContext, None], status: TaskStatus | None = None
    ) -> int:
        """The count, batched across users."""
        key = AssigneeCountKey(str(self.id), None if status is None else status.value)
        return await info.context.loaders.count_of_assignee.load(key)


@strawberry.input(description="Conditions on Query.tasks; every given one must hold.")
class TaskFilter:
    """Filter of Query.tasks."""

    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    assignee_id: strawberry.ID | None = None
    search: str | None = strawberry.field(
        default=None, description="Text the title or description contains, any case."
    )
    due_before: date | None = strawberry.field(
        default=None, description="Only tasks due strictly before this date."
    )


@strawberry.input(description="A new task.")
class CreateTaskInput:
    """Fields of a new task."""

    title: str
    description: str | None = None
    status: TaskStatus = TaskStatus.TODO
    priority: TaskPriority = TaskPriority.MEDIUM
    due_date: date | None = None
    assignee_id: strawberry.ID | None = None


@strawberry.input(description="Changes to a task; omitted fields stay, null clears.")
class UpdateTaskInput:
    """Fields to change on a task."""

    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: TaskStatus | None = strawberry.UNSET
    priority: TaskPriority | None = strawberry.UNSET
    due_date: date | None = strawberry.UNSET
    assignee_id: strawberry.ID | None = strawberry.UNSET
