"""Dependencies run one way: the core knows nothing of Kafka, the app nothing of its agents.

Each check imports modules in a fresh interpreter and reads its
``sys.modules``: in this test process pytest, conftest files and other tests
have imported Faust long before, which would hide a stray import.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

CORE = ["workers.ingest", "workers.nlp", "workers.coding", "workers.publish", "workers.core"]
WATCHED = ["faust", "aiokafka", "workers.app", "workers.agents", "workers.cli", "workers.worker"]


def loaded_after_importing(modules: list[str]) -> set[str]:
    """Which of ``WATCHED`` a fresh interpreter has loaded after importing ``modules``."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps([m for m in {WATCHED!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, cwd=REPO_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return set(json.loads(result.stdout.decode().strip().splitlines()[-1]))


def test_the_enrichment_core_loads_neither_faust_nor_aiokafka() -> None:
    loaded = loaded_after_importing(CORE)
    assert not loaded & {"faust", "aiokafka"}, loaded
    assert not loaded, f"the core pulled in stream-layer modules: {sorted(loaded)}"


def test_the_app_does_not_import_its_agents() -> None:
    loaded = loaded_after_importing(["workers.app"])
    assert "faust" in loaded  # the check sees imports at all
    assert "workers.agents" not in loaded


@pytest.mark.parametrize("module", ["workers.tail", "workers.producer", "workers.kafka"])
def test_plain_kafka_tools_do_not_load_the_faust_app(module: str) -> None:
    loaded = loaded_after_importing([module])
    assert not loaded & {"faust", "workers.app", "workers.agents", "workers.cli"}, loaded


@pytest.mark.parametrize("module", ["workers.demo", "workers.bench"])
def test_demo_and_bench_do_not_import_the_cli_back(module: str) -> None:
    loaded = loaded_after_importing([module])
    assert not loaded & {"workers.cli", "faust", "workers.app"}, loaded
