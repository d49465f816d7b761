"""The worker sweeps its windowed tables (issue 14, bounded state), on the real broker.

With windows of a few seconds, a worker on the production store (RocksDB)
enriches a handful of articles: the table gauges show their entries, then,
once the windows pass, the sweep deletes every one of them and counts them.
The sweep writes nothing to the state journal (expiry is a function of
time): a worker restarted afterwards on memory:// reads the whole journal
back and must still not bring the expired entries back. Its gauges, after
one new article, count that article's entries only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import Stack, Worker
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


def test_the_worker_sweeps_expired_state_and_a_restart_does_not_bring_it_back(
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

    assert worker.stop(timeout_s=60) == 0, worker.log()
    restarted = stack.start_worker(
        PARLEY_STORE="memory://",
        PARLEY_DEDUP_WINDOW_S=str(WINDOW_S),
        PARLEY_LINK_WINDOW_S=str(WINDOW_S),
        PARLEY_STATE_SWEEP_INTERVAL_S="1",
    )
    assert "state journal read:" in restarted.log()
    stack.produce(stream("after-sweep", 1, filler=1))
    later = stack.consume(stack.topics.enriched, until=lambda r: len(r) > ARTICLES)
    new_stories = {
        event["story_id"]
        for record in later[ARTICLES:]
        for event in record.json()["events"]
        if event["story_id"]
    }
    assert new_stories, "the new article should link"

    def only_the_new_article() -> bool:
        return entries("dedup") == 2 and entries("event-links") == len(new_stories)

    worker = restarted  # entries() and wait_for() read this worker now
    wait_for(only_the_new_article, "the gauges never showed the new article", restarted, 6)
    # Entries read back from the journal past their window would have been swept (and
    # counted) by now: none were, so none came back.
    assert all(expired(t) == 0 for t in written), table_metrics(restarted)
