"""The worker sweeps its windowed tables (issue 14, bounded state), on the real broker.

With windows of a few seconds, a worker on the production store (RocksDB)
enriches a handful of articles: the table gauges show their entries, then,
once the windows pass, the sweep deletes every one of them, counts them, and
writes a tombstone for each key to the table's changelog, so a restarted
worker does not read them back either.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import Stack, Worker
from workers.harness import read_topic
from workers.ingest import parse_record
from workers.synthetic import stream

pytestmark = pytest.mark.broker

WINDOW_S = 8
ARTICLES = 6  # articles 0 and 5 are expulsions: the default rules alert on both


def table_metrics(worker: Worker) -> dict[tuple[str, str], float]:
    """(metric name, table) -> value, for the two table metrics."""
    status, body = worker.get("/metrics")
    assert status == 200
    values = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name in ("parley_table_entries", "parley_table_entries_expired_total"):
                values[(sample.name, sample.labels["table"])] = sample.value
    return values


def wait_for(condition: Callable[[], bool], what: str, worker: Worker, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what}: {table_metrics(worker)}\n{worker.log()}")


def test_the_worker_sweeps_expired_state_and_tombstones_it_on_the_changelog(
    stack: Stack,
) -> None:
    worker = stack.start_worker(
        PARLEY_STORE="rocksdb://",
        PARLEY_DEDUP_WINDOW_S=str(WINDOW_S),
        PARLEY_LINK_WINDOW_S=str(WINDOW_S),
        PARLEY_STATE_SWEEP_INTERVAL_S="1",
    )
    values = stream("sweep", ARTICLES, filler=1)
    stack.produce(values)
    enriched = stack.consume(stack.topics.enriched, until=lambda r: len(r) >= ARTICLES)
    alerts = stack.drain(stack.topics.alerts, settle_s=0.5)
    stories = {
        event["story_id"]
        for record in enriched
        for event in record.json()["events"]
        if event["story_id"]
    }
    assert len(alerts) >= 2 and stories, "the articles should link and alert"
    written = {
        "dedup": 2 * ARTICLES,  # an id and a content entry per article
        "event-links": len(stories),
        "alert-suppression": len(alerts),  # one rule per alert here, each its own story
    }

    def entries(table: str) -> float:
        return table_metrics(worker).get(("parley_table_entries", table), -1)

    def expired(table: str) -> float:
        return table_metrics(worker).get(("parley_table_entries_expired_total", table), -1)

    # Inside the window the gauges count every entry...
    wait_for(
        lambda: all(entries(t) == n for t, n in written.items()),
        "table gauges never showed the written entries",
        worker,
        WINDOW_S - 2,
    )
    # ... and once it has passed, the sweep has deleted each of them.
    wait_for(
        lambda: all(entries(t) == 0 and expired(t) == n for t, n in written.items()),
        "the sweep did not delete every expired entry",
        worker,
        WINDOW_S + 20,
    )

    dedup_keys = {f'"id:{a.article_id}"' for v in values for a in parse_record(v)}
    changelog = read_topic(stack.bootstrap, f"{stack.app_id}-dedup-changelog")
    last_value = {(r.key or b"").decode(): r.value for r in changelog}
    assert dedup_keys <= set(last_value)
    assert len(last_value) == written["dedup"]
    assert all(value == b"" for value in last_value.values()), "a key without its tombstone"
