"""promtool checks of the Prometheus config, alert rules and their unit tests.

promtool comes from Debian's `prometheus` package. Locally the checks skip
when it is missing; under CI (env CI set) a missing promtool fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.queries import DEPLOY_DIR, RULES_PATH, dashboard_expressions

PROMETHEUS_DIR = DEPLOY_DIR / "prometheus"
RULES_TEST_PATH = PROMETHEUS_DIR / "rules_test.yml"
README_PATH = DEPLOY_DIR / "README.md"
SEVERITIES = {"critical", "warning"}


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is required in CI: apt-get install -y prometheus")
        pytest.skip("promtool not installed (apt-get install -y prometheus)")
    return path


def _run(*command: str, cwd: Path = PROMETHEUS_DIR) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_config_is_valid(promtool: str) -> None:
    result = _run(promtool, "check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_are_valid(promtool: str) -> None:
    result = _run(promtool, "check", "rules", "rules.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_pass(promtool: str) -> None:
    result = _run(promtool, "test", "rules", "rules_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_catch_a_broken_threshold(promtool: str, tmp_path: Path) -> None:
    # The same unit tests against rules whose dead-letter threshold can never
    # be reached must fail: the test file really exercises the rules.
    broken = RULES_PATH.read_text().replace("> 0.05", "> 5")
    assert broken != RULES_PATH.read_text()
    (tmp_path / "rules.yml").write_text(broken)
    shutil.copy(RULES_TEST_PATH, tmp_path / "rules_test.yml")
    result = _run(promtool, "test", "rules", "rules_test.yml", cwd=tmp_path)
    assert result.returncode != 0
    assert "ParleyDeadLetterRateHigh" in result.stdout + result.stderr


def test_dashboard_queries_are_valid_promql(promtool: str, tmp_path: Path) -> None:
    # promtool parses recording-rule expressions: wrap each dashboard query in
    # one, with Grafana's macros replaced by plain values.
    macros = {"$__rate_interval": "5m", "$__range": "1h", "$instance": ".*"}
    rules = []
    for index, expression in enumerate(dashboard_expressions()):
        if expression.startswith("label_values("):
            expression = re.sub(r"^label_values\((.*), *\w+\)$", r"\1", expression)
        for macro, value in macros.items():
            expression = expression.replace(macro, value)
        rules.append({"record": f"dashboard:query_{index}", "expr": expression})
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = _run(promtool, "check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def _alerts() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES_PATH.read_text())
    return [rule for group in document["groups"] for rule in group["rules"] if "alert" in rule]


def _github_anchor(heading: str) -> str:
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def test_alerts_cover_the_required_conditions() -> None:
    expressions = {rule["alert"]: rule["expr"] for rule in _alerts()}
    assert any("deriv(parley_consumer_lag_records" in e for e in expressions.values())
    assert any(
        "rate(parley_records_consumed_total" in e and "parley_consumer_lag_records" in e
        for e in expressions.values()
    )
    assert any("parley_dead_letters_total" in e for e in expressions.values())
    assert any(
        "histogram_quantile(0.99" in e and "parley_end_to_end_latency_seconds_bucket" in e
        for e in expressions.values()
    )
    assert any(e.strip().startswith("up{") for e in expressions.values())
    assert any(e.strip().startswith("absent(up{") for e in expressions.values())


def test_every_alert_has_severity_annotations_and_a_runbook_in_the_readme() -> None:
    anchors = {
        _github_anchor(line.lstrip("#"))
        for line in README_PATH.read_text().splitlines()
        if line.startswith("#")
    }
    for rule in _alerts():
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        annotations = rule["annotations"]
        assert annotations["summary"] and annotations["description"], rule["alert"]
        anchor = annotations["runbook_url"].rpartition("#")[2]
        assert anchor == rule["alert"].lower()
        assert anchor in anchors, f"deploy/README.md has no section for {rule['alert']}"


def test_every_alert_is_unit_tested_firing_and_silent() -> None:
    document = yaml.safe_load(RULES_TEST_PATH.read_text())
    fired: set[str] = set()
    silent: set[str] = set()
    for test in document["tests"]:
        for case in test.get("alert_rule_test", []):
            (fired if case["exp_alerts"] else silent).add(case["alertname"])
    alert_names = {rule["alert"] for rule in _alerts()}
    assert fired == alert_names
    assert silent == alert_names
