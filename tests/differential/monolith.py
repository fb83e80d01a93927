"""A monolithic GraphQL server of the same API, the oracle of the differential test.

It is the router's client-facing API schema (``api_schema`` of the supergraph) made
executable by plain graphql-core resolvers that read both databases directly through the
subgraphs' repository functions. It reproduces what the subgraphs do, field by field:

- ``Query.tasks``: the same filter checks, page size, ordering (``ORDERINGS``), keyset
  pagination and cursors (the same ``SortKey`` objects), and a count of the whole filter;
- ``Query.users``: oldest first by ``BY_CREATED_AT``, and a count of every user;
- ``Query.task`` / ``Query.user`` / ``Task.assignee``: a lookup by id, null if absent (a
  task assigned to a deleted or unknown user has a null assignee, as the schema says);
- ``User.tasks`` / ``User.taskCount``: the user's tasks newest first (``BY_ASSIGNEE``);
- ``Query.me``: null, as for the differential test's anonymous requests.

Queries only: ``Mutation`` fields are left without resolvers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aiodataloader import DataLoader
from graphql import ExecutionResult, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, graphql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from router.supergraph.api_schema import api_schema
from subgraphs.common.database import create_engine, create_sessionmaker
from subgraphs.common.pagination import Page, SortKey, check_page_size
from subgraphs.common.validation import optional_text, stored_id
from subgraphs.tasks import repository as tasks_repository
from subgraphs.tasks.models import PRIORITY_NAMES, PRIORITY_RANKS, TaskRow
from subgraphs.users import repository as users_repository
from subgraphs.users.models import UserRow

SUPERGRAPH = Path(__file__).parents[2] / "schema" / "supergraph.graphql"
SEARCH_MAX = 200  # subgraphs.tasks.api.queries.SEARCH_MAX
DEFAULT_ORDER = "CREATED_AT_DESC"

Resolver = Callable[..., Any]
Info = GraphQLResolveInfo[Any]


@dataclass(frozen=True)
class Connection:
    """A page of rows with its ordering (for cursors) and a lazy count of every page."""

    page: Page[Any]
    sort_key: SortKey
    count: Callable[[], Awaitable[int]]


@dataclass(frozen=True)
class Edge:
    """One row of a connection and the cursor pointing at it."""

    cursor: str
    node: Any


# A user's tasks: (user id, status, page size, after); a user's count: (user id, status).
PageKey = tuple[str, str | None, int, str | None]
CountKey = tuple[str, str | None]
NO_TASKS: Page[TaskRow] = Page(items=[], has_next_page=False)


class Loaders:
    """Per-request batch loaders: entities by id, and a user's tasks and task count.

    A user's page and count are fetched for every user of a batch that shares the
    arguments at once, with the repository functions made for that (one statement each).
    """

    def __init__(
        self,
        users: async_sessionmaker[AsyncSession],
        tasks: async_sessionmaker[AsyncSession],
    ) -> None:
        async def load_users(ids: list[str]) -> list[UserRow | None]:
            async with users() as session:
                found = await users_repository.users_by_ids(session, ids=ids)
            return [found.get(i) for i in ids]

        async def load_tasks(ids: list[str]) -> list[TaskRow | None]:
            async with tasks() as session:
                found = await tasks_repository.tasks_by_ids(session, ids=ids)
            return [found.get(i) for i in ids]

        async def load_pages(keys: list[PageKey]) -> list[Page[TaskRow]]:
            groups: defaultdict[tuple[str | None, int, str | None], list[str]] = defaultdict(list)
            for user_id, status, first, after in keys:
                groups[(status, first, after)].append(user_id)
            found: dict[PageKey, Page[TaskRow]] = {}
            async with tasks() as session:
                for (status, first, after), ids in groups.items():
                    pages = await tasks_repository.tasks_for_assignees(
                        session, assignee_ids=ids, status=status, first=first, after=after
                    )
                    found.update({(i, status, first, after): pages.get(i, NO_TASKS) for i in ids})
            return [found[key] for key in keys]

        async def load_counts(keys: list[CountKey]) -> list[int]:
            groups: defaultdict[str | None, list[str]] = defaultdict(list)
            for user_id, status in keys:
                groups[status].append(user_id)
            found: dict[CountKey, int] = {}
            async with tasks() as session:
                for status, ids in groups.items():
                    counts = await tasks_repository.count_for_assignees(
                        session, assignee_ids=ids, status=status
                    )
                    found.update({(i, status): counts.get(i, 0) for i in ids})
            return [found[key] for key in keys]

        self.user_by_id: DataLoader[str, UserRow | None] = DataLoader(load_users)
        self.task_by_id: DataLoader[str, TaskRow | None] = DataLoader(load_tasks)
        self.tasks_of_user: DataLoader[PageKey, Page[TaskRow]] = DataLoader(load_pages)
        self.count_of_user: DataLoader[CountKey, int] = DataLoader(load_counts)


@dataclass(frozen=True)
class Context:
    """What every resolver of one request sees."""

    users: async_sessionmaker[AsyncSession]
    tasks: async_sessionmaker[AsyncSession]
    loaders: Loaders


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _task_filter(given: Mapping[str, Any] | None) -> tasks_repository.TaskFilter:
    """Query.tasks' ``filter`` as the tasks subgraph reads it (``queries._where``)."""
    if given is None:
        return tasks_repository.TaskFilter()
    status = given.get("status")
    priority = given.get("priority")
    assignee_id = given.get("assigneeId")
    due_before = given.get("dueBefore")
    return tasks_repository.TaskFilter(
        status=status,
        priority=None if priority is None else PRIORITY_RANKS[priority],
        assignee_id=None if assignee_id is None else stored_id(assignee_id, field="assigneeId"),
        search=optional_text(given.get("search"), field="search", max_length=SEARCH_MAX),
        due_before=None if due_before is None else date.fromisoformat(due_before),
    )


# Query


async def resolve_task(_root: None, info: Info, id: str) -> TaskRow | None:
    context: Context = info.context
    return await context.loaders.task_by_id.load(str(id))


async def resolve_tasks(
    _root: None,
    info: Info,
    filter: Mapping[str, Any] | None = None,
    first: int | None = 20,
    after: str | None = None,
    orderBy: str | None = DEFAULT_ORDER,  # noqa: N803 - the GraphQL argument name
) -> Connection:
    context: Context = info.context
    page_size = check_page_size(first)
    where = _task_filter(filter)
    order = tasks_repository.ORDERINGS[orderBy or DEFAULT_ORDER]
    async with context.tasks() as session:
        page = await tasks_repository.list_tasks(
            session, where=where, order=order, first=page_size, after=after
        )

    async def count() -> int:
        async with context.tasks() as session:
            return await tasks_repository.count_tasks(session, where=where)

    return Connection(page, order, count)


async def resolve_user(_root: None, info: Info, id: str) -> UserRow | None:
    context: Context = info.context
    return await context.loaders.user_by_id.load(str(id))


def resolve_me(_root: None, _info: Info) -> None:
    """Nobody is signed in: the differential test's requests carry no token."""


async def resolve_users(
    _root: None, info: Info, first: int | None = 20, after: str | None = None
) -> Connection:
    context: Context = info.context
    page_size = check_page_size(first)
    async with context.users() as session:
        page = await users_repository.list_users(session, first=page_size, after=after)

    async def count() -> int:
        async with context.users() as session:
            return await users_repository.count_users(session)

    return Connection(page, users_repository.BY_CREATED_AT, count)


# Task


async def resolve_assignee(task: TaskRow, info: Info) -> UserRow | None:
    if task.assignee_id is None:
        return None
    context: Context = info.context
    return await context.loaders.user_by_id.load(task.assignee_id)


# User


async def resolve_user_tasks(
    user: UserRow,
    info: Info,
    status: str | None = None,
    first: int | None = 20,
    after: str | None = None,
) -> Connection:
    loaders: Loaders = info.context.loaders
    page = await loaders.tasks_of_user.load((user.id, status, check_page_size(first), after))

    async def count() -> int:
        return await loaders.count_of_user.load((user.id, status))

    return Connection(page, tasks_repository.BY_ASSIGNEE, count)


async def resolve_task_count(user: UserRow, info: Info, status: str | None = None) -> int:
    loaders: Loaders = info.context.loaders
    return await loaders.count_of_user.load((user.id, status))


# Connections


def resolve_edges(connection: Connection, _info: Info) -> list[Edge]:
    return [Edge(connection.sort_key.cursor(row), row) for row in connection.page.items]


def resolve_page_info(connection: Connection, _info: Info) -> dict[str, Any]:
    items = connection.page.items
    return {
        "hasNextPage": connection.page.has_next_page,
        "endCursor": connection.sort_key.cursor(items[-1]) if items else None,
    }


async def resolve_total_count(connection: Connection, _info: Info) -> int:
    return await connection.count()


def _attribute(read: Callable[[Any], Any]) -> Resolver:
    def resolve(source: Any, _info: Info, **_args: Any) -> Any:
        return read(source)

    return resolve


RESOLVERS: dict[str, dict[str, Resolver]] = {
    "Query": {
        "task": resolve_task,
        "tasks": resolve_tasks,
        "user": resolve_user,
        "users": resolve_users,
        "me": resolve_me,
    },
    "Task": {
        "id": _attribute(lambda row: row.id),
        "title": _attribute(lambda row: row.title),
        "description": _attribute(lambda row: row.description),
        "status": _attribute(lambda row: row.status),
        "priority": _attribute(lambda row: PRIORITY_NAMES[row.priority]),
        "dueDate": _attribute(lambda row: _iso(row.due_date)),
        "createdAt": _attribute(lambda row: row.created_at.isoformat()),
        "updatedAt": _attribute(lambda row: row.updated_at.isoformat()),
        "assignee": resolve_assignee,
    },
    "User": {
        "id": _attribute(lambda row: row.id),
        "name": _attribute(lambda row: row.name),
        "email": _attribute(lambda row: row.email),
        "role": _attribute(lambda row: row.role),
        "createdAt": _attribute(lambda row: row.created_at.isoformat()),
        "tasks": resolve_user_tasks,
        "taskCount": resolve_task_count,
    },
    "TaskConnection": {
        "edges": resolve_edges,
        "pageInfo": resolve_page_info,
        "totalCount": resolve_total_count,
    },
    "UserConnection": {
        "edges": resolve_edges,
        "pageInfo": resolve_page_info,
        "totalCount": resolve_total_count,
    },
    "TaskEdge": {
        "cursor": _attribute(lambda edge: edge.cursor),
        "node": _attribute(lambda edge: edge.node),
    },
    "UserEdge": {
        "cursor": _attribute(lambda edge: edge.cursor),
        "node": _attribute(lambda edge: edge.node),
    },
    "PageInfo": {
        "hasNextPage": _attribute(lambda info: info["hasNextPage"]),
        "endCursor": _attribute(lambda info: info["endCursor"]),
    },
}


def monolith_schema() -> GraphQLSchema:
    """The router's API schema, built anew, with a resolver on every queryable field.

    Fails if the API grows a query-side field this monolith does not resolve, so the
    oracle can never silently answer null for a field it does not know.
    """
    schema = api_schema(SUPERGRAPH.read_text())
    for type_name, resolvers in RESOLVERS.items():
        object_type = schema.type_map[type_name]
        assert isinstance(object_type, GraphQLObjectType)
        missing = set(object_type.fields) - set(resolvers)
        assert not missing, f"the monolith does not resolve {type_name}.{sorted(missing)}"
        for field_name, resolve in resolvers.items():
            object_type.fields[field_name].resolve = resolve
    return schema


class Monolith:
    """The monolithic server over the users and tasks databases."""

    def __init__(self, users_url: str, tasks_url: str) -> None:
        self.schema = monolith_schema()
        self.engines: Sequence[AsyncEngine] = (create_engine(users_url), create_engine(tasks_url))
        self.users = create_sessionmaker(self.engines[0])
        self.tasks = create_sessionmaker(self.engines[1])

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> ExecutionResult:
        """Run one operation with fresh loaders."""
        loaders = Loaders(self.users, self.tasks)
        context = Context(self.users, self.tasks, loaders)
        return await graphql(
            self.schema,
            query,
            context_value=context,
            variable_values=dict(variables or {}),
            operation_name=operation_name,
        )

    async def close(self) -> None:
        """Dispose of both engines."""
        for engine in self.engines:
            await engine.dispose()
