"""Offline validation of deploy/k8s/poller (parley poll beside the worker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.conftest import K8S_DIR
from tests.deploy.queries import RULES_PATH
from workers.feeds.config import parse_feeds
from workers.settings import Settings

POLLER_DIR = K8S_DIR / "poller"
KUBERNETES_VERSION = "1.33.0"


@pytest.fixture(scope="module")
def resources() -> dict[str, dict[str, Any]]:
    kustomization = yaml.safe_load((POLLER_DIR / "kustomization.yaml").read_text())
    found: dict[str, dict[str, Any]] = {}
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((POLLER_DIR / name).read_text()):
            assert document["kind"] not in found, f"two {document['kind']} resources"
            found[document["kind"]] = document
    return found


def _container(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (container,) = resources["Deployment"]["spec"]["template"]["spec"]["containers"]
    return container


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((POLLER_DIR / "kustomization.yaml").read_text())
    manifests = {p.name for p in POLLER_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests


@pytest.mark.parametrize("kind", ["ConfigMap", "Deployment", "Service"])
def test_core_resources_match_the_kubernetes_schema(
    resources: dict[str, dict[str, Any]], kind: str
) -> None:
    kubernetes_validate.validate(resources[kind], KUBERNETES_VERSION, strict=True)


def test_feeds_configmap_is_a_valid_feeds_file(resources: dict[str, dict[str, Any]]) -> None:
    text = resources["ConfigMap"]["data"]["feeds.yaml"]
    assert parse_feeds(text, Path("feeds.yaml"))


def test_deployment_runs_poll_on_the_mounted_feeds_with_the_worker_settings(
    resources: dict[str, dict[str, Any]],
) -> None:
    container = _container(resources)
    pod = resources["Deployment"]["spec"]["template"]["spec"]
    assert container["args"][0] == "poll"
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    feeds_volume = next(n for n, v in volumes.items() if "configMap" in v)
    assert volumes[feeds_volume]["configMap"]["name"] == resources["ConfigMap"]["metadata"]["name"]
    assert container["args"][1] == f"{mounts[feeds_volume]}/feeds.yaml"
    worker_config = yaml.safe_load((K8S_DIR / "configmap.yaml").read_text())
    (source,) = container["envFrom"]
    assert source["configMapRef"]["name"] == worker_config["metadata"]["name"]
    env = {item["name"]: item["value"] for item in container["env"]}
    port = int(env["PARLEY_POLL_WEB_PORT"])
    assert port == Settings(poll_web_port=port).poll_web_port
    assert container["ports"] == [{"name": "web", "containerPort": port, "protocol": "TCP"}]
    for probe, path in (
        ("livenessProbe", "/healthz"),
        ("readinessProbe", "/readyz"),
        ("startupProbe", "/healthz"),
    ):
        assert container[probe]["httpGet"] == {"path": path, "port": "web"}
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True
    # At most one poller per partition does work.
    assert resources["Deployment"]["spec"]["replicas"] <= int(
        worker_config["data"]["PARLEY_PARTITIONS"]
    )


def test_poller_pods_stay_out_of_the_worker_service() -> None:
    worker_service = yaml.safe_load((K8S_DIR / "service.yaml").read_text())
    poller = yaml.safe_load((POLLER_DIR / "deployment.yaml").read_text())
    labels = poller["spec"]["template"]["metadata"]["labels"]
    assert not worker_service["spec"]["selector"].items() <= labels.items()


def test_service_monitor_names_the_job_the_rules_select(
    resources: dict[str, dict[str, Any]],
) -> None:
    service = resources["Service"]
    monitor = resources["ServiceMonitor"]["spec"]
    assert monitor["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert service["spec"]["selector"].items() <= (
        resources["Deployment"]["spec"]["template"]["metadata"]["labels"].items()
    )
    ports = {port["name"] for port in service["spec"]["ports"]}
    assert {endpoint["port"] for endpoint in monitor["endpoints"]} <= ports
    assert service["metadata"]["name"] == "parley-poll"
    assert 'job="parley-poll"' in RULES_PATH.read_text()
