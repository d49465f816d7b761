"""Shared loaders for the offline deployment checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.deploy.queries import DEPLOY_DIR, REPO_ROOT
from workers.settings import Settings

COMPOSE_PATH = REPO_ROOT / "docker-compose.yml"
K8S_DIR = DEPLOY_DIR / "k8s"

_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def interpolate(value: object, environment: dict[str, str] | None = None) -> str:
    """Compose-style ``${VAR:-default}`` substitution, against an explicit environment."""
    env = environment or {}

    def substitute(match: re.Match[str]) -> str:
        return env.get(match["name"], match["default"] or "")

    return _INTERPOLATION.sub(substitute, str(value))


def settings_env_names() -> set[str]:
    """Every PARLEY_* variable Settings reads (plus the documented password file)."""
    names = {f"PARLEY_{field.upper()}" for field in Settings.model_fields}
    # Read by Settings' _password_from_file validator, not a field of its own.
    names.add("PARLEY_SASL_PASSWORD_FILE")
    return names


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_PATH.read_text())
    return document


@pytest.fixture(scope="session")
def k8s_resources() -> dict[str, dict[str, Any]]:
    """Resources listed by the kustomization, keyed by kind."""
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    resources: dict[str, dict[str, Any]] = {}
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((K8S_DIR / name).read_text()):
            assert document["kind"] not in resources, f"two {document['kind']} resources"
            resources[document["kind"]] = document
    return resources
