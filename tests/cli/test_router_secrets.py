"""``fedtasks router`` in production refuses to start without its secrets, naming them.

Without a token key the router would answer every signed-in caller 401, and without the
subgraph secret production subgraphs would refuse its every call: it used to start anyway,
with a /ready that said ``unavailable`` and no reason. Now it exits at once with one line
naming what is missing, unless FEDTASKS_ALLOW_NO_AUTH=true says to run without (then it
starts with a warning per missing secret), or it runs in dev mode.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

from tests.router.auth.tokens import ec_pair
from tests.router.auth.tokens import jwks as key_set
from tests.support.processes import environment, free_port, run, running, wait_until_up

SUPERGRAPH = str(Path(__file__).resolve().parents[2] / "schema/supergraph.graphql")
SECRETS = ("FEDTASKS_JWT_SECRET", "FEDTASKS_SUBGRAPH_SECRET", "FEDTASKS_JWKS_FILE")


def production(**overrides: str) -> dict[str, str]:
    """The tests' environment in production mode, without either secret, plus ``overrides``."""
    env = environment(FEDTASKS_SUPERGRAPH_POLL_SECONDS="0", FEDTASKS_SUBGRAPH_HEALTH_SECONDS="0")
    for name in (*SECRETS, "FEDTASKS_JWKS_URL", "FEDTASKS_DEV", "FEDTASKS_ALLOW_NO_AUTH"):
        env.pop(name, None)
    return {**env, **overrides}


def router_args() -> list[str]:
    return ["router", "--supergraph", SUPERGRAPH, "--port", str(free_port())]


def test_without_both_secrets_it_exits_naming_both(tmp_path: Path) -> None:
    result = run(router_args(), cwd=tmp_path, env=production())

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "error: FEDTASKS_JWT_SECRET and FEDTASKS_SUBGRAPH_SECRET not set, which production "
        "mode requires"
    )
    assert "FEDTASKS_ALLOW_NO_AUTH=true" in line
    assert "Traceback" not in result.stdout + result.stderr


def test_without_one_it_names_that_one_only(tmp_path: Path) -> None:
    no_subgraph_secret = run(
        router_args(), cwd=tmp_path, env=production(FEDTASKS_JWT_SECRET="j" * 32)
    )
    no_token_key = run(
        router_args(), cwd=tmp_path, env=production(FEDTASKS_SUBGRAPH_SECRET="a-secret")
    )

    assert no_subgraph_secret.returncode == no_token_key.returncode == 2
    assert no_subgraph_secret.stderr.startswith("error: FEDTASKS_SUBGRAPH_SECRET not set")
    assert "FEDTASKS_JWT_SECRET" not in no_subgraph_secret.stderr
    assert no_token_key.stderr.startswith("error: FEDTASKS_JWT_SECRET not set")
    assert "FEDTASKS_SUBGRAPH_SECRET" not in no_token_key.stderr


def serves(env: dict[str, str], cwd: Path, *options: str) -> str:
    """Start the router, check it is ready, stop it (Ctrl-C); its output."""
    port = free_port()
    args = ["router", "--supergraph", SUPERGRAPH, "--port", str(port), *options]
    with running(args, cwd=cwd, env=env) as process:
        wait_until_up(f"http://127.0.0.1:{port}/ready", process)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        assert process.stdout is not None
        return process.stdout.read()


def test_the_explicit_switch_starts_it_with_a_warning_per_missing_secret(tmp_path: Path) -> None:
    output = serves(production(FEDTASKS_ALLOW_NO_AUTH="true", LOG_FORMAT="text"), tmp_path)

    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert len(warnings) == 2, output
    assert "FEDTASKS_ALLOW_NO_AUTH=true: starting without FEDTASKS_JWT_SECRET" in warnings[0]
    assert "FEDTASKS_ALLOW_NO_AUTH=true: starting without FEDTASKS_SUBGRAPH_SECRET" in warnings[1]


def test_with_a_key_set_and_the_subgraph_secret_it_starts_without_a_warning(
    tmp_path: Path,
) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(key_set(ec_pair())))
    env = production(
        FEDTASKS_JWKS_FILE=str(jwks), FEDTASKS_SUBGRAPH_SECRET="a-secret", LOG_FORMAT="text"
    )

    assert "WARNING" not in serves(env, tmp_path)


def test_in_dev_mode_it_needs_neither(tmp_path: Path) -> None:
    assert "WARNING" not in serves(production(LOG_FORMAT="text"), tmp_path, "--dev")
