"""Seeded generator of valid queries over the fedtasks API schema.

Every query is made from a ``random.Random(seed)``, so a failing one can be made again.
Queries mix what a client may send: the four root fields with their arguments (filters,
orderings, page sizes, cursors and ids taken from the data), random subsets of scalar
fields, nested entities up to four levels deep (task -> assignee -> tasks -> node ->
assignee), connections with ``pageInfo`` and ``totalCount``, ``__typename``, aliases
(two aliases of one field with different arguments), inline and named fragments,
variables with and without defaults (given, omitted, null) and ``@include``/``@skip``.

Each query is validated against the API schema; an invalid draft (fields that cannot be
merged, mostly) is thrown away and another one drawn.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLSchema, parse, validate

ORDERINGS = (
    "CREATED_AT_DESC",
    "CREATED_AT_ASC",
    "UPDATED_AT_DESC",
    "DUE_DATE_ASC",
    "PRIORITY_DESC",
)
DEFAULT_ORDERING = "CREATED_AT_DESC"
STATUSES = ("TODO", "IN_PROGRESS", "DONE")
PRIORITIES = ("LOW", "MEDIUM", "HIGH")
TASK_SCALARS = ("id", "title", "description", "status", "priority", "dueDate", "createdAt")
TASK_SCALARS_ALL = (*TASK_SCALARS, "updatedAt")
USER_SCALARS = ("id", "name", "email", "role", "createdAt")
# Levels of entities: 1 = the root's task or user; 4 = task -> assignee -> tasks -> assignee.
MAX_LEVEL = 4
MAX_DRAFTS = 50


class Absent:
    """An argument left out (its schema default applies)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent()


@dataclass(frozen=True)
class Enum:
    """An enum value: bare in a literal, a string in JSON variables."""

    name: str


@dataclass(frozen=True)
class DataPool:
    """Values from the seeded data that arguments are drawn from."""

    user_ids: Sequence[str]
    # Ids that tasks are assigned to but no user has (deleted or never existed).
    missing_user_ids: Sequence[str]
    task_ids: Sequence[str]
    # Cursors of Query.tasks per ordering name, of Query.users, and of User.tasks.
    task_cursors: Mapping[str, Sequence[str]]
    user_cursors: Sequence[str]
    assignee_cursors: Sequence[str]
    due_dates: Sequence[str]
    search_terms: Sequence[str]


@dataclass(frozen=True)
class GeneratedQuery:
    """One request: the document, its variables and the operation to run."""

    seed: int
    # Its position among the queries of its seed: QueryGenerator(..., seed).queries(n)[index].
    index: int
    document: str
    variables: dict[str, Any]
    operation_name: str | None

    def describe(self) -> str:
        """The request, printable in a failure report."""
        return (
            f"# generated query #{self.index} of seed {self.seed}"
            f" (operation {self.operation_name!r})\n"
            f"{self.document}\n# variables: {json.dumps(self.variables, sort_keys=True)}"
        )


def literal(value: Any) -> str:
    """``value`` as a GraphQL literal."""
    if value is None:
        return "null"
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {value!r}")


def as_json(value: Any) -> Any:
    """``value`` as a JSON variable value."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


@dataclass
class _Operation:
    """What one operation collects while it is drawn."""

    prefix: str
    definitions: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    # name, type condition, body text, level the body was drawn for
    fragments: list[tuple[str, str, str, int]] = field(default_factory=list)
    names: int = 0

    def name(self, stem: str) -> str:
        self.names += 1
        return f"{stem}{self.prefix}{self.names}"


class QueryGenerator:
    """Draws valid queries from one seed."""

    def __init__(self, pool: DataPool, schema: GraphQLSchema, seed: int) -> None:
        self.pool = pool
        self.schema = schema
        self.seed = seed
        self.rng = random.Random(seed)
        self.drawn = 0
        self.rejected = 0

    def queries(self, count: int) -> list[GeneratedQuery]:
        """``count`` valid queries."""
        return [self.query() for _ in range(count)]

    def query(self) -> GeneratedQuery:
        """One valid query (drafts the schema rejects are drawn again)."""
        for _ in range(MAX_DRAFTS):
            document, variables, operation_name = self._draft()
            errors = validate(self.schema, parse(document))
            if not errors:
                self.drawn += 1
                return GeneratedQuery(
                    self.seed, self.drawn - 1, document, variables, operation_name
                )
            self.rejected += 1
        raise AssertionError(f"no valid query in {MAX_DRAFTS} drafts; last: {errors}")

    # Documents and operations

    def _draft(self) -> tuple[str, dict[str, Any], str | None]:
        rng = self.rng
        if rng.random() < 0.1:
            first, first_values = self._operation("A", named=True)
            second, second_values = self._operation("B", named=True)
            chosen = rng.choice(("QA", "QB"))
            values = first_values if chosen == "QA" else second_values
            return f"{first}\n\n{second}", values, chosen
        text, values = self._operation("", named=rng.random() < 0.7)
        return text, values, None

    def _operation(self, prefix: str, *, named: bool) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        op = _Operation(prefix)
        roots: list[str] = []
        used: set[str] = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            kind = rng.choice(("tasks", "tasks", "tasks", "task", "user", "users"))
            roots.append(self._root(op, kind, used))
        if rng.random() < 0.15:
            roots.append(self._typename(op, used))
        rng.shuffle(roots)
        body = self._block(roots, 1)
        fragments = "".join(
            f"\n\nfragment {name} on {on} {text}" for name, on, text, _ in op.fragments
        )
        if op.definitions or named or prefix:
            header = f"query Q{prefix}"
            if op.definitions:
                header += "(" + ", ".join(op.definitions) + ")"
            return f"{header} {body}{fragments}", op.values
        return f"{rng.choice(('', 'query '))}{body}{fragments}", op.values

    # Arguments and variables

    def _value(
        self,
        op: _Operation,
        gql_type: str,
        value: Any,
        *,
        other: Callable[[], Any] | None = None,
    ) -> str | None:
        """``value`` as argument text (a literal or a variable); None to leave it out.

        ``value`` may be ABSENT: the argument is then left out, or given as a variable
        that is neither defaulted nor sent (which also means "not given").
        """
        rng = self.rng
        nullable = not gql_type.endswith("!")
        if value is ABSENT:
            if nullable and rng.random() < 0.25:
                name = op.name("v")
                op.definitions.append(f"${name}: {gql_type}")
                return f"${name}"
            return None
        if rng.random() >= 0.35:
            return literal(value)
        name = op.name("v")
        mode = rng.choice(("sent", "default", "overridden") if nullable else ("sent",))
        if mode == "default":
            op.definitions.append(f"${name}: {gql_type} = {literal(value)}")
        elif mode == "overridden" and other is not None:
            op.definitions.append(f"${name}: {gql_type} = {literal(other())}")
            op.values[name] = as_json(value)
        else:
            op.definitions.append(f"${name}: {gql_type}")
            op.values[name] = as_json(value)
        return f"${name}"

    def _arguments(self, op: _Operation, arguments: list[tuple[str, str | None]]) -> str:
        given = [f"{name}: {text}" for name, text in arguments if text is not None]
        self.rng.shuffle(given)
        return "(" + ", ".join(given) + ")" if given else ""

    def _first(self, op: _Operation, level: int) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            value: Any = ABSENT
        elif roll < 0.2:
            value = None
        elif level == 1 and roll < 0.25:
            value = rng.choice((20, 100))
        else:
            value = rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 7) if level == 1 else (0, 1, 2, 2, 3))
        return self._value(op, "Int", value, other=lambda: rng.randint(0, 9))

    def _status(self) -> Enum:
        return Enum(self.rng.choice(STATUSES))

    def _directives(self, op: _Operation) -> str:
        """``@include``/``@skip``, sometimes, with a literal or a variable condition."""
        rng = self.rng
        if rng.random() >= 0.12:
            return ""
        directive = rng.choice(("include", "skip"))
        condition = rng.random() < 0.5
        if rng.random() < 0.3:
            text = literal(condition)
        else:
            name = op.name("b")
            if rng.random() < 0.5:
                op.definitions.append(f"${name}: Boolean!")
                op.values[name] = condition
            else:
                op.definitions.append(f"${name}: Boolean = {literal(condition)}")
            text = f"${name}"
        return f" @{directive}(if: {text})"

    # Selections

    def _block(self, items: list[str], depth: int) -> str:
        pad = "  " * depth
        inner = "".join(f"\n{pad}{item}" for item in items)
        return "{" + inner + "\n" + "  " * (depth - 1) + "}"

    def _key(self, op: _Operation, field_name: str, used: set[str], *, force: bool) -> str:
        """``alias: `` or nothing: a field name is left unaliased once per selection set."""
        if field_name in used or force or self.rng.random() < 0.15:
            return f"{op.name('a')}: "
        used.add(field_name)
        return ""

    def _typename(self, op: _Operation, used: set[str]) -> str:
        return f"{self._key(op, '__typename', used, force=False)}__typename"

    def _root(self, op: _Operation, kind: str, used: set[str]) -> str:
        rng = self.rng
        pool = self.pool
        if kind == "task":
            task_id = rng.choice((*pool.task_ids[:30], "no-such-task"))
            args = self._arguments(op, [("id", self._value(op, "ID!", task_id))])
            body = self._task(op, 1, depth=2, fragment=False)
        elif kind == "user":
            user_id = rng.choice((*pool.user_ids, *pool.missing_user_ids, "no-such-user"))
            args = self._arguments(op, [("id", self._value(op, "ID!", user_id))])
            body = self._user(op, 1, depth=2, fragment=False)
        elif kind == "users":
            first = self._first(op, 1)
            after = None
            if rng.random() < 0.3:
                after = self._value(op, "String", rng.choice(pool.user_cursors))
            args = self._arguments(op, [("first", first), ("after", after)])
            body = self._connection(op, "User", 1, depth=2, fragment=False)
        else:
            args, body = self._tasks_root(op)
        key = self._key(op, kind, used, force=False)
        return f"{key}{kind}{args}{self._directives(op)} {body}"

    def _tasks_root(self, op: _Operation) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        ordering: Any
        if roll < 0.25:
            ordering, effective = ABSENT, DEFAULT_ORDERING
        elif roll < 0.3:
            ordering, effective = None, DEFAULT_ORDERING
        else:
            name = rng.choice(ORDERINGS)
            ordering, effective = Enum(name), name
        order_text = self._value(
            op, "TaskOrder", ordering, other=lambda: Enum(rng.choice(ORDERINGS))
        )
        after = None
        if rng.random() < 0.3:
            after = self._value(op, "String", rng.choice(self.pool.task_cursors[effective]))
        arguments = [
            ("orderBy", order_text),
            ("first", self._first(op, 1)),
            ("after", after),
            ("filter", self._filter(op)),
        ]
        return self._arguments(op, arguments), self._connection(op, "Task", 1, 2, fragment=False)

    def _filter(self, op: _Operation) -> str | None:
        rng = self.rng
        pool = self.pool
        if rng.random() < 0.4:
            return None if rng.random() < 0.8 else self._value(op, "TaskFilter", None)
        choices: dict[str, Callable[[], Any]] = {
            "status": self._status,
            "priority": lambda: Enum(rng.choice(PRIORITIES)),
            "assigneeId": lambda: rng.choice(
                (*pool.user_ids[:6], *pool.missing_user_ids, "no-such-user")
            ),
            "search": lambda: rng.choice(pool.search_terms),
            "dueBefore": lambda: rng.choice(pool.due_dates),
        }
        count = rng.choice((1, 1, 1, 2, 2, 3))
        names = rng.sample(list(choices), count)
        values = {name: choices[name]() for name in names}
        if rng.random() < 0.05:
            values[rng.choice(list(choices))] = None
        if rng.random() < 0.3:
            return self._value(op, "TaskFilter", values)
        types = {
            "status": "TaskStatus",
            "priority": "TaskPriority",
            "assigneeId": "ID",
            "search": "String",
            "dueBefore": "Date",
        }
        parts = []
        for name, value in values.items():
            text = self._value(op, types[name], value)
            if text is not None:
                parts.append(f"{name}: {text}")
        return "{" + ", ".join(parts) + "}"

    def _connection(
        self, op: _Operation, node: str, level: int, depth: int, *, fragment: bool
    ) -> str:
        rng = self.rng
        items: list[str] = []
        used: set[str] = set()
        if rng.random() < 0.85:
            edge: list[str] = []
            edge_used: set[str] = set()
            if rng.random() < 0.35:
                edge.append(f"{self._key(op, 'cursor', edge_used, force=False)}cursor")
            if rng.random() < 0.1:
                edge.append(self._typename(op, edge_used))
            if not edge or rng.random() < 0.9:
                select = self._task if node == "Task" else self._user
                body = select(op, level, depth=depth + 2, fragment=fragment)
                key = self._key(op, "node", edge_used, force=False)
                edge.append(f"{key}node{self._directives(op)} {body}")
            key = self._key(op, "edges", used, force=False)
            items.append(f"{key}edges {self._block(edge, depth + 1)}")
        if rng.random() < 0.45:
            info: list[str] = []
            info_used: set[str] = set()
            for name in ("hasNextPage", "endCursor"):
                if rng.random() < 0.7:
                    info.append(f"{self._key(op, name, info_used, force=False)}{name}")
            if not info or rng.random() < 0.1:
                info.append(self._typename(op, info_used))
            key = self._key(op, "pageInfo", used, force=False)
            items.append(f"{key}pageInfo{self._directives(op)} {self._block(info, depth + 1)}")
        if not items or rng.random() < 0.4:
            key = self._key(op, "totalCount", used, force=False)
            items.append(f"{key}totalCount{self._directives(op)}")
        if rng.random() < 0.1:
            items.append(self._typename(op, used))
        rng.shuffle(items)
        return self._block(items, depth)

    def _scalars(
        self, op: _Operation, names: Sequence[str], used: set[str], most: int
    ) -> list[str]:
        rng = self.rng
        picked = rng.sample(list(names), rng.randint(1, most))
        items = []
        for name in picked:
            key = self._key(op, name, used, force=False)
            items.append(f"{key}{name}{self._directives(op)}")
        if rng.random() < 0.1:
            # The same field twice, once under an alias.
            name = rng.choice(picked)
            items.append(f"{self._key(op, name, used, force=True)}{name}")
        return items

    def _task(self, op: _Operation, level: int, *, depth: int, fragment: bool) -> str:
        rng = self.rng
        used: set[str] = set()
        items = self._scalars(op, TASK_SCALARS_ALL, used, 4)
        if level < MAX_LEVEL and rng.random() < 0.55:
            for _ in range(1 if rng.random() < 0.9 else 2):
                key = self._key(op, "assignee", used, force=False)
                body = self._user(op, level + 1, depth=depth + 1, fragment=fragment)
                items.append(f"{key}assignee{self._directives(op)} {body}")
        if rng.random() < 0.2:
            items.append(self._typename(op, used))
        items.extend(self._fragments(op, "Task", level, depth, fragment=fragment))
        rng.shuffle(items)
        return self._block(items, depth)

    def _user(self, op: _Operation, level: int, *, depth: int, fragment: bool) -> str:
        rng = self.rng
        used: set[str] = set()
        items = self._scalars(op, USER_SCALARS, used, 3) if rng.random() < 0.85 else []
        if level < MAX_LEVEL and (rng.random() < 0.45 or not items):
            for _ in range(1 if rng.random() < 0.7 else 2):
                status = self._value(op, "TaskStatus", self._optional_status(), other=self._status)
                after = None
                if rng.random() < 0.2:
                    cursor = rng.choice(self.pool.assignee_cursors)
                    after = self._value(op, "String", cursor)
                args = self._arguments(
                    op,
                    [("status", status), ("first", self._first(op, level + 1)), ("after", after)],
                )
                key = self._key(op, "tasks", used, force=fragment)
                body = self._connection(op, "Task", level + 1, depth + 1, fragment=fragment)
                items.append(f"{key}tasks{args}{self._directives(op)} {body}")
        if rng.random() < 0.35 or not items:
            for _ in range(1 if rng.random() < 0.6 else 2):
                status = self._value(op, "TaskStatus", self._optional_status(), other=self._status)
                args = self._arguments(op, [("status", status)])
                key = self._key(op, "taskCount", used, force=fragment)
                items.append(f"{key}taskCount{args}{self._directives(op)}")
        if rng.random() < 0.2:
            items.append(self._typename(op, used))
        items.extend(self._fragments(op, "User", level, depth, fragment=fragment))
        rng.shuffle(items)
        return self._block(items, depth)

    def _optional_status(self) -> Any:
        roll = self.rng.random()
        if roll < 0.4:
            return ABSENT
        if roll < 0.45:
            return None
        return self._status()

    def _fragments(
        self, op: _Operation, on: str, level: int, depth: int, *, fragment: bool
    ) -> list[str]:
        """Inline fragments and named fragment spreads on ``on`` (the same type)."""
        rng = self.rng
        items: list[str] = []
        select = self._task if on == "Task" else self._user
        if rng.random() < 0.15:
            # Nested selections in fragments stay one level shallower, to keep queries small.
            body = select(op, min(level + 1, MAX_LEVEL), depth=depth + 1, fragment=True)
            condition = f" on {on}" if rng.random() < 0.75 else ""
            items.append(f"...{condition}{self._directives(op)} {body}")
        if rng.random() < 0.15:
            reusable = [f for f in op.fragments if f[1] == on and f[3] >= level]
            if reusable and rng.random() < 0.5:
                name = rng.choice(reusable)[0]
            else:
                name = op.name(f"{on}Fields")
                body = select(op, level, depth=1, fragment=True)
                op.fragments.append((name, on, body, level))
            items.append(f"...{name}{self._directives(op)}")
        return items
