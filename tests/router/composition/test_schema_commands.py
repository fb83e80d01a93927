"""``fedtasks compose`` and ``fedtasks schema check`` on real files and real processes."""

from __future__ import annotations

import shutil
from pathlib import Path

from router.composition.schema_check import CheckReport, api_changes
from router.schema_commands import run_check
from tests.support.processes import environment, free_port, run, running, wait_until_up

REPO = Path(__file__).resolve().parents[3]


def _copy_schema(tmp_path: Path) -> Path:
    target = tmp_path / "schema"
    shutil.copytree(REPO / "schema", target)
    return target


def _committed() -> dict[str, str]:
    return {name: (REPO / f"schema/{name}.graphql").read_text() for name in ("users", "tasks")}


def test_the_repository_passes_its_own_schema_check() -> None:
    result = run(["schema", "check"], cwd=REPO, env=environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "schema check passed" in result.stdout


def test_compose_writes_the_committed_supergraph(tmp_path: Path) -> None:
    schema = _copy_schema(tmp_path)
    output = tmp_path / "out.graphql"
    result = run(
        ["compose", "--config", str(schema / "supergraph.yaml"), "--output", str(output)],
        cwd=tmp_path,
        env=environment(),
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text() == (REPO / "schema/supergraph.graphql").read_text()


def test_compose_prints_each_error_with_its_code_and_writes_nothing(tmp_path: Path) -> None:
    schema = _copy_schema(tmp_path)
    tasks = schema / "tasks.graphql"
    # A second, unshared definition of a field the users subgraph owns.
    tasks.write_text(tasks.read_text().replace("type Query {", "type Query {\n  users: Int"))
    output = tmp_path / "out.graphql"
    result = run(
        ["compose", "--config", str(schema / "supergraph.yaml"), "--output", str(output)],
        cwd=tmp_path,
        env=environment(),
    )
    assert result.returncode == 1
    assert "FIELD_TYPE_MISMATCH: " in result.stderr
    assert "nothing written" in result.stderr
    assert not output.exists()


def test_compose_reports_a_missing_config_clearly(tmp_path: Path) -> None:
    result = run(["compose", "--config", "nope.yaml"], cwd=tmp_path, env=environment())
    assert result.returncode == 2
    assert "cannot read nope.yaml" in result.stderr


def test_stale_subgraph_and_supergraph_files_fail_the_check(tmp_path: Path) -> None:
    schema = _copy_schema(tmp_path)
    fresh = _committed()
    fresh["users"] = fresh["users"].replace(
        "type Query {", 'type Query {\n  """New."""\n  ping: Int'
    )
    report = run_check(schema / "supergraph.yaml", schema / "supergraph.graphql", fresh)
    assert report.errors == []
    assert any("users.graphql" in stale for stale in report.stale)
    assert any("supergraph.graphql" in stale for stale in report.stale)
    assert report.breaking == []
    assert report.failed(allow_breaking=True)


def test_breaking_changes_are_listed_and_can_be_allowed(tmp_path: Path) -> None:
    schema = _copy_schema(tmp_path)
    fresh = _committed()
    fresh["users"] = fresh["users"].replace("  email: String! @cacheControl(scope: PRIVATE)\n", "")
    (schema / "users.graphql").write_text(fresh["users"])
    report = run_check(schema / "supergraph.yaml", schema / "supergraph.graphql", fresh)
    assert len(report.breaking) == 1
    assert report.breaking[0].startswith("FIELD_REMOVED: ")
    assert "User.email was removed" in report.breaking[0]
    assert report.failed(allow_breaking=False)
    # With the supergraph recomposed and committed, only the breaking change is left, and
    # --allow-breaking turns it into a warning.
    only_breaking = CheckReport(breaking=report.breaking)
    assert only_breaking.failed(allow_breaking=False)
    assert not only_breaking.failed(allow_breaking=True)


def test_api_changes_name_each_kind_of_break() -> None:
    old = (REPO / "schema/supergraph.graphql").read_text()
    new = (
        old.replace("  DONE @join__enumValue(graph: TASKS)\n", "")
        .replace("task(id: ID!): Task", "task(id: ID!, strict: Boolean!): Task")
        .replace(
            "  title: String!\n  description: String = null\n",
            "  title: Int!\n  description: String = null\n",
        )
    )
    breaking, _dangerous = api_changes(old, new)
    kinds = {change.split(":")[0] for change in breaking}
    assert {"VALUE_REMOVED_FROM_ENUM", "REQUIRED_ARG_ADDED", "FIELD_CHANGED_KIND"} <= kinds


def test_an_added_enum_value_is_dangerous_not_breaking() -> None:
    old = (REPO / "schema/supergraph.graphql").read_text()
    new = old.replace(
        "  DONE @join__enumValue(graph: TASKS)\n",
        "  DONE @join__enumValue(graph: TASKS)\n  BLOCKED @join__enumValue(graph: TASKS)\n",
    )
    breaking, dangerous = api_changes(old, new)
    assert breaking == []
    assert any(change.startswith("VALUE_ADDED_TO_ENUM") for change in dangerous)


def test_compose_help_explains_the_workflow(tmp_path: Path) -> None:
    result = run(["compose", "--help"], cwd=tmp_path, env=environment())
    assert result.returncode == 0
    for step in ("fedtasks schema export", "fedtasks compose", "fedtasks schema check"):
        assert step in result.stdout


def test_compose_fetches_sdl_from_a_running_subgraph(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    config = tmp_path / "supergraph.yaml"
    config.write_text(
        "subgraphs:\n"
        "  users:\n"
        f"    routing_url: {url}\n"
        "    schema:\n"
        f"      subgraph_url: {url}\n"
        "  tasks:\n"
        "    routing_url: http://127.0.0.1:4002/graphql\n"
        "    schema:\n"
        f"      file: {REPO / 'schema/tasks.graphql'}\n"
    )
    output = tmp_path / "supergraph.graphql"
    with running(["subgraph", "users", "--port", str(port)], cwd=tmp_path, env=environment()) as p:
        wait_until_up(f"http://127.0.0.1:{port}/health", p)
        result = run(
            ["compose", "--config", str(config), "--output", str(output)],
            cwd=tmp_path,
            env=environment(),
        )
    assert result.returncode == 0, result.stderr
    composed = output.read_text()
    assert f'USERS @join__graph(name: "users", url: "{url}")' in composed
    assert "createUser(input: CreateUserInput!): User! @join__field(graph: USERS)" in composed


def test_an_unreachable_subgraph_url_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/graphql"
    config = tmp_path / "supergraph.yaml"
    config.write_text(
        f"subgraphs:\n  users:\n    routing_url: {url}\n    schema:\n      subgraph_url: {url}\n"
    )
    result = run(["compose", "--config", str(config)], cwd=tmp_path, env=environment())
    assert result.returncode == 2
    assert f"cannot fetch the SDL of {url}" in result.stderr
