"""docker-compose.yml: its structure, its commands, and that its ports and URLs agree.

There is no Docker engine here; the stack's commands run for real in test_compose_stack.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

from tests.deploy.commands import parse_fedtasks
from tests.deploy.files import (
    ENV_EXAMPLE,
    NGINX_CONF,
    POSTGRES_INIT_SCRIPT,
    ROOT,
    compose,
    compose_raw,
    dotenv,
    image_environment,
    interpolate,
    is_fedtasks_service,
    supergraph_urls,
)
from tests.support.processes import free_port

LONG_RUNNING = ("users", "tasks", "router")
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose()["services"]
    return services


def _parsed(name: str) -> Any:
    service = _services()[name]
    return parse_fedtasks(service["command"], {**image_environment(), **service["environment"]})


def _subgraph_services() -> dict[str, str]:
    """Subgraph name -> the Compose service that serves it."""
    served = {}
    for name, service in _services().items():
        if is_fedtasks_service(service) and service["command"][0] == "subgraph":
            served[_parsed(name).service] = name
    return served


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_the_stack_has_every_service() -> None:
    assert set(_services()) == {"postgres", "redis", "migrate", "users", "tasks", "router", "lb"}
    fedtasks = {name for name, service in _services().items() if is_fedtasks_service(service)}
    assert fedtasks == {"migrate", "users", "tasks", "router"}
    assert (ROOT / "Dockerfile").is_file()


def test_every_variable_it_needs_is_in_the_env_example() -> None:
    # Interpolating with .env.example raises on a required variable it lacks.
    compose(dotenv(ENV_EXAMPLE))
    text = (ROOT / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{(\w+)(?::\?[^}]*)?\}", text))
    assert required <= set(dotenv(ENV_EXAMPLE)), required - set(dotenv(ENV_EXAMPLE))
    with pytest.raises(KeyError, match="FEDTASKS_SUBGRAPH_SECRET"):
        compose({k: v for k, v in dotenv(ENV_EXAMPLE).items() if k != "FEDTASKS_SUBGRAPH_SECRET"})


def test_every_service_has_a_health_check_and_waits_on_conditions() -> None:
    services = _services()
    for name, service in services.items():
        check = service["healthcheck"]
        if check.get("disable"):
            # Only a one-shot job, which the others wait for to complete instead.
            assert name == "migrate"
            assert service["restart"] == "no"
        else:
            assert check["test"][0] == "CMD", name
            assert {"interval", "timeout", "retries"} <= set(check), name
        for dependency, condition in service.get("depends_on", {}).items():
            assert condition["condition"] in CONDITIONS, (name, dependency)
            target = services[dependency]
            if condition["condition"] == "service_healthy":
                assert not target["healthcheck"].get("disable"), (name, dependency)
            if condition["condition"] == "service_completed_successfully":
                assert target["restart"] == "no", (name, dependency)
        if name != "migrate":
            assert service["restart"] == "unless-stopped", name
    for name in ("users", "tasks"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    for name in ("redis", "users", "tasks"):
        assert services["router"]["depends_on"][name] == {"condition": "service_healthy"}
    assert services["lb"]["depends_on"] == {"router": {"condition": "service_healthy"}}


def test_postgres_keeps_its_data_in_a_named_volume_and_makes_a_database_per_subgraph() -> None:
    raw = compose_raw()
    postgres = _services()["postgres"]
    assert "postgres-data" in raw["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]
    init = f"./{POSTGRES_INIT_SCRIPT.relative_to(ROOT)}"
    mounts = [v for v in postgres["volumes"] if v.startswith(f"{init}:")]
    assert len(mounts) == 1
    assert mounts[0].split(":")[1].startswith("/docker-entrypoint-initdb.d/")
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert "127.0.0.1" in postgres["healthcheck"]["test"]
    required = re.findall(r'"\$\{(\w+):\?', POSTGRES_INIT_SCRIPT.read_text())
    assert len(required) == 4
    assert set(required) <= set(postgres["environment"])


def test_the_router_publishes_no_port_so_it_scales_behind_the_balancer() -> None:
    services = _services()
    router = services["router"]
    assert "ports" not in router
    assert "container_name" not in router
    for name, service in services.items():
        if name != "lb":
            assert "ports" not in service, f"{name} publishes a port"
    assert services["lb"]["ports"] == ["4000:4000"]
    assert "./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in services["lb"]["volumes"]
    conf = NGINX_CONF.read_text()
    assert re.search(r"^\s*listen 4000;", conf, re.MULTILINE)
    # Docker's DNS, re-asked at run time, so every replica gets requests.
    assert re.search(r"^\s*resolver 127\.0\.0\.11 valid=\d+s", conf, re.MULTILINE)
    (target,) = re.findall(r"set \$router_upstream (\S+);", conf)
    assert "proxy_pass $router_upstream;" in conf
    assert target == f"http://router:{_parsed('router').port}"
    # The balancer is the only way in: its X-Forwarded-For, trusted by the router, holds
    # the client's address alone, so the rate limit cannot be dodged with a forged header.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert router["environment"]["FORWARDED_ALLOW_IPS"] == "*"


def test_every_fedtasks_command_is_real_and_listens_where_it_is_checked() -> None:
    services = _services()
    for name in LONG_RUNNING:
        service = services[name]
        args = _parsed(name)
        assert args.command == ("router" if name == "router" else "subgraph"), name
        assert args.host == "0.0.0.0", name
        assert service["expose"] == [str(args.port)], name
        assert service["environment"]["FEDTASKS_HEALTH_PORT"] == str(args.port), name
        assert service["healthcheck"]["test"] == ["CMD", "python", "/opt/fedtasks/healthcheck.py"]
        assert not getattr(args, "dev", False), f"{name} runs in production mode"
        grace = float(service["environment"]["FEDTASKS_SHUTDOWN_GRACE_SECONDS"])
        assert _seconds(service["stop_grace_period"]) > grace, name
    for name in ("users", "tasks"):
        args = _parsed(name)
        assert args.service == name
        assert args.no_migrate, "the migrate service has applied them"
    migrate = _parsed("migrate")
    assert (migrate.command, migrate.db_command, migrate.service) == ("db", "upgrade", None)


def test_the_router_reaches_every_subgraph_of_the_supergraph_at_its_service() -> None:
    router = _services()["router"]["environment"]
    served = _subgraph_services()
    assert set(served) == set(supergraph_urls())
    overrides = {k: v for k, v in router.items() if k.startswith("FEDTASKS_SUBGRAPH_URL_")}
    assert set(overrides) == {f"FEDTASKS_SUBGRAPH_URL_{name.upper()}" for name in served}
    for subgraph, service in served.items():
        url = urlsplit(overrides[f"FEDTASKS_SUBGRAPH_URL_{subgraph.upper()}"])
        assert (url.scheme, url.hostname, url.port) == ("http", service, _parsed(service).port)
        assert url.path == urlsplit(supergraph_urls()[subgraph]).path


def test_each_subgraph_uses_its_own_database_and_migrate_uses_the_same() -> None:
    services = _services()
    postgres = services["postgres"]["environment"]
    migrate = services["migrate"]["environment"]
    for name in ("users", "tasks"):
        variable = f"{name.upper()}_DATABASE_URL"
        url = services[name]["environment"][variable]
        assert migrate[variable] == url
        parts = urlsplit(url)
        database = postgres[f"FEDTASKS_{name.upper()}_DB"]
        # The init script names the owning role after the database.
        assert (parts.hostname, parts.port, parts.path) == ("postgres", 5432, f"/{database}")
        assert parts.username == database
        assert parts.password == postgres[f"FEDTASKS_{name.upper()}_DB_PASSWORD"]
        other = "tasks" if name == "users" else "users"
        assert f"{other.upper()}_DATABASE_URL" not in services[name]["environment"]


def test_secrets_come_from_the_environment_and_agree() -> None:
    raw = compose_raw()["services"]
    services = _services()
    for name in LONG_RUNNING:
        secret = raw[name]["environment"]["FEDTASKS_SUBGRAPH_SECRET"]
        assert secret.startswith("${FEDTASKS_SUBGRAPH_SECRET:?"), name
    for name in ("users", "router"):
        assert raw[name]["environment"]["FEDTASKS_JWT_SECRET"].startswith("${FEDTASKS_JWT_SECRET")
    assert "FEDTASKS_JWT_SECRET" not in services["tasks"]["environment"]
    assert len(interpolate("${FEDTASKS_JWT_SECRET}", dotenv(ENV_EXAMPLE)).encode()) >= 32


def test_the_router_shares_the_healthy_redis() -> None:
    services = _services()
    url = urlsplit(services["router"]["environment"]["REDIS_URL"])
    assert (url.scheme, url.hostname, url.port) == ("redis", "redis", 6379)
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_redis_is_bounded_with_an_eviction_policy(tmp_path: Path) -> None:
    command = _services()["redis"]["command"]
    assert command[0] == "redis-server"
    executable = shutil.which("redis-server")
    assert executable is not None, "redis-server is not installed"
    # The compose file's own arguments, on a private server: Redis accepts them as meant.
    port = free_port()
    server = subprocess.Popen(
        [
            executable,
            *command[1:],
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        assert client.config_get("maxmemory") == {"maxmemory": str(256 * 1024 * 1024)}
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
