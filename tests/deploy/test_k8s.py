"""deploy/k8s: valid against the Kubernetes schemas, and consistent with the commands.

kubernetes-validate bundles the schemas of each Kubernetes release, so this runs offline,
against the versions pinned in files.KUBERNETES_VERSIONS.
"""

from __future__ import annotations

import copy
import tomllib
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest

from tests.deploy.commands import parse_fedtasks
from tests.deploy.files import (
    K8S_DIR,
    KUBERNETES_VERSIONS,
    ROOT,
    SUPERGRAPH,
    compose,
    dockerfile_stages,
    image_environment,
    k8s_documents,
    k8s_object,
    kustomization,
    supergraph_urls,
)

SERVICES = ("router", "users", "tasks")


def _rendered() -> list[dict[str, Any]]:
    """What `kubectl apply -k` sends: the manifests and the generated ConfigMap, namespaced."""
    settings = kustomization()
    documents = [copy.deepcopy(document) for _, document in k8s_documents()]
    for generator in settings["configMapGenerator"]:
        data = {name: (K8S_DIR / name).read_text() for name in generator["files"]}
        metadata = {"name": generator["name"]}
        documents.append(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}
        )
    for document in documents:
        if document["kind"] != "Namespace":
            document["metadata"]["namespace"] = settings["namespace"]
    return documents


def _container(deployment: str) -> dict[str, Any]:
    (container,) = k8s_object("Deployment", deployment)["spec"]["template"]["spec"]["containers"]
    return container


def _secret() -> dict[str, str]:
    data: dict[str, str] = k8s_object("Secret", "fedtasks")["stringData"]
    return data


def _environment(container: dict[str, Any]) -> dict[str, str]:
    """The container's environment: the image's ENV, then its own (Secret values resolved)."""
    env = {k: v for k, v in image_environment().items() if k != "PATH"}
    for variable in container.get("env", []):
        if "value" in variable:
            env[variable["name"]] = variable["value"]
        else:
            reference = variable["valueFrom"]["secretKeyRef"]
            assert reference["name"] == "fedtasks"
            env[variable["name"]] = _secret()[reference["key"]]
    return env


def _parsed(container: dict[str, Any]) -> Any:
    assert "command" not in container, "the image's ENTRYPOINT (fedtasks) runs the args"
    return parse_fedtasks(container["args"], _environment(container))


def _pod(deployment: str) -> dict[str, Any]:
    spec: dict[str, Any] = k8s_object("Deployment", deployment)["spec"]["template"]["spec"]
    return spec


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(
    "document", _rendered(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}"
)
def test_every_manifest_validates_against_the_kubernetes_schemas(
    document: dict[str, Any], version: str
) -> None:
    assert kubernetes_validate.validate(document, version, strict=True) == version


def test_the_validator_rejects_a_misspelled_field() -> None:
    broken = copy.deepcopy(k8s_object("Deployment", "router"))
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError, match="readinesProbe"):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)


def test_the_kustomization_lists_every_manifest_and_pins_the_image() -> None:
    settings = kustomization()
    on_disk = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(settings["resources"]) == on_disk
    assert settings["namespace"] == k8s_object("Namespace", "fedtasks")["metadata"]["name"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert settings["images"] == [{"name": "fedtasks", "newTag": version}]
    for name in SERVICES:
        pod = _pod(name)
        for container in pod["containers"] + pod.get("initContainers", []):
            assert container["image"] == "fedtasks", name


def test_the_supergraph_config_map_holds_the_committed_supergraph() -> None:
    (generator,) = kustomization()["configMapGenerator"]
    (file,) = generator["files"]
    assert (K8S_DIR / file).read_bytes() == SUPERGRAPH.read_bytes(), (
        "run `cp schema/supergraph.graphql deploy/k8s/supergraph.graphql`"
    )
    pod = _pod("router")
    (volume,) = [v for v in pod["volumes"] if "configMap" in v]
    assert volume["configMap"]["name"] == generator["name"]
    (mount,) = [m for m in _container("router")["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    assert _parsed(_container("router")).supergraph == f"{mount['mountPath']}/{file}"


def test_each_deployment_serves_on_its_port_with_probes_on_ready_and_health() -> None:
    for name in SERVICES:
        container = _container(name)
        args = _parsed(container)
        assert args.command == ("router" if name == "router" else "subgraph")
        assert args.host == "0.0.0.0"
        assert not args.dev, f"{name} runs in production mode"
        assert container["ports"] == [{"name": "http", "containerPort": args.port}]
        probes = {
            kind: (container[kind]["httpGet"]["path"], container[kind]["httpGet"]["port"])
            for kind in ("startupProbe", "livenessProbe", "readinessProbe")
        }
        assert probes == {
            "startupProbe": ("/health", "http"),
            "livenessProbe": ("/health", "http"),
            "readinessProbe": ("/ready", "http"),
        }
        service = k8s_object("Service", name)["spec"]
        assert service["ports"] == [{"name": "http", "port": args.port, "targetPort": "http"}]
        labels = k8s_object("Deployment", name)["spec"]["template"]["metadata"]["labels"]
        assert service["selector"].items() <= labels.items()


def _subgraph_deployments() -> dict[str, str]:
    """Subgraph name -> the Deployment (and Service) that serves it."""
    served = {}
    for name in SERVICES:
        args = _parsed(_container(name))
        if args.command == "subgraph":
            served[args.service] = name
    return served


def test_the_router_reaches_every_subgraph_of_the_supergraph_at_its_service() -> None:
    env = _environment(_container("router"))
    served = _subgraph_deployments()
    assert set(served) == set(supergraph_urls())
    overrides = {k for k in env if k.startswith("FEDTASKS_SUBGRAPH_URL_")}
    assert overrides == {f"FEDTASKS_SUBGRAPH_URL_{name.upper()}" for name in served}
    for subgraph, service in served.items():
        url = urlsplit(env[f"FEDTASKS_SUBGRAPH_URL_{subgraph.upper()}"])
        port = k8s_object("Service", service)["spec"]["ports"][0]["port"]
        assert (url.scheme, url.hostname, url.port) == ("http", service, port)
        assert url.path == urlsplit(supergraph_urls()[subgraph]).path


def test_migrations_run_in_an_init_container_before_each_subgraph_serves() -> None:
    for subgraph, deployment in _subgraph_deployments().items():
        (init,) = _pod(deployment)["initContainers"]
        args = _parsed(init)
        assert (args.command, args.db_command, args.service) == ("db", "upgrade", subgraph)
        variable = f"{subgraph.upper()}_DATABASE_URL"
        assert _environment(init)[variable] == _environment(_container(deployment))[variable]
        assert _parsed(_container(deployment)).no_migrate


def test_every_deployment_scales_with_an_autoscaler_and_keeps_a_disruption_budget() -> None:
    for name in SERVICES:
        deployment = k8s_object("Deployment", name)
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
        hpa = k8s_object("HorizontalPodAutoscaler", name)["spec"]
        assert hpa["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
        }
        assert 2 <= hpa["minReplicas"] < hpa["maxReplicas"]
        pdb = k8s_object("PodDisruptionBudget", name)["spec"]
        assert pdb["selector"] == deployment["spec"]["selector"]
        assert pdb["minAvailable"] < hpa["minReplicas"], "a node can still be drained"
        pod = _pod(name)
        for container in pod["containers"] + pod.get("initContainers", []):
            resources = container["resources"]
            assert set(resources) == {"requests", "limits"}, name
            assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}


def test_the_subgraphs_database_pools_fit_in_postgres_default_connections() -> None:
    # max_connections is 100 by default, 3 of them reserved for superusers; keep room for
    # the init containers' migrations and an operator's session.
    most = 0
    for deployment in _subgraph_deployments().values():
        env = _environment(_container(deployment))
        per_pod = int(env["DB_POOL_SIZE"]) + int(env["DB_MAX_OVERFLOW"])
        most += per_pod * k8s_object("HorizontalPodAutoscaler", deployment)["spec"]["maxReplicas"]
    assert most <= 90


def test_pods_run_as_the_image_user_without_privileges() -> None:
    user = dockerfile_stages()[-1].last("USER").value
    uid, gid = (int(part) for part in user.split(":"))
    for name in SERVICES:
        pod = _pod(name)
        assert pod["automountServiceAccountToken"] is False
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True
        assert (security["runAsUser"], security["runAsGroup"]) == (uid, gid)
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}
        tmp = next(v for v in pod["volumes"] if v["name"] == "tmp")
        assert tmp == {"name": "tmp", "emptyDir": {}}
        for container in pod["containers"] + pod.get("initContainers", []):
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }
            # A read-only root: /tmp is the one writable place.
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    labels = k8s_object("Namespace", "fedtasks")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_the_shutdown_grace_fits_in_the_termination_grace_period() -> None:
    for name in SERVICES:
        pod = _pod(name)
        container = _container(name)
        grace = float(_environment(container)["FEDTASKS_SHUTDOWN_GRACE_SECONDS"])
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert pod["terminationGracePeriodSeconds"] > pause + grace, name


def test_secrets_come_from_the_secret_and_the_databases_are_external_services() -> None:
    secret = _secret()
    for name in SERVICES:
        pod = _pod(name)
        for container in pod["containers"] + pod.get("initContainers", []):
            for variable in container.get("env", []):
                sensitive = variable["name"].endswith(("_SECRET", "_URL")) and not variable[
                    "name"
                ].startswith("FEDTASKS_SUBGRAPH_URL_")
                if sensitive:
                    reference = variable["valueFrom"]["secretKeyRef"]
                    assert reference["key"] in secret, (name, variable["name"])
    for key, value in secret.items():
        if not key.endswith("-url"):
            assert value == "REPLACE-ME", f"{key}: placeholders only, never a real secret"
            # A placeholder left in place stops the router instead of running with it.
            assert len(value.encode()) < 32
    external = {
        document["metadata"]["name"]: document["spec"]
        for _, document in k8s_documents()
        if document["kind"] == "Service" and document["spec"].get("type") == "ExternalName"
    }
    assert set(external) == {"postgres", "redis"}
    compose_env = compose()["services"]
    for subgraph in ("users", "tasks"):
        url = urlsplit(secret[f"{subgraph}-database-url"])
        expected = urlsplit(
            compose_env[subgraph]["environment"][f"{subgraph.upper()}_DATABASE_URL"]
        )
        assert (url.hostname, url.port) == ("postgres", external["postgres"]["ports"][0]["port"])
        assert (url.username, url.path) == (expected.username, expected.path)
    redis = urlsplit(secret["redis-url"])
    assert (redis.hostname, redis.port) == ("redis", external["redis"]["ports"][0]["port"])
