"""Reliability on the real broker: crashes, restarts, poison pills, outages, rebalances.

parley promises at-least-once delivery with deterministic ids: whatever
happens to a worker, every raw article ends up enriched, and a record that
comes out twice carries the same CloudEvents id both times (consumers dedupe
on ``ce_source`` + ``ce_id``). Each test here breaks something for real (a
``kill -9``, a SIGTERM, a stopped broker, a second consumer) and then counts.

Tests that stop or kill a broker run their own Tansu instance, never the
session one.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, TopicPartition

from tests.integration.conftest import PARTITIONS, Record, Stack, Topics, Worker
from workers.broker import EmbeddedBroker, free_port
from workers.ingest import parse_record
from workers.synthetic import stream

pytestmark = pytest.mark.broker

# Small batches so a stream of a few hundred short articles spans many
# commits, and a kill lands in the middle of it.
WORKER_ENV = {"PARLEY_BATCH_SIZE": "4", "PARLEY_BATCH_TIMEOUT_S": "0.05"}


def article_ids(values: list[bytes]) -> set[str]:
    return {a.article_id for value in values for a in parse_record(value)}


def ids_of(records: list[Record]) -> Counter[str]:
    """ce_id -> how many times it was published."""
    return Counter(r.header("ce_id") or "" for r in records)


def has_all(expected: set[str]) -> Callable[[list[Record]], bool]:
    def check(records: list[Record]) -> bool:
        return expected <= {r.header("ce_id") for r in records}

    return check


def at_least(count: int) -> Callable[[list[Record]], bool]:
    return lambda records: len(records) >= count


def committed_offsets(stack: Stack) -> dict[int, int]:
    """The worker group's committed offset per raw partition (-1001: none yet)."""
    consumer = Consumer({"bootstrap.servers": stack.bootstrap, "group.id": stack.app_id})
    try:
        parts = consumer.committed(
            [TopicPartition(stack.topics.raw, p) for p in range(PARTITIONS)], timeout=10
        )
        return {tp.partition: tp.offset for tp in parts}
    finally:
        consumer.close()


def raw_positions(stack: Stack) -> dict[str, tuple[int, int]]:
    """article id -> (partition, offset) of the raw record it came from."""
    positions = {}
    for record in stack.drain(stack.topics.raw, settle_s=1.5):
        for parsed in parse_record(record.value):
            positions[parsed.article_id] = (record.partition, record.offset)
    return positions


def payload_without_times(record: Record) -> dict[str, Any]:
    """An enriched payload minus the wall-clock stamps that say when, not what."""
    data = record.json()
    data.pop("enriched_at", None)
    data["article"].pop("ingested_at", None)
    return data


def assert_duplicates_identical(enriched: list[Record], events: list[Record]) -> None:
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in enriched:
        by_id[record.header("ce_id") or ""].append(record)
    for ce_id, copies in by_id.items():
        payloads = [payload_without_times(r) for r in copies]
        assert all(p["article"]["article_id"] == ce_id for p in payloads)
        assert all(p == payloads[0] for p in payloads), f"copies of {ce_id} differ"
    events_by_id: dict[str, list[Record]] = defaultdict(list)
    for record in events:
        events_by_id[record.header("ce_id") or ""].append(record)
    for ce_id, copies in events_by_id.items():
        assert all(r.json()["event_id"] == ce_id for r in copies)
        assert all(r.value == copies[0].value for r in copies), f"copies of event {ce_id} differ"


def metric_sum(worker: Worker, name: str) -> float | None:
    status, body = worker.get("/metrics")
    if status != 200:
        return None
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in body.decode().splitlines()
        if line.startswith(name + "{") or line.startswith(name + " ")
    ]
    return sum(values) if values else None


def diagnose(stack: Stack, worker: Worker, expected: set[str]) -> str:
    """Which articles are missing, and what the worker's counters say about them."""
    missing = expected - set(ids_of(stack.drain(stack.topics.enriched, settle_s=1)))
    positions = raw_positions(stack)
    _status, body = worker.get("/metrics")
    counters = [
        line
        for line in body.decode().splitlines()
        if line.startswith(
            (
                "parley_records_consumed",
                "parley_duplicates",
                "parley_articles_enriched",
                "parley_failures",
                "parley_consumer_lag",
            )
        )
    ]
    return (
        f"{len(missing)} missing, raw positions "
        f"{sorted(positions[m] for m in missing)[:40]}; committed "
        f"{committed_offsets(stack)}\n" + "\n".join(counters)
    )


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


@pytest.fixture
def private_stack(tmp_path: Path) -> Iterator[tuple[Stack, EmbeddedBroker]]:
    """A stack on its own broker, for tests that stop, pause or kill the broker."""
    broker = EmbeddedBroker(log_path=tmp_path / "tansu-private.log").start()
    prefix = f"p{uuid.uuid4().hex[:8]}"
    stack = Stack(
        bootstrap=broker.bootstrap,
        topics=Topics(prefix),
        tmp=tmp_path,
        app_id=f"parley-{prefix}",
        extra_env=dict(WORKER_ENV),
    )
    stack.create_topics()
    try:
        yield stack, broker
    finally:
        for worker in stack.workers:
            worker.stop(signal.SIGKILL, timeout_s=10)
        if broker.pid is not None:
            try:
                os.kill(broker.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        broker.stop()


# ---------------------------------------------------------------- 1. kill -9
def test_kill_9_mid_stream_loses_nothing_and_duplicates_keep_their_ids(stack: Stack) -> None:
    stack.extra_env.update(WORKER_ENV)
    values = stream("kill", 240, filler=4)
    expected = article_ids(values)
    worker = stack.start_worker()
    stack.produce(values)
    before = stack.consume(stack.topics.enriched, until=at_least(60))
    worker.stop(signal.SIGKILL)
    assert worker.process.returncode == -signal.SIGKILL
    committed = committed_offsets(stack)
    done_at_kill = {r.header("ce_id") for r in stack.drain(stack.topics.enriched, settle_s=1)}
    assert len(done_at_kill) < len(expected), "the kill came after the stream was done"

    restarted = stack.start_worker()
    try:
        stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=120)
    except AssertionError as exc:
        raise AssertionError(diagnose(stack, restarted, expected)) from exc
    enriched = stack.drain(stack.topics.enriched)
    events = stack.drain(stack.topics.events)

    counts = ids_of(enriched)
    assert set(counts) == expected, "missing or unexpected enriched articles"
    assert len(before) >= 60
    # A record published twice was re-read after the restart: its raw offset
    # was at or past the offset the group had committed when the worker died.
    positions = raw_positions(stack)
    for article_id, count in counts.items():
        if count > 1:
            partition, offset = positions[article_id]
            assert offset >= committed[partition], (
                f"{article_id} at {partition}@{offset} duplicated below the commit {committed}"
            )
    assert_duplicates_identical(enriched, events)
    assert stack.drain(stack.topics.dlq, settle_s=0.5) == []


# ---------------------------------------------------------------- 2. SIGTERM
def test_sigterm_commits_what_was_published_and_restart_has_no_duplicates(stack: Stack) -> None:
    stack.extra_env.update(WORKER_ENV)
    values = stream("term", 240, filler=4)
    expected = article_ids(values)
    worker = stack.start_worker()
    stack.produce(values)
    stack.consume(stack.topics.enriched, until=at_least(60))
    assert worker.stop(signal.SIGTERM, timeout_s=60) == 0, worker.log()
    assert "Traceback" not in worker.log()

    committed = committed_offsets(stack)
    published = set(ids_of(stack.drain(stack.topics.enriched, settle_s=1)))
    assert 0 < len(published) < len(expected), "the stop came after the stream was done"
    positions = raw_positions(stack)
    below_commit = {
        article_id
        for article_id, (partition, offset) in positions.items()
        if offset < committed[partition]
    }
    # Exactly what was published was acked: nothing acked without its output
    # (loss), nothing published left uncommitted (a duplicate on restart).
    assert below_commit == published

    stack.start_worker()
    stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=120)
    counts = ids_of(stack.drain(stack.topics.enriched))
    assert set(counts) == expected
    assert [i for i, c in counts.items() if c > 1] == []


# ---------------------------------------------------------------- 3. poison pills
ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n'
        % (n, b"".join(b"&lol%s;" % (b"" if n == 2 else b"%d" % (n - 1)) for _ in range(10)))
        for n in range(2, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>Bomb</title>'
    b"<item><title>&lol9;</title><description>&lol9;</description></item>"
    b"</channel></rss>"
)


def poison_pills() -> dict[str, tuple[bytes, str, str]]:
    """name -> (raw bytes, expected stage, expected reason)."""
    sentence = "The delegates discussed the agenda at length in the capital. "
    # Under the 1 MiB record limit but past spaCy's nlp.max_length of one
    # million characters: the NLP step itself refuses it.
    too_long_for_nlp = json.dumps(
        {
            "title": "A very long transcript",
            "body": sentence * (1_000_100 // len(sentence) + 1),
            "published_at": "2024-03-01T10:00:00Z",
            "url": "https://reliability.example.org/poison/nlp",
        }
    ).encode()
    assert len(too_long_for_nlp) < 1024 * 1024
    five_mb = json.dumps(
        {
            "title": "Five megabytes",
            "body": "x " * (5 * 1024 * 1024 // 2),
            "published_at": "2024-03-01T10:00:00Z",
        }
    ).encode()
    return {
        "malformed_json": (
            b'{"title": "Broken", "body": "no closing brace"',
            "parse",
            "invalid_json",
        ),
        "invalid_utf8": (
            b'{"title": "Caf\xe9 \xff", "body": "Latin-1 bytes in a UTF-8 record.",'
            b' "published_at": "2024-03-01T10:00:00Z"}',
            "decode",
            "invalid_utf8",
        ),
        "five_mb": (five_mb, "decode", "too_large"),
        "nlp_raises": (too_long_for_nlp, "enrich", "nlp_error"),
        "entity_bomb": (ENTITY_BOMB, "parse", "unsafe_xml"),
    }


def test_poison_pills_go_to_the_dlq_with_their_reason_and_bytes(stack: Stack) -> None:
    stack.extra_env.update(WORKER_ENV)
    good = stream("poison", 60, filler=1)
    pills = poison_pills()
    values: list[bytes] = []
    for i, value in enumerate(good):
        values.append(value)
        if i % 12 == 5:
            values.append(list(pills.values())[i // 12][0])
    stack.start_worker()
    stack.produce(values)

    expected = article_ids(good)
    dead = stack.consume(stack.topics.dlq, until=at_least(len(pills)), timeout_s=120)
    stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=120)
    dead = stack.drain(stack.topics.dlq, settle_s=1)
    by_value = {r.value: r for r in dead}
    assert len(dead) == len(pills)
    for name, (value, stage, reason) in pills.items():
        assert value in by_value, f"{name} not dead-lettered byte for byte"
        record = by_value[value]
        assert (record.header("parley.error.stage"), record.header("parley.error.reason")) == (
            stage,
            reason,
        ), name
        assert record.header("parley.error.topic") == stack.topics.raw
    enriched = ids_of(stack.drain(stack.topics.enriched, settle_s=0.5))
    assert set(enriched) == expected
    status, body = stack.workers[0].get("/healthz")
    assert status == 200, body


# ---------------------------------------------------------------- 4. broker late
def test_worker_waits_for_a_missing_broker_and_becomes_ready_without_restart(
    tmp_path: Path,
) -> None:
    port = free_port()
    prefix = f"late{uuid.uuid4().hex[:6]}"
    stack = Stack(
        bootstrap=f"127.0.0.1:{port}",
        topics=Topics(prefix),
        tmp=tmp_path,
        app_id=f"parley-{prefix}",
        extra_env=dict(WORKER_ENV),
    )
    worker = stack.start_worker(wait=False)
    broker = EmbeddedBroker(port=port, log_path=tmp_path / "tansu-late.log")
    try:
        # Not ready, but answering: an orchestrator can tell "waiting" from "hung".
        wait_for(lambda: _status(worker, "/readyz") == 503, 60, "/readyz to answer 503")
        assert _status(worker, "/healthz") == 200
        retries: list[float] = []

        def backed_off() -> bool:
            retries[:] = [
                float(d) for d in re.findall(r"not ready .*; retrying in ([\d.]+)s", worker.log())
            ]
            return len(retries) >= 4

        wait_for(backed_off, 60, "retry log lines")
        assert retries == sorted(retries) and retries[-1] > retries[0], retries
        assert worker.process.poll() is None

        broker.start()
        worker.wait_ready(timeout_s=120)
        assert worker.process.poll() is None, "the worker restarted instead of waiting"
        values = stream("late", 20, filler=1)
        stack.produce(values)
        stack.consume(stack.topics.enriched, until=has_all(article_ids(values)), timeout_s=120)
    finally:
        worker.stop(signal.SIGKILL, timeout_s=10)
        broker.stop()


def _status(worker: Worker, path: str) -> int | None:
    try:
        return worker.get(path, timeout=2.0)[0]
    except OSError:
        return None


# ---------------------------------------------------------------- 5. broker paused
def test_broker_paused_for_20s_loses_nothing_and_lag_returns_to_zero(
    private_stack: tuple[Stack, EmbeddedBroker],
) -> None:
    stack, broker = private_stack
    values = stream("pause", 200, filler=4)
    expected = article_ids(values)
    worker = stack.start_worker()
    stack.produce(values)
    stack.consume(stack.topics.enriched, until=at_least(30))
    assert broker.pid is not None
    os.kill(broker.pid, signal.SIGSTOP)
    assert metric_sum(worker, "parley_articles_enriched_total") < len(expected), (
        "the broker stopped after the stream was done"
    )
    try:
        time.sleep(20)  # the outage itself, not a wait for a result
        assert worker.process.poll() is None, worker.log()
    finally:
        os.kill(broker.pid, signal.SIGCONT)

    stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=150)
    wait_for(
        lambda: metric_sum(worker, "parley_consumer_lag_records") == 0,
        90,
        "parley_consumer_lag_records to sum to 0",
    )
    enriched = stack.drain(stack.topics.enriched)
    assert set(ids_of(enriched)) == expected
    assert_duplicates_identical(enriched, stack.drain(stack.topics.events))
    assert worker.process.poll() is None
    wait_for(lambda: worker.ready(), 60, "/readyz to be ready again")


# ---------------------------------------------------------------- 6. rebalance
def test_second_worker_joins_and_leaves_without_loss(stack: Stack) -> None:
    stack.extra_env.update(WORKER_ENV)
    values = stream("rebalance", 300, filler=4)
    expected = article_ids(values)
    first = stack.start_worker()
    stack.produce(values[:100])
    stack.consume(stack.topics.enriched, until=at_least(20))

    second = stack.start_worker()  # ready means: it holds a partition after the rebalance
    stack.produce(values[100:200])
    wait_for(
        lambda: (metric_sum(second, "parley_articles_enriched_total") or 0) > 0,
        90,
        "the second worker to enrich articles",
    )
    stack.produce(values[200:])
    assert second.stop(signal.SIGTERM, timeout_s=60) == 0, second.log()

    stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=150)
    enriched = stack.drain(stack.topics.enriched)
    assert set(ids_of(enriched)) == expected
    assert_duplicates_identical(enriched, stack.drain(stack.topics.events))
    assert first.process.poll() is None
    wait_for(
        lambda: metric_sum(first, "parley_consumer_lag_records") == 0,
        60,
        "the remaining worker to catch up on both partitions",
    )


# ---------------------------------------------------------------- 7. replay
# Headers that name the producer or the moment, not the content: ce_source is
# derived from the app id (a replay under a fresh app id is another source).
VOLATILE_HEADERS = {"ce_source", "ce_time"}


def test_replay_with_a_fresh_app_id_yields_identical_events(stack: Stack, tmp_path: Path) -> None:
    stack.extra_env.update(WORKER_ENV)
    values = stream("replay", 120, filler=1)
    stack.produce(values)
    first = stack.start_worker()
    stack.consume(stack.topics.enriched, until=has_all(article_ids(values)), timeout_s=120)
    first.stop(signal.SIGTERM)
    original = stack.drain(stack.topics.events)

    replay_topics = Topics(f"r{uuid.uuid4().hex[:8]}")
    replay = Stack(
        bootstrap=stack.bootstrap,
        topics=replay_topics,
        tmp=tmp_path / "replay",
        app_id=f"parley-{replay_topics.prefix}",
        extra_env=dict(WORKER_ENV),
    )
    replay.tmp.mkdir()
    replay.create_topics()
    replay_topics.raw = stack.topics.raw  # the same raw records, from the start
    try:
        replay.start_worker()
        replayed = replay.consume(
            replay_topics.events, until=at_least(len(original)), timeout_s=120
        )
        replayed = replay.drain(replay_topics.events)
    finally:
        for worker in replay.workers:
            worker.stop(signal.SIGKILL, timeout_s=10)

    def by_id(records: list[Record]) -> dict[str, tuple[bytes, list[tuple[str, bytes]], bytes]]:
        return {
            r.header("ce_id") or "": (
                r.value,
                sorted(h for h in r.headers if h[0] not in VOLATILE_HEADERS),
                r.key or b"",
            )
            for r in records
        }

    assert len(original) > 100, "too few events to say anything"
    assert len(replayed) == len(original)
    # Byte for byte: the payload, the key and every content header.
    assert by_id(replayed) == by_id(original)


# ------------------------------------- 8. restart of a group that never committed
def test_restart_before_the_first_commit_processes_everything(stack: Stack) -> None:
    """Regression: Faust's table recovery fetched the raw partitions and then
    seeked back only to *committed* offsets (and aiokafka skips a commit of
    0), so a worker restarted before its group's first commit started past
    every record the first one had read. parley commits start offsets for
    partitions new to the group and patches the offset-0 seek
    (workers/compat.py)."""
    stack.extra_env.update(WORKER_ENV)
    values = stream("nocommit", 40)
    expected = article_ids(values)
    first = stack.start_worker(PARLEY_COMMIT_INTERVAL_S="3600")
    stack.produce(values)
    stack.consume(stack.topics.enriched, until=at_least(10))
    first.stop(signal.SIGKILL)
    stack.start_worker()
    stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=120)
