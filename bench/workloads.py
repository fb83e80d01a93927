"""The benchmark suite's workloads: what each load client sends, over and over.

- Q1 and Q2, the two queries of the router benchmark (``router_latency.QUERIES``);
- ``lookup``: one task by id with its assignee (two subgraphs), each client cycling
  through its own seeded tasks;
- ``mix``: 90% reads (Q1, the lookup and Q2 in turn) and 10% writes: ``updateTask`` on
  a task the client's user created at the start, so every write is allowed under the
  tasks subgraph's rule (its creator may change it) and the data does not grow.

Every request carries a signed-in user's token (HS256, as ``fedtasks router`` verifies
it), so the router's and the gateway's token checks are part of what is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from router_latency import FIRST_USER, QUERIES, answer, token

LOOKUP = "query Lookup($id: ID!) { task(id: $id) { title status assignee { name email } } }"
WRITE = (
    "mutation Write($id: ID!, $title: String!) "
    "{ updateTask(id: $id, input: { title: $title }) { id title } }"
)
CREATE = "mutation Create($input: CreateTaskInput!) { createTask(input: $input) { id } }"
SEEDED_TASKS = "query Seeded($first: Int!) { tasks(first: $first) { edges { node { id } } } }"
# One cycle of the mix: nine reads, then the write.
MIX_READS = ("Q1", "lookup", "Q2") * 3
LOOKUPS_PER_CLIENT = 5


@dataclass(frozen=True)
class Fixture:
    """The data the workloads name: the signed-in user, tasks to read, tasks to write."""

    user_id: str
    token: str
    lookup_ids: tuple[str, ...]  # seeded tasks, LOOKUPS_PER_CLIENT per client
    own_tasks: tuple[str, ...]  # one per client, created by the signed-in user

    @property
    def headers(self) -> dict[str, str]:
        """The signed-in client's Authorization header."""
        return {"authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Scenario:
    """One workload: a schedule of request bodies per client.

    ``probe`` is the query and variables whose latency is compared with the direct
    subgraph calls of the router's plan (None for the mix, which writes).
    """

    name: str
    description: str
    schedules: tuple[tuple[bytes, ...], ...]
    probe: tuple[str, dict[str, Any]] | None


def body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    """A GraphQL request body."""
    return orjson.dumps({"query": query, "variables": variables or {}})


def prepare(
    client: httpx.Client, url: str, secret: str, *, clients: int, lifetime: float
) -> Fixture:
    """Sign a seeded user in and create one task per client through the router at ``url``.

    The token lives ``lifetime`` seconds: the whole run.
    """
    first = answer(client, url, FIRST_USER)["data"]["users"]["edges"]
    user_id = first[0]["node"]["id"]
    signed = token(secret, user_id, lifetime=lifetime)
    headers = {"authorization": f"Bearer {signed}"}
    wanted = {"first": clients * LOOKUPS_PER_CLIENT}
    seeded = answer(client, url, SEEDED_TASKS, wanted, headers)["data"]["tasks"]["edges"]
    own = []
    for index in range(clients):
        task = {"title": f"bench client {index}", "assigneeId": user_id}
        created = answer(client, url, CREATE, {"input": task}, headers)["data"]["createTask"]
        own.append(created["id"])
    return Fixture(
        user_id=user_id,
        token=signed,
        lookup_ids=tuple(edge["node"]["id"] for edge in seeded),
        own_tasks=tuple(own),
    )


def _lookups(fixture: Fixture, client: int) -> tuple[str, ...]:
    """The task ids client number ``client`` reads (its own slice, wrapping around)."""
    ids = fixture.lookup_ids
    first = client * LOOKUPS_PER_CLIENT
    return tuple(ids[(first + i) % len(ids)] for i in range(LOOKUPS_PER_CLIENT))


def mix_schedule(fixture: Fixture, client: int) -> tuple[bytes, ...]:
    """Two cycles of nine reads and one write (the write alternates between two titles)."""
    lookups = iter(_lookups(fixture, client) * 2)
    task = fixture.own_tasks[client]
    schedule = []
    for cycle in range(2):
        for read in MIX_READS:
            if read == "lookup":
                schedule.append(body(LOOKUP, {"id": next(lookups)}))
            else:
                schedule.append(body(QUERIES[read]))
        title = f"bench client {client} write {cycle}"
        schedule.append(body(WRITE, {"id": task, "title": title}))
    return tuple(schedule)


def scenarios(fixture: Fixture, clients: int, names: tuple[str, ...]) -> list[Scenario]:
    """The named scenarios (of Q1, Q2, lookup, mix), with one schedule per client."""
    first_lookup = {"id": fixture.lookup_ids[0]}
    every: dict[str, Scenario] = {}
    for name, query in QUERIES.items():
        every[name] = Scenario(name, f"`{query}`", ((body(query),),) * clients, (query, {}))
    every["lookup"] = Scenario(
        "lookup",
        f"`{LOOKUP}`, each client cycling through {LOOKUPS_PER_CLIENT} seeded tasks",
        tuple(tuple(body(LOOKUP, {"id": i}) for i in _lookups(fixture, c)) for c in range(clients)),
        (LOOKUP, first_lookup),
    )
    every["mix"] = Scenario(
        "mix",
        "90% reads (Q1, lookup, Q2 in turn), 10% writes: "
        f"`{WRITE}` on a task the client's user created",
        tuple(mix_schedule(fixture, c) for c in range(clients)),
        None,
    )
    return [every[name] for name in names]
