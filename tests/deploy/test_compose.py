"""Offline checks of docker-compose.yml: structure, pinned images, wiring."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import COMPOSE_PATH, interpolate, settings_env_names
from tests.deploy.queries import DEPLOY_DIR, REPO_ROOT
from workers.settings import Settings

EXPECTED_SERVICES = {"kafka", "kafka-init", "parley", "parley-poll", "prometheus", "grafana"}
LONG_RUNNING = EXPECTED_SERVICES - {"kafka-init"}
_PARLEY_ENV_NAME = re.compile(r"\bPARLEY_[A-Z0-9_]+\b")


def _services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def test_stack_has_every_service(compose: dict[str, Any]) -> None:
    assert set(_services(compose)) == EXPECTED_SERVICES


@pytest.mark.parametrize("service", sorted(EXPECTED_SERVICES - {"parley", "parley-poll"}))
def test_third_party_images_are_pinned_to_a_version_tag(
    compose: dict[str, Any], service: str
) -> None:
    image = _services(compose)[service]["image"]
    repository, _, tag = image.rpartition(":")
    assert repository and "/" in repository, image
    assert re.fullmatch(r"v?\d+\.\d+\.\d+", tag), f"{service}: {image} is not pinned"


def test_kafka_runs_single_node_kraft(compose: dict[str, Any]) -> None:
    kafka = _services(compose)["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = {key: str(value) for key, value in kafka["environment"].items()}
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node_id = env["KAFKA_NODE_ID"]
    controller_listener = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    voter_id, _, voter_address = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].partition("@")
    assert voter_id == node_id
    controller_port = voter_address.rpartition(":")[2]
    assert f"{controller_listener}://:{controller_port}" in env["KAFKA_LISTENERS"]
    for replication in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
    ):
        assert env[replication] == "1", replication
    listener_names = {entry.split("://")[0] for entry in env["KAFKA_LISTENERS"].split(",")}
    protocol_map = dict(
        entry.split(":") for entry in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    )
    assert listener_names == set(protocol_map)
    # The worker reaches the broker through an advertised listener.
    broker = _services(compose)["parley"]["environment"]["PARLEY_BROKER"]
    assert any(
        entry.endswith(f"://{broker}") for entry in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    )


def test_topic_creation_covers_every_topic_with_the_declared_partitions(
    compose: dict[str, Any],
) -> None:
    init = _services(compose)["kafka-init"]
    assert init["depends_on"]["kafka"]["condition"] == "service_healthy"
    script = "\n".join(init["command"])
    assert "kafka-topics.sh" in script and "--create" in script and "--if-not-exists" in script
    assert "--partitions" in script
    created = set(init["environment"]["TOPICS"].split())
    assert created == set(Settings(broker="kafka:9092").all_topics())
    worker_partitions = interpolate(
        _services(compose)["parley"]["environment"]["PARLEY_PARTITIONS"]
    )
    assert interpolate(init["environment"]["PARTITIONS"]) == worker_partitions
    # One knob drives both, so overriding it keeps them equal.
    overridden = {"PARLEY_PARTITIONS": "12"}
    assert interpolate(init["environment"]["PARTITIONS"], overridden) == "12"
    assert (
        interpolate(_services(compose)["parley"]["environment"]["PARLEY_PARTITIONS"], overridden)
        == "12"
    )


def test_worker_is_built_from_the_deploy_dockerfile_and_waits_for_kafka(
    compose: dict[str, Any],
) -> None:
    worker = _services(compose)["parley"]
    build = worker["build"]
    assert (
        REPO_ROOT / build["context"] / build["dockerfile"]
    ).resolve() == DEPLOY_DIR / "Dockerfile"
    assert worker["depends_on"] == {
        "kafka": {"condition": "service_healthy"},
        "kafka-init": {"condition": "service_completed_successfully"},
    }


def test_worker_environment_is_valid_settings(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = _services(compose)["parley"]["environment"]
    for name, value in environment.items():
        monkeypatch.setenv(name, interpolate(value))
    settings = Settings()
    assert settings.broker == "kafka:9092"
    assert not settings.embedded
    port_mappings = _services(compose)["parley"]["ports"]
    assert f"{settings.web_port}:{settings.web_port}" in port_mappings


@pytest.mark.parametrize("service", sorted(LONG_RUNNING))
def test_long_running_services_have_healthchecks(compose: dict[str, Any], service: str) -> None:
    healthcheck = _services(compose)[service]["healthcheck"]
    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck["retries"] >= 1


def test_worker_healthcheck_probes_healthz_on_the_web_port(compose: dict[str, Any]) -> None:
    command = " ".join(_services(compose)["parley"]["healthcheck"]["test"])
    assert f"127.0.0.1:{Settings().web_port}/healthz" in command
    assert "curl" not in command  # python:3.11-slim has no curl


def test_every_depends_on_names_a_service_with_a_valid_condition(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            assert spec["condition"] in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"


def test_bind_mounts_point_at_files_in_the_repository(compose: dict[str, Any]) -> None:
    bind_sources = [
        volume.split(":")[0]
        for service in _services(compose).values()
        for volume in service.get("volumes", [])
        if volume.startswith("./")
    ]
    assert bind_sources, "Prometheus and Grafana configuration must be mounted"
    for source in bind_sources:
        assert (COMPOSE_PATH.parent / source).exists(), source
    named = {
        volume.split(":")[0]
        for service in _services(compose).values()
        for volume in service.get("volumes", [])
        if not volume.startswith(("./", "/"))
    }
    assert named == set(compose["volumes"])


def test_prometheus_scrapes_the_worker_service(compose: dict[str, Any]) -> None:
    config = yaml.safe_load((DEPLOY_DIR / "prometheus" / "prometheus.yml").read_text())
    (parley_job,) = [job for job in config["scrape_configs"] if job["job_name"] == "parley"]
    targets = [t for static in parley_job["static_configs"] for t in static["targets"]]
    assert targets == [f"parley:{Settings().web_port}"]
    assert parley_job.get("metrics_path", "/metrics") == "/metrics"
    mounted = {volume.split(":")[1] for volume in _services(compose)["prometheus"]["volumes"]}
    config_dir = Path("/etc/prometheus")
    for rule_file in config["rule_files"]:
        assert str(config_dir / rule_file) in mounted


def test_poller_runs_the_parley_image_on_a_valid_feeds_file(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.feeds.config import load_feeds

    poller = _services(compose)["parley-poll"]
    assert poller["image"] == _services(compose)["parley"]["image"]
    assert poller["command"][0] == "poll"
    mounts = dict(volume.split(":")[:2] for volume in poller["volumes"])
    feeds_source = next(src for src, dst in mounts.items() if dst == poller["command"][1])
    assert load_feeds(COMPOSE_PATH.parent / feeds_source)
    for name, value in poller["environment"].items():
        monkeypatch.setenv(name, interpolate(value))
    settings = Settings()
    worker_env = _services(compose)["parley"]["environment"]
    # Same cluster, same app id and partitions as the worker: it feeds the worker's raw topic.
    assert settings.broker == worker_env["PARLEY_BROKER"]
    assert settings.app_id == worker_env["PARLEY_APP_ID"]
    assert poller["environment"]["PARLEY_PARTITIONS"] == worker_env["PARLEY_PARTITIONS"]
    assert f"{settings.poll_web_port}:{settings.poll_web_port}" in poller["ports"]
    command = " ".join(poller["healthcheck"]["test"])
    assert f"127.0.0.1:{settings.poll_web_port}/healthz" in command
    config = yaml.safe_load((DEPLOY_DIR / "prometheus" / "prometheus.yml").read_text())
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "parley-poll"]
    targets = [t for static in job["static_configs"] for t in static["targets"]]
    assert targets == [f"parley-poll:{settings.poll_web_port}"]
    assert 'job="parley-poll"' in (DEPLOY_DIR / "prometheus" / "rules.yml").read_text()


def _deploy_text_files() -> list[Path]:
    files = [COMPOSE_PATH, *(path for path in DEPLOY_DIR.rglob("*") if path.is_file())]
    return [path for path in files if path.suffix in {"", ".yml", ".yaml", ".json", ".md"}]


def test_every_parley_env_name_in_deploy_files_is_a_setting() -> None:
    known = settings_env_names()
    used: dict[str, set[str]] = {}
    for path in _deploy_text_files():
        for name in _PARLEY_ENV_NAME.findall(path.read_text()):
            used.setdefault(name, set()).add(str(path.relative_to(REPO_ROOT)))
    assert "PARLEY_BROKER" in used
    unknown = {name: files for name, files in used.items() if name not in known}
    assert not unknown, f"PARLEY_* names that Settings does not read: {unknown}"
