"""Offline checks of the Grafana provisioning and the parley dashboard."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.deploy.queries import DASHBOARD_PATH, DEPLOY_DIR, metric_names_in

PROVISIONING = DEPLOY_DIR / "grafana" / "provisioning"
GRID_WIDTH = 24


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DASHBOARD_PATH.read_text())
    return document


def _query_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [panel for panel in dashboard["panels"] if panel["type"] != "row"]


def _expressions(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for p in _query_panels(dashboard) for t in p["targets"]]


def _datasource() -> dict[str, Any]:
    document = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    (datasource,) = document["datasources"]
    source: dict[str, Any] = datasource
    return source


def test_datasource_points_at_the_compose_prometheus() -> None:
    datasource = _datasource()
    assert datasource["type"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090"
    assert datasource["uid"]


def test_dashboard_provider_reads_the_mounted_dashboards(compose: dict[str, Any]) -> None:
    document = yaml.safe_load((PROVISIONING / "dashboards" / "parley.yml").read_text())
    (provider,) = document["providers"]
    assert provider["type"] == "file"
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["grafana"]["volumes"])
    assert mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert (
        mounts["./deploy/grafana/provisioning/dashboards"] == "/etc/grafana/provisioning/dashboards"
    )


def test_dashboard_identity(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] and dashboard["title"]
    assert isinstance(dashboard["schemaVersion"], int)
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_every_panel_queries_the_provisioned_datasource(dashboard: dict[str, Any]) -> None:
    uid = _datasource()["uid"]
    for panel in _query_panels(dashboard):
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == uid, panel["title"]
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == uid
            assert metric_names_in(target["expr"]) or "up{" in target["expr"], target["expr"]


def test_panels_fit_the_grid_without_overlapping(dashboard: dict[str, Any]) -> None:
    occupied: set[tuple[int, int]] = set()
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= GRID_WIDTH, panel["title"]
        cells = {
            (grid["x"] + dx, grid["y"] + dy) for dx in range(grid["w"]) for dy in range(grid["h"])
        }
        assert not cells & occupied, f"{panel['title']} overlaps another panel"
        occupied |= cells


@pytest.mark.parametrize(
    ("metric", "grouping"),
    [
        ("parley_records_consumed_total", "by (topic)"),
        ("parley_records_produced_total", "by (topic)"),
        ("parley_consumer_lag_records", "by (topic)"),
        ("parley_consumer_lag_records", "by (topic, partition)"),
        ("parley_dead_letters_total", "by (stage)"),
        ("parley_failures_total", "by (stage, reason)"),
        ("parley_events_total", "by (plover_type)"),
        ("parley_events_total", "by (quad_class)"),
        ("parley_alerts_total", "by (rule, severity)"),
        ("parley_stage_duration_seconds_bucket", "by (stage, le)"),
        ("parley_dyad_events_total", "by (dyad)"),
    ],
)
def test_required_breakdowns_are_on_the_dashboard(
    dashboard: dict[str, Any], metric: str, grouping: str
) -> None:
    assert any(metric in e and grouping in e for e in _expressions(dashboard))


@pytest.mark.parametrize("quantile", ["0.5", "0.95", "0.99"])
def test_end_to_end_latency_quantiles(dashboard: dict[str, Any], quantile: str) -> None:
    assert any(
        e.startswith(f"histogram_quantile({quantile},")
        and "parley_end_to_end_latency_seconds_bucket" in e
        for e in _expressions(dashboard)
    )


def test_top_dyads_is_a_bounded_ranking(dashboard: dict[str, Any]) -> None:
    (panel,) = [p for p in _query_panels(dashboard) if "dyad" in p["title"].lower()]
    (target,) = panel["targets"]
    assert target["expr"].startswith("topk(")
    assert target.get("instant") is True


def test_rate_windows_follow_the_scrape_interval(dashboard: dict[str, Any]) -> None:
    # Hard-coded windows shorter than two scrapes draw empty graphs; Grafana's
    # $__rate_interval adapts to the datasource's timeInterval.
    for expression in _expressions(dashboard):
        if "rate(" in expression:
            assert "[$__rate_interval]" in expression, expression
