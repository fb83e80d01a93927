"""The Compose stack's own commands and settings, run for real as processes on this machine.

There is no Docker engine here, so each service of docker-compose.yml runs as what its
container would run: the Postgres init script, then `migrate`, `users`, `tasks` and
`router` with their command lines and environments (interpolated with .env.example and
the image's ENV). Only addresses change: service names become 127.0.0.1 and free ports,
the databases get names of their own, and Redis is the one at 127.0.0.1:6379. A query
through the router then reaches both subgraphs, over the secrets and URLs the file sets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.deploy.files import (
    HEALTHCHECK_SCRIPT,
    POSTGRES_INIT_SCRIPT,
    ROOT,
    compose,
    image_environment,
)
from tests.support.processes import FEDTASKS, free_port, running, wait_until_up
from tests.support.services import (
    POSTGRES_HOST,
    POSTGRES_PORT,
    POSTGRES_USER,
    drop_postgres_database,
    require,
)

REDIS = ("127.0.0.1", 6379)
SERVED = ("users", "tasks", "router")


class Localised:
    """Maps the stack's service addresses to this machine's."""

    def __init__(self, databases: Mapping[str, str]) -> None:
        self.databases = dict(databases)
        self.ports = {name: free_port() for name in SERVED}

    def url(self, value: str) -> str:
        """``value`` with a service's host and port (and a database's name) made local."""
        parts = urlsplit(value)
        if not parts.scheme or parts.hostname is None:
            return value
        credentials = parts.netloc.rpartition("@")[0]
        path = parts.path
        if parts.hostname == "postgres":
            host, port = POSTGRES_HOST, POSTGRES_PORT
            # The init script names each database's role after it.
            path = "/" + self.databases[path.lstrip("/")]
            user, _, password = credentials.partition(":")
            credentials = f"{self.databases[user]}:{password}"
        elif parts.hostname == "redis":
            host, port = REDIS
        elif parts.hostname in self.ports:
            host, port = "127.0.0.1", self.ports[parts.hostname]
        else:
            return value
        prefix = f"{credentials}@" if credentials else ""
        return urlunsplit(parts._replace(netloc=f"{prefix}{host}:{port}", path=path))

    def environment(self, service: Mapping[str, Any], namespace: str) -> dict[str, str]:
        """The container's environment, with local addresses, over this machine's PATH."""
        image = {k: v for k, v in image_environment().items() if k != "PATH"}
        env = {"PATH": os.environ["PATH"], **image}
        for name, value in service.get("environment", {}).items():
            env[name] = self.url(str(value))
        if "FEDTASKS_HEALTH_PORT" in env:
            env["FEDTASKS_HEALTH_PORT"] = str(self.ports[_name_of(service)])
        env["FEDTASKS_CACHE_NAMESPACE"] = namespace  # apart from other tests' keys
        return env

    def command(self, name: str, command: list[str]) -> list[str]:
        """The command line, listening on 127.0.0.1 and this service's free port."""
        local = list(command)
        local[local.index("--host") + 1] = "127.0.0.1"
        local[local.index("--port") + 1] = str(self.ports[name])
        return local


def _name_of(service: Mapping[str, Any]) -> str:
    """The name of what a service's command serves: router, users or tasks."""
    words = service["command"]
    return "router" if words[0] == "router" else str(words[1])


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-h", POSTGRES_HOST, "-p",
         str(POSTGRES_PORT), "-U", POSTGRES_USER, "-d", "postgres", "-c", sql],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.fixture
def databases() -> Iterator[dict[str, str]]:
    """Fresh names for the stack's databases (and their roles); dropped afterwards."""
    require("Postgres", POSTGRES_HOST, POSTGRES_PORT)
    require("Redis", *REDIS)
    if shutil.which("psql") is None:
        pytest.fail("psql is not installed (the postgres image runs the init script with it)")
    postgres = compose()["services"]["postgres"]["environment"]
    suffix = uuid.uuid4().hex[:10]
    names = {
        postgres[variable]: f"{postgres[variable]}_deploy_{suffix}"
        for variable in ("FEDTASKS_USERS_DB", "FEDTASKS_TASKS_DB")
    }
    try:
        yield names
    finally:
        for name in names.values():
            drop_postgres_database(name)
            _psql(f'DROP ROLE IF EXISTS "{name}"')


def _graphql(url: str, query: str) -> dict[str, Any]:
    response = httpx.post(url, json={"query": query}, timeout=20)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.postgres
def test_the_stack_serves_the_federated_graph(databases: dict[str, str], tmp_path: Path) -> None:
    services = compose()["services"]
    local = Localised(databases)
    namespace = f"fedtasks-deploy-{uuid.uuid4().hex[:8]}:"

    # postgres: the init script, as the image's entrypoint runs it on an empty volume.
    init_env = {
        "PATH": os.environ["PATH"],
        "PGHOST": POSTGRES_HOST,
        "PGPORT": str(POSTGRES_PORT),
        "POSTGRES_USER": POSTGRES_USER,
        **services["postgres"]["environment"],
    }
    for variable in ("FEDTASKS_USERS_DB", "FEDTASKS_TASKS_DB"):
        init_env[variable] = databases[init_env[variable]]
    init = subprocess.run(
        ["sh", str(POSTGRES_INIT_SCRIPT)], env=init_env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr

    # The image's working directory: the supergraph where the Dockerfile copies it.
    app = tmp_path / "app"
    (app / "schema").mkdir(parents=True)
    shutil.copyfile(ROOT / "schema" / "supergraph.graphql", app / "schema" / "supergraph.graphql")

    migrate = services["migrate"]
    migrated = subprocess.run(
        [FEDTASKS, *migrate["command"]],
        cwd=app,
        env=local.environment(migrate, namespace),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr

    with ExitStack() as stack:
        for name in SERVED:
            service = services[name]
            env = local.environment(service, namespace)
            process = stack.enter_context(
                running(local.command(name, service["command"]), cwd=app, env=env)
            )
            wait_until_up(f"http://127.0.0.1:{local.ports[name]}/ready", process, timeout=60)
            # The container's health check, as Docker runs it, with the service's settings.
            check = subprocess.run(
                ["python", str(HEALTHCHECK_SCRIPT)], env=env, capture_output=True, timeout=30
            )
            assert check.returncode == 0, name

        body = _graphql(
            f"http://127.0.0.1:{local.ports['router']}/graphql",
            "{ users(first: 1) { totalCount } tasks(first: 1) { totalCount } }",
        )
        assert body == {"data": {"users": {"totalCount": 0}, "tasks": {"totalCount": 0}}}

        # The subgraphs answer the router only (it sends the shared secret).
        direct = httpx.post(
            f"http://127.0.0.1:{local.ports['users']}/graphql",
            json={"query": "{ users(first: 1) { totalCount } }"},
            timeout=20,
        )
        assert direct.status_code == 401
        assert [e["extensions"]["code"] for e in direct.json()["errors"]] == ["UNAUTHENTICATED"]
