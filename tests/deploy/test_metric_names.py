"""Every metric the dashboard and alert rules query is one parley registers.

The lead's integration test checks the same names against a real scrape of
a running worker (``scrape_metric_names`` in tests/deploy/queries.py).
"""

from __future__ import annotations

from tests.deploy.queries import (
    jobs_queried,
    metric_names_in,
    queried_metric_names,
    registry_metric_names,
    scrape_metric_names,
)
from workers.feeds.metrics import REGISTRY as POLLER_REGISTRY
from workers.metrics import REGISTRY

# Every queried name must be registered; parley_dyad_events_total is bounded
# to the PARLEY_DYAD_WATCHLIST pairs plus "other".
PENDING_METRICS: set[str] = set()


def test_extraction_reduces_histogram_series_and_ignores_label_values() -> None:
    expression = (
        'histogram_quantile(0.99, sum by (le) (rate(parley_x_seconds_bucket{job="parley_y"}[5m])))'
        " / sum(rate(parley_x_seconds_count[5m])) + on() parley_z_total"
    )
    assert metric_names_in(expression) == {"parley_x_seconds", "parley_z_total"}


def test_scrape_names_include_series_of_labelled_and_plain_metrics() -> None:
    exposition = (
        "# HELP parley_a_total A.\n# TYPE parley_a_total counter\n"
        'parley_a_total{topic="t"} 1.0\n'
        "# HELP parley_b_seconds B.\n# TYPE parley_b_seconds histogram\n"
        'parley_b_seconds_bucket{le="+Inf"} 1.0\nparley_b_seconds_count 1.0\n'
        "parley_b_seconds_sum 0.5\n"
    )
    names = scrape_metric_names(exposition)
    assert {"parley_a_total", "parley_b_seconds", "parley_b_seconds_bucket"} <= names
    assert "parley_c_total" not in names


def test_queries_cover_the_core_metrics() -> None:
    queried = queried_metric_names()
    assert {
        "parley_records_consumed_total",
        "parley_consumer_lag_records",
        "parley_dead_letters_total",
        "parley_end_to_end_latency_seconds",
    } <= queried


def test_every_queried_metric_is_registered() -> None:
    missing = queried_metric_names("parley") - registry_metric_names(REGISTRY) - PENDING_METRICS
    assert not missing, f"queried but not in workers.metrics.REGISTRY: {sorted(missing)}"


def test_every_metric_queried_on_the_poller_job_is_a_poller_metric() -> None:
    poller = registry_metric_names(POLLER_REGISTRY)
    missing = queried_metric_names("parley-poll") - poller
    assert not missing, f"queried on job parley-poll but not in workers.feeds.metrics: {missing}"
    assert queried_metric_names("parley-poll") >= {
        "parley_feed_polls_total",
        "parley_feed_staleness_interval_ratio_max",
    }
    # The two registries are exposed on different ports: no name may be in both.
    assert not poller & registry_metric_names(REGISTRY)


def test_every_query_selects_a_known_job() -> None:
    assert jobs_queried() == {"parley", "parley-poll"}


def test_dyad_metric_is_registered() -> None:
    assert "parley_dyad_events_total" in registry_metric_names(REGISTRY)


def test_every_registered_family_is_on_the_dashboard_or_in_a_rule() -> None:
    queried = queried_metric_names()
    unqueried = [
        family.name
        for registry in (REGISTRY, POLLER_REGISTRY)
        for family in registry.collect()
        if not ({family.name, f"{family.name}_total", f"{family.name}_info"} & queried)
    ]
    assert not unqueried, f"registered but neither graphed nor alerted on: {unqueried}"
