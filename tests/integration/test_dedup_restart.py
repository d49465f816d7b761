"""Deduplication survives a worker restart (issue 3), on the real broker.

The dedup memory lives in parley's state store, shared through the state
journal (workers/journal.py), so a new worker process knows what was seen
only if it reads the journal back (memory://: all of it; rocksdb://: what
came after the offset stored with its files). A first worker enriches three
articles and is stopped with SIGTERM; a second worker with the same app id
then receives repeats (same URL), a syndicated copy (same text, another URL)
and one edited article (same URL, new body). Only the edit may come out, as
version 2 marked as an update, and the second worker's /metrics must count
the repeats by kind.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import Record, Stack, Worker

pytestmark = pytest.mark.broker

ARTICLES = [
    {
        "title": "Norway hosts Colombian peace talks in Oslo",
        "body": "Norway hosted a new round of talks between the Colombian government and "
        "a rebel group in Oslo on Monday. The Norwegian foreign minister said both sides "
        "had agreed on an agenda.",
        "published_at": "2024-05-06T08:00:00Z",
        "source": "desk.example",
        "url": "https://desk.example/2024/05/oslo-talks",
    },
    {
        "title": "Kenya and Ethiopia sign a border trade accord",
        "body": "Kenya and Ethiopia signed an agreement on cross-border trade in Nairobi on "
        "Thursday, the Kenyan foreign ministry said.",
        "published_at": "2024-05-09T12:30:00Z",
        "source": "desk.example",
        "url": "https://desk.example/2024/05/kenya-ethiopia-accord",
    },
    {
        "title": "Chile recalls its ambassador to Venezuela",
        "body": "Chile recalled its ambassador to Venezuela for consultations on Friday "
        "after a dispute over the arrest of a Chilean citizen in Caracas.",
        "published_at": "2024-05-10T15:45:00Z",
        "source": "desk.example",
        "url": "https://desk.example/2024/05/chile-recalls-ambassador",
    },
]
# (b) The first article as another outlet republishes it: same title and text.
SYNDICATED = {
    **ARTICLES[0],
    "source": "partner.example",
    "url": "https://partner.example/world/norway-colombia-talks",
}
# (c) The third article edited after publication, under the same URL.
EDITED = {
    **ARTICLES[2],
    "body": "Chile recalled its ambassador to Venezuela for consultations on Friday after a "
    "dispute over the arrest of a Chilean citizen in Caracas. Venezuela rejected the "
    "protest on Saturday.",
    "published_at": "2024-05-11T09:00:00Z",
}
JSON_HEADERS = [("content-type", b"application/json")]


def _produce(stack: Stack, articles: list[dict[str, str]]) -> None:
    # Keyed by URL: a repeat and an edit of one URL share a partition, so the
    # worker sees them in the order they were sent.
    stack.produce(
        [json.dumps(a).encode() for a in articles],
        headers=JSON_HEADERS,
        keys=[a["url"].encode() for a in articles],
    )


def _metric_samples(worker: Worker) -> dict[str, list[tuple[dict[str, str], float]]]:
    status, body = worker.get("/metrics")
    assert status == 200
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def _total(worker: Worker, name: str, **labels: str) -> float:
    return sum(
        value
        for sample_labels, value in _metric_samples(worker).get(name, [])
        if all(sample_labels.get(k) == v for k, v in labels.items())
    )


def _wait_until(condition: Callable[[], bool], what: str, worker: Worker) -> None:
    deadline = time.monotonic() + 90.0
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} never happened:\n{worker.log()}")


def _articles(records: list[Record]) -> list[dict[str, Any]]:
    return [record.json()["article"] for record in records]


# rocksdb:// (the production store) reopens its files in PARLEY_DATA_DIR and reads
# only the journal past the offset it had stored. memory:// rebuilds the state from
# the journal at every start; that path is exercised by every restart in
# test_reliability.py and test_state_sweep.py (the default store), so it is not run
# here again: the suite's time is kept under the CI budget.
@pytest.mark.parametrize("store", ["rocksdb://"])
def test_dedup_holds_across_a_worker_restart(stack: Stack, store: str) -> None:
    stack.extra_env["PARLEY_STORE"] = store
    first = stack.start_worker()
    _produce(stack, ARTICLES)
    before = stack.consume(stack.topics.enriched, until=lambda r: len(r) >= len(ARTICLES))
    assert sorted(a["title"] for a in _articles(before)) == sorted(a["title"] for a in ARTICLES)
    assert all(a["version"] == 1 and a["is_update"] is False for a in _articles(before))

    assert first.stop(signal.SIGTERM, timeout_s=60) == 0, first.log()
    if store.startswith("rocksdb"):
        database = stack.tmp / "data" / f"{stack.app_id}-state"
        assert (database / "CURRENT").is_file(), f"no RocksDB state store at {database}"

    second = stack.start_worker()  # same app id: recovers the dedup table
    again = [*ARTICLES, SYNDICATED, EDITED]
    _produce(stack, again)
    raw = stack.topics.raw
    # Every record of the second round is through the worker (a record the
    # first worker had not committed would be read again and counted here too).
    _wait_until(
        lambda: _total(second, "parley_records_consumed_total", topic=raw) >= len(again),
        "the second worker consuming the second round",
        second,
    )
    stack.consume(stack.topics.enriched, until=lambda r: len(r) > len(before))
    enriched = stack.drain(stack.topics.enriched)

    seen_before = {(r.partition, r.offset) for r in before}
    new = [r for r in enriched if (r.partition, r.offset) not in seen_before]
    assert len(enriched) - len(new) == len(before)
    assert len(new) == 1, f"expected only the edit, got {[a['url'] for a in _articles(new)]}"
    (update,) = _articles(new)
    assert update["url"] == EDITED["url"]
    assert update["body"] == EDITED["body"]
    assert update["version"] == 2 and update["is_update"] is True
    first_copy = next(a for a in _articles(before) if a["url"] == EDITED["url"])
    assert update["article_id"] == first_copy["article_id"]

    assert _total(second, "parley_records_consumed_total", topic=raw) == len(again)
    assert _total(second, "parley_duplicates_dropped_total", kind="same_id") == len(ARTICLES)
    assert _total(second, "parley_duplicates_dropped_total", kind="same_content") == 1
    assert _total(second, "parley_duplicates_dropped_total") == len(ARTICLES) + 1
    assert _total(second, "parley_articles_enriched_total") == 1
