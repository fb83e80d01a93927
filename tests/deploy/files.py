"""The deployment files, read the way Docker, Compose and kustomize read them."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

from router.supergraph.reader import read_supergraph

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
K8S_DIR = ROOT / "deploy" / "k8s"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
HEALTHCHECK_SCRIPT = ROOT / "deploy" / "docker" / "healthcheck.py"
POSTGRES_INIT_SCRIPT = ROOT / "deploy" / "postgres" / "init-databases.sh"
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
KUBERNETES_VERSIONS = ("1.30", "1.34")
"""The Kubernetes versions the manifests are validated against (kubernetes-validate): the
oldest README promises (a preStop sleep needs 1.30) and a recent one."""


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword and its text after the keyword."""

    keyword: str
    value: str

    @property
    def flags(self) -> dict[str, str]:
        """Leading ``--name=value`` options (COPY --from, HEALTHCHECK --interval...)."""
        return dict(re.findall(r"--([a-z-]+)=(\S+)", self.value.split(" CMD ")[0]))

    @property
    def arguments(self) -> list[str]:
        """The value split like a shell would, without options (COPY's sources and target)."""
        return [word for word in shlex.split(self.value) if not word.startswith("--")]

    @property
    def exec_form(self) -> list[str]:
        """The JSON array of ENTRYPOINT, CMD or HEALTHCHECK's CMD (never the shell form)."""
        text = self.value.split(" CMD ", 1)[1] if self.keyword == "HEALTHCHECK" else self.value
        words = json.loads(text)
        assert isinstance(words, list), f"{self.keyword} must use the exec (JSON) form"
        return [str(word) for word in words]


@dataclass(frozen=True)
class Stage:
    """One ``FROM`` stage of the Dockerfile."""

    base: str
    name: str
    instructions: tuple[Instruction, ...]

    def all(self, keyword: str) -> list[Instruction]:
        """The stage's instructions with this keyword, in order."""
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        """The stage's last instruction with this keyword (the one in force)."""
        found = self.all(keyword)
        assert found, f"stage {self.name} has no {keyword}"
        return found[-1]


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages in order, parsed by dockerfile-parse."""
    stages: list[Stage] = []
    base, name = "", ""
    instructions: list[Instruction] = []
    for item in DockerfileParser(str(DOCKERFILE)).structure:
        keyword, value = item["instruction"], item["value"]
        if keyword == "COMMENT":
            continue
        if keyword == "FROM":
            if base:
                stages.append(Stage(base, name, tuple(instructions)))
            base, _, name = value.partition(" AS ")
            instructions = []
            continue
        instructions.append(Instruction(keyword, " ".join(value.split())))
    stages.append(Stage(base, name, tuple(instructions)))
    return stages


def image_environment() -> dict[str, str]:
    """The ``ENV`` of the final image, as every container of it starts with."""
    return dict(DockerfileParser(str(DOCKERFILE)).envs)


def dotenv(path: Path) -> dict[str, str]:
    """The ``NAME=value`` lines of an env file (Compose's ``.env`` format, no quoting)."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines())
    return {
        name.strip(): value.strip()
        for name, value in (pair for pair in pairs if len(pair) == 2)
        if not name.lstrip().startswith("#")
    }


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?|-|\?)(?P<arg>[^}]*))?\}")


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}`` interpolation."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in variables and (variables[name] or op not in (":-", ":?")):
            return variables[name]
        if op in (":-", "-"):
            return str(arg)
        if op in (":?", "?"):
            raise KeyError(f"${{{name}}} is required: {arg}")
        raise KeyError(f"${{{name}}} is not set")

    return _VARIABLE.sub(substitute, value)


def _interpolated(node: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, list):
        return [_interpolated(item, variables) for item in node]
    if isinstance(node, dict):
        return {key: _interpolated(item, variables) for key, item in node.items()}
    return node


def compose_raw() -> dict[str, Any]:
    """docker-compose.yml as YAML (anchors and merge keys resolved), not interpolated."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def compose(variables: Mapping[str, str] | None = None) -> dict[str, Any]:
    """docker-compose.yml interpolated with ``variables`` (by default .env.example's)."""
    values = dotenv(ENV_EXAMPLE) if variables is None else variables
    interpolated: dict[str, Any] = _interpolated(compose_raw(), values)
    return interpolated


def is_fedtasks_service(service: Mapping[str, Any]) -> bool:
    """Whether a Compose service runs the image built from the Dockerfile."""
    return service.get("build") == "."


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every manifest listed in kustomization.yaml, with the file it comes from."""
    documents = []
    for name in kustomization()["resources"]:
        for document in yaml.safe_load_all((K8S_DIR / name).read_text()):
            if document:
                documents.append((name, document))
    return documents


def kustomization() -> dict[str, Any]:
    """deploy/k8s/kustomization.yaml."""
    loaded: dict[str, Any] = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    return loaded


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    """The one manifest of this kind and name."""
    found = [d for _, d in k8s_documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def supergraph_urls() -> dict[str, str]:
    """The routing URL of every subgraph in schema/supergraph.graphql, by subgraph name."""
    return dict(read_supergraph(SUPERGRAPH.read_text()).urls)
