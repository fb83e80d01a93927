"""The stack as it runs in production, on this machine: Postgres, Redis, secrets, workers.

Around ``stack.running_stack``: a fresh Postgres database per subgraph (dropped after), a
private redis-server the routers share (cache, plans, APQ), production mode with the
run's token and subgraph secrets, and each router's own options (``--workers N``). The
rate limit is off (``FEDTASKS_RATE_LIMIT=0``): the load comes from one client address
and one user, which a per-identity limit would throttle. Redis is one of the stack's
processes (``pids["redis"]``), so its memory is measured with the rest.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from postgres import DEFAULT_ADMIN_URL, postgres_databases
from redis_server import redis_server
from stack import Dataset, RouterSpec, Stack, running_stack


def stack_parser(doc: str | None, output: Path, clients: int) -> argparse.ArgumentParser:
    """A parser with the options every run on this stack shares.

    Load clients, data, Postgres server, entity cache, results page and chart; the
    description is ``doc``'s first paragraph.
    """
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=clients, help="concurrent load clients")
    parser.add_argument("--entity-cache", action="store_true", help="routers' entity cache on")
    parser.add_argument("--users", type=int, default=100, help="seeded users")
    parser.add_argument("--tasks", type=int, default=2000, help="seeded tasks")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data")
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL, help="server for the databases")
    parser.add_argument("--output", type=Path, default=output, help="the results page")
    parser.add_argument("--chart", type=Path, help="the PNG (default: the page's name, .png)")
    return parser


def checked_stack_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Dataset:
    """The data to seed; fills in the chart's default path (exits on bad values)."""
    if args.users < 1 or args.tasks < 1:
        parser.error("--users and --tasks must be positive")
    args.chart = args.chart or args.output.with_suffix(".png")
    return Dataset(users=args.users, tasks=args.tasks, seed=args.seed)


def router_specs(workers: tuple[int, ...], *, entity_cache: bool) -> dict[str, RouterSpec]:
    """One router per worker count, named ``router`` (the first) and ``router-<N>w``."""
    env = {} if entity_cache else {"FEDTASKS_ENTITY_CACHE": "off"}
    return {
        "router" if index == 0 else f"router-{count}w": RouterSpec(("--workers", str(count)), env)
        for index, count in enumerate(workers)
    }


@contextmanager
def production_stack(
    dataset: Dataset,
    *,
    admin_url: str,
    routers: Mapping[str, RouterSpec],
    gateway: bool,
) -> Iterator[Stack]:
    """Start everything (see the module's docstring); stop and drop it all on exit."""
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fedredis-")))
        redis = stack.enter_context(redis_server(directory))
        databases = stack.enter_context(postgres_databases(admin_url, ("users", "tasks")))
        env = {
            "USERS_DATABASE_URL": databases["users"],
            "TASKS_DATABASE_URL": databases["tasks"],
            "REDIS_URL": redis.url,
            "FEDTASKS_RATE_LIMIT": "0",
        }
        running = stack.enter_context(
            running_stack(dataset, env=env, routers=routers, gateway=gateway)
        )
        yield dataclasses.replace(running, pids={**running.pids, "redis": redis.pid})
