"""README's Deploying section: each docker and kubectl command is checked against its files.

tests/test_readme.py runs README's `fedtasks` commands; Docker and kubectl do not run
here, so each of their commands in the section has a check below of what it relies on,
and a command without one fails the test.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections.abc import Callable

import pytest

from tests.deploy.dockerignore import DockerIgnore
from tests.deploy.files import (
    COMPOSE_FILE,
    DOCKERFILE,
    DOCKERIGNORE,
    ENV_EXAMPLE,
    K8S_DIR,
    ROOT,
    compose,
    dotenv,
    is_fedtasks_service,
    k8s_object,
    kustomization,
)

README = ROOT / "README.md"


def _deploying_commands() -> list[str]:
    text = README.read_text()
    assert "\n## Deploying\n" in text
    section = text.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line]


def _version() -> str:
    version: str = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    return version


def _env_file() -> None:
    assert ENV_EXAMPLE.is_file()
    compose(dotenv(ENV_EXAMPLE))  # every variable the stack needs has an example value
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, ".env (secrets) must be ignored by git"
    assert DockerIgnore(DOCKERIGNORE).ignores(".env")


def _compose_up() -> None:
    assert COMPOSE_FILE.name == "docker-compose.yml"  # found by `docker compose` as is
    services = compose()["services"]
    assert "ports" not in services["router"], "--scale router=3 needs no fixed host port"
    assert "container_name" not in services["router"]
    assert any(is_fedtasks_service(service) for service in services.values())  # --build


def _image_tag() -> None:
    # The commands name the project's version (CHECKS' keys), the tag kustomize deploys.
    assert {"name": "fedtasks", "newTag": _version()} in kustomization()["images"]


def _docker_build() -> None:
    assert DOCKERFILE.name == "Dockerfile"  # found by `docker build .` as is
    _image_tag()


def _kubectl_apply() -> None:
    assert (K8S_DIR / "kustomization.yaml").is_file()  # validated by test_k8s.py


def _port_forward() -> None:
    assert kustomization()["namespace"] == "fedtasks"
    assert k8s_object("Service", "router")["spec"]["ports"][0]["port"] == 4000


CHECKS: dict[str, Callable[[], None]] = {
    "cp .env.example .env": _env_file,
    "docker compose up --build --scale router=3": _compose_up,
    f"docker build --tag REGISTRY/fedtasks:{_version()} .": _docker_build,
    f"docker push REGISTRY/fedtasks:{_version()}": _image_tag,
    "kubectl apply -k deploy/k8s": _kubectl_apply,
    "kubectl -n fedtasks port-forward service/router 4000:4000": _port_forward,
}


def test_every_deploying_command_has_a_check() -> None:
    assert sorted(_deploying_commands()) == sorted(CHECKS)


@pytest.mark.parametrize("command", sorted(CHECKS))
def test_deploying_command(command: str) -> None:
    CHECKS[command]()
