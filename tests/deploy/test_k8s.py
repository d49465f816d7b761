"""Offline validation of deploy/k8s.

Core kinds go through kubernetes-validate's strict schemas; the CRDs
(ServiceMonitor, PrometheusRule, ScaledObject) are not in those schemas, so
their documented fields are checked here.
"""

from __future__ import annotations

import re
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.conftest import K8S_DIR, settings_env_names
from tests.deploy.queries import RULES_PATH
from workers.settings import Settings

# Oldest Kubernetes minor still in upstream support when this was written;
# kubernetes-validate 1.37.0 ships schemas up to 1.37.
KUBERNETES_VERSION = "1.33.0"
CORE_KINDS = {"ConfigMap", "Deployment", "Service"}
CRD_API_VERSIONS = {
    "ServiceMonitor": "monitoring.coreos.com/v1",
    "PrometheusRule": "monitoring.coreos.com/v1",
    "ScaledObject": "keda.sh/v1alpha1",
}
_BINARY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
MB_PER_NLP_PROCESS = 500


def memory_bytes(quantity: str) -> int:
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", quantity)
    assert match, f"unsupported quantity {quantity}"
    return int(match[1]) * _BINARY_UNITS.get(match[2] or "", 1)


def cpu_cores(quantity: str) -> float:
    return int(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def _container(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (container,) = resources["Deployment"]["spec"]["template"]["spec"]["containers"]
    return container


def _config(resources: dict[str, dict[str, Any]]) -> dict[str, str]:
    data: dict[str, str] = resources["ConfigMap"]["data"]
    return data


def test_quantity_helpers() -> None:
    assert memory_bytes("1536Mi") == 1536 * 2**20
    assert memory_bytes("2Gi") == 2 * 2**30
    assert cpu_cores("500m") == 0.5
    assert cpu_cores("2") == 2.0


def test_kustomization_lists_every_manifest(k8s_resources: dict[str, dict[str, Any]]) -> None:
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    manifests = {p.name for p in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests
    assert set(k8s_resources) == CORE_KINDS | set(CRD_API_VERSIONS)


@pytest.mark.parametrize("kind", sorted(CORE_KINDS))
def test_core_resources_match_the_kubernetes_schema(
    k8s_resources: dict[str, dict[str, Any]], kind: str
) -> None:
    version = kubernetes_validate.validate(k8s_resources[kind], KUBERNETES_VERSION, strict=True)
    assert version == "1.33"


def test_the_schema_check_rejects_an_unknown_field(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    broken = yaml.safe_load(yaml.safe_dump(k8s_resources["Deployment"]))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(("kind", "api_version"), sorted(CRD_API_VERSIONS.items()))
def test_custom_resources_use_the_documented_api(
    k8s_resources: dict[str, dict[str, Any]], kind: str, api_version: str
) -> None:
    resource = k8s_resources[kind]
    assert resource["apiVersion"] == api_version
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", resource["metadata"]["name"])
    assert isinstance(resource["spec"], dict)


def test_configmap_is_valid_settings(
    k8s_resources: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(k8s_resources)
    assert set(config) <= settings_env_names()
    for name, value in config.items():
        assert isinstance(value, str), f"{name}: ConfigMap values must be strings"
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert not settings.embedded


def test_deployment_wiring(k8s_resources: dict[str, dict[str, Any]]) -> None:
    deployment = k8s_resources["Deployment"]
    pod = deployment["spec"]["template"]
    assert (
        deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    )
    container = _container(k8s_resources)
    assert container["envFrom"] == [
        {"configMapRef": {"name": k8s_resources["ConfigMap"]["metadata"]["name"]}}
    ]
    (web_port,) = container["ports"]
    assert web_port["containerPort"] == int(_config(k8s_resources)["PARLEY_WEB_PORT"])
    service = k8s_resources["Service"]
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] == [web_port["name"]]


def test_probes_use_health_endpoints_on_the_web_port(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    container = _container(k8s_resources)
    port_name = container["ports"][0]["name"]
    expected = {
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
        "startupProbe": "/healthz",
    }
    for probe, path in expected.items():
        assert container[probe]["httpGet"] == {"path": path, "port": port_name}, probe


def test_resources_fit_one_spacy_process_per_core(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    processes = int(_config(k8s_resources)["PARLEY_PROCESSES"])
    resources = _container(k8s_resources)["resources"]
    assert cpu_cores(resources["requests"]["cpu"]) == processes
    assert cpu_cores(resources["limits"]["cpu"]) >= processes
    requested = memory_bytes(resources["requests"]["memory"])
    assert requested >= processes * MB_PER_NLP_PROCESS * 2**20
    assert memory_bytes(resources["limits"]["memory"]) >= requested


def test_graceful_shutdown(k8s_resources: dict[str, dict[str, Any]]) -> None:
    pod_spec = k8s_resources["Deployment"]["spec"]["template"]["spec"]
    pre_stop = _container(k8s_resources)["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    assert pod_spec["terminationGracePeriodSeconds"] >= int(pre_stop[1]) + 30


def test_runs_non_root_with_a_read_only_root_filesystem(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    pod_spec = k8s_resources["Deployment"]["spec"]["template"]["spec"]
    assert pod_spec["securityContext"]["runAsNonRoot"] is True
    assert pod_spec["securityContext"]["runAsUser"] >= 1000
    container = _container(k8s_resources)
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    volumes = {volume["name"]: volume for volume in pod_spec["volumes"]}
    writable = {
        mount["mountPath"]
        for mount in container["volumeMounts"]
        if "emptyDir" in volumes[mount["name"]]
    }
    assert {"/tmp", _config(k8s_resources)["PARLEY_DATA_DIR"]} <= writable


def test_sasl_password_comes_from_an_optional_secret_file(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    pod_spec = k8s_resources["Deployment"]["spec"]["template"]["spec"]
    secret_volumes = [v for v in pod_spec["volumes"] if "secret" in v]
    (volume,) = secret_volumes
    assert volume["secret"]["optional"] is True
    (mount,) = [m for m in _container(k8s_resources)["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    # The ConfigMap's instructions name a file inside that mount.
    documented = re.search(
        r"PARLEY_SASL_PASSWORD_FILE=(\S+)", (K8S_DIR / "configmap.yaml").read_text()
    )
    assert documented and documented[1].startswith(mount["mountPath"] + "/")
    assert "PARLEY_SASL_PASSWORD" not in _config(k8s_resources)


def test_service_monitor_scrapes_the_service_metrics_port(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    monitor = k8s_resources["ServiceMonitor"]["spec"]
    service = k8s_resources["Service"]
    assert monitor["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    service_ports = {port["name"] for port in service["spec"]["ports"]}
    assert monitor["endpoints"], "a ServiceMonitor needs at least one endpoint"
    for endpoint in monitor["endpoints"]:
        assert endpoint["port"] in service_ports
        assert endpoint["path"] == "/metrics"
        assert re.fullmatch(r"\d+[smh]", endpoint["interval"])
    # The scrape job is named after the Service: the rules select job="parley".
    assert service["metadata"]["name"] == "parley"
    assert 'job="parley"' in RULES_PATH.read_text()


def test_prometheus_rule_carries_the_same_groups_as_rules_yml(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    groups = yaml.safe_load(RULES_PATH.read_text())["groups"]
    assert k8s_resources["PrometheusRule"]["spec"]["groups"] == groups


def test_scaled_object_scales_the_deployment_on_group_lag_up_to_the_partition_count(
    k8s_resources: dict[str, dict[str, Any]],
) -> None:
    spec = k8s_resources["ScaledObject"]["spec"]
    config = _config(k8s_resources)
    assert spec["scaleTargetRef"]["name"] == k8s_resources["Deployment"]["metadata"]["name"]
    assert spec["scaleTargetRef"].get("kind", "Deployment") == "Deployment"
    assert spec["maxReplicaCount"] == int(config["PARLEY_PARTITIONS"])
    assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "kafka"
    metadata = trigger["metadata"]
    # KEDA trigger metadata is a map of strings.
    assert all(isinstance(value, str) for value in metadata.values())
    assert metadata["consumerGroup"] == config["PARLEY_APP_ID"]
    assert metadata["topic"] in Settings().raw_topics
    assert metadata["bootstrapServers"] == config["PARLEY_BROKER"]
    assert int(metadata["lagThreshold"]) > 0
    assert metadata["offsetResetPolicy"] in {"earliest", "latest"}
