"""Every environment variable the deployment files give a fedtasks process is one it reads.

A misspelt name would be ignored silently, and the process would run on its default;
so each name set in docker-compose.yml (fedtasks services) and in the Kubernetes
containers, and each in the image's ENV, must occur in the code that runs there.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import uvicorn

from tests.deploy.files import (
    HEALTHCHECK_SCRIPT,
    ROOT,
    compose,
    image_environment,
    is_fedtasks_service,
    k8s_documents,
)

# The image runs fedtasks' packages, uvicorn under them, and the health check script.
SOURCES = [
    *sorted((ROOT / "router").rglob("*.py")),
    *sorted((ROOT / "subgraphs").rglob("*.py")),
    *sorted((ROOT / "fedtasks_graphiql").rglob("*.py")),
    *sorted(Path(uvicorn.__file__).parent.rglob("*.py")),
    HEALTHCHECK_SCRIPT,
]


# Read by the Python interpreter itself.
INTERPRETER = frozenset({"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"})


@functools.cache
def _code() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)


def _read_by_code(name: str, code: str) -> bool:
    """``"NAME"`` in the code, or ``f"PREFIX_{...}"`` for a per-name variable."""
    if f'"{name}"' in code:
        return True
    prefixes = [name[: match.end()] for match in re.finditer("_", name)]
    return any(f'f"{prefix}{{' in code for prefix in prefixes)


def _deployment_variables() -> list[tuple[str, str]]:
    image = set(image_environment()) - {"PATH"} - INTERPRETER
    found = [("Dockerfile ENV", name) for name in image]
    for service_name, service in compose()["services"].items():
        if is_fedtasks_service(service):
            found += [(f"compose {service_name}", name) for name in service.get("environment", {})]
    for file, document in k8s_documents():
        if document["kind"] != "Deployment":
            continue
        pod = document["spec"]["template"]["spec"]
        for container in pod["containers"] + pod.get("initContainers", []):
            for variable in container.get("env", []):
                found.append((f"{file} {container['name']}", variable["name"]))
    return sorted(set(found))


@pytest.mark.parametrize(("where", "name"), _deployment_variables())
def test_the_variable_is_read_by_the_code(where: str, name: str) -> None:
    assert _read_by_code(name, _code()), f"{where} sets {name}, which no code reads"


def test_a_misspelt_variable_is_caught() -> None:
    assert not _read_by_code("FEDTASKS_SUBGRAPH_SECERT", _code())
    assert _read_by_code("FEDTASKS_SUBGRAPH_URL_USERS", _code())
