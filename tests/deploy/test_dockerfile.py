"""The Dockerfile: stages, a slim non-root final image, its entrypoint, command and health check."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from fedtasks_graphiql.assets import ASSET_FILES, missing_assets
from router.cli import main as fedtasks_main
from tests.deploy.commands import parse_fedtasks
from tests.deploy.dockerignore import DockerIgnore
from tests.deploy.files import (
    DOCKERIGNORE,
    HEALTHCHECK_SCRIPT,
    ROOT,
    Stage,
    dockerfile_stages,
    image_environment,
)

BUILD_TOOLS = ("apt-get", "gcc", "build-essential", "npm", "node", "pip install", "curl", "wget")


def _stage(name: str) -> Stage:
    return next(stage for stage in dockerfile_stages() if stage.name == name)


def _runtime() -> Stage:
    return dockerfile_stages()[-1]


def _copied_from(stage: Stage, source_stage: str) -> dict[str, str]:
    """``COPY --from=source_stage SRC DEST`` of ``stage``: SRC -> DEST."""
    copies = [i for i in stage.all("COPY") if i.flags.get("from") == source_stage]
    return {i.arguments[0]: i.arguments[1] for i in copies}


def test_the_image_is_built_in_stages_and_the_last_is_slim_python() -> None:
    stages = dockerfile_stages()
    assert [stage.name for stage in stages] == ["graphiql", "builder", "runtime"]
    assert stages[0].base.startswith("node:")
    runtime = _runtime()
    assert runtime.base.startswith("python:3.11-slim")
    # The virtual environment's interpreter is a link into the base image: same image.
    assert _stage("builder").base == runtime.base


def test_the_final_stage_gets_no_build_tools_and_no_node() -> None:
    runtime = _runtime()
    for run in runtime.all("RUN"):
        assert not [tool for tool in BUILD_TOOLS if tool in run.value], run.value
    assert _copied_from(runtime, "builder") == {"/opt/fedtasks": "/opt/fedtasks"}
    assert _copied_from(runtime, "graphiql") == {"/assets": "/opt/fedtasks/graphiql"}
    builder = _stage("builder")
    assert any("build-essential" in run.value for run in builder.all("RUN"))
    assert any(run.value == "/opt/fedtasks/bin/pip install ." for run in builder.all("RUN"))


def test_the_image_runs_as_a_non_root_user() -> None:
    runtime = _runtime()
    user = runtime.last("USER").value
    uid, _, gid = user.partition(":")
    # Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
    assert uid.isdigit()
    assert gid.isdigit()
    assert int(uid) > 0
    assert int(gid) > 0
    created = " ".join(run.value for run in runtime.all("RUN"))
    assert f"useradd --system --uid {uid} " in created
    assert f"groupadd --system --gid {gid} " in created
    keywords = [i.keyword for i in runtime.instructions]
    assert "RUN" not in keywords[keywords.index("USER") :], "nothing runs as root after USER"


def test_the_entrypoint_is_the_fedtasks_console_script() -> None:
    assert _runtime().last("ENTRYPOINT").exec_form == ["fedtasks"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"] == {"fedtasks": "router.cli:main"}
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="fedtasks")
    assert script.value == "router.cli:main"
    assert script.load() is fedtasks_main
    assert "/opt/fedtasks/bin" in image_environment()["PATH"].split(":")


def test_the_default_command_serves_the_router_on_every_interface() -> None:
    runtime = _runtime()
    command = runtime.last("CMD").exec_form
    args = parse_fedtasks(command, image_environment())
    assert args.command == "router"
    assert args.host == "0.0.0.0"
    assert str(args.port) in runtime.last("EXPOSE").value.split()
    assert not args.dev, "the image runs in production mode"
    # The default supergraph, relative to WORKDIR, is the one the image copies there.
    workdir = PurePosixPath(runtime.last("WORKDIR").value)
    copied = {workdir / i.arguments[1]: i.arguments[0] for i in runtime.all("COPY") if not i.flags}
    assert copied[workdir / args.supergraph] == "schema/supergraph.graphql"


def test_the_health_check_is_python_on_the_copied_script() -> None:
    runtime = _runtime()
    healthcheck = runtime.last("HEALTHCHECK")
    command = healthcheck.exec_form
    assert command[0] == "python"
    copies = {i.arguments[1]: i.arguments[0] for i in runtime.all("COPY") if not i.flags}
    assert ROOT / copies[command[1]] == HEALTHCHECK_SCRIPT
    assert set(healthcheck.flags) >= {"interval", "timeout", "start-period", "retries"}


def test_the_image_holds_exactly_the_graphiql_assets_the_page_loads(tmp_path: Path) -> None:
    stage = _stage("graphiql")
    (npm_ci,) = [run for run in stage.all("RUN") if run.value.startswith("npm ci")]
    assert "--prefix tools/graphiql" in npm_ci.value
    (copy,) = [run for run in stage.all("RUN") if "cp --parents" in run.value]
    files = copy.value.split("cp --parents", 1)[1].split()[:-1]
    assert [f for f in files if not f.endswith("/LICENSE")] == list(ASSET_FILES)
    assert image_environment()["FEDTASKS_GRAPHIQL_DIR"] == "/opt/fedtasks/graphiql"

    # The same copy from the npm install that `make install` makes serves the page.
    node_modules = ROOT / "tools" / "graphiql" / "node_modules"
    if missing_assets(node_modules):
        pytest.fail("GraphiQL's assets are not installed: run `make install`")
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / name, tmp_path / name)
    assert missing_assets(tmp_path) == ()


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if (ROOT / line).is_file()]


def test_the_build_context_holds_what_the_build_copies_and_nothing_else() -> None:
    ignore = DockerIgnore(DOCKERIGNORE)
    sources = [
        source
        for stage in dockerfile_stages()
        for copy in stage.all("COPY")
        if not copy.flags
        for source in copy.arguments[:-1]
    ]
    for source in sources:
        assert (ROOT / source).exists(), source
    files = _tracked_files()
    in_context = {path for path in files if not ignore.ignores(path)}
    copied = {
        path
        for path in files
        for source in sources
        if path == source or path.startswith(source.rstrip("/") + "/")
    }
    assert in_context == {path for path in copied if "__pycache__" not in path}
    for heavy in (".venv/bin/python", "tools/graphiql/node_modules/react/index.js", ".git/HEAD"):
        assert ignore.ignores(heavy), heavy
    for private in (".env", "data/users.db", "router/__pycache__/cli.cpython-311.pyc"):
        assert ignore.ignores(private), private
