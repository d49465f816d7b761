"""The batch path in-process: decode -> dedup -> pool (fake) -> link -> alert -> publish -> commit.

No broker and no model: the pool is a fake that builds the records the way
the NLP process does (``build_records``) from hand-made events, and the
sender is a fake whose deliveries the test settles. "Commit" is what the
caller may do once ``Batch.run`` returns: the state is written to the tables
only after every output was acknowledged.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Sequence
from typing import Any

import pytest

from schemas.models import Article, EnrichedArticle, ModelInfo, Severity
from tests.unit.publish import factories
from workers.batch import Batch, DeliveryFailed, RawRecord, RecordTooLarge, Stream
from workers.core import EnrichFailure
from workers.journal import StateStore, decode_delta
from workers.publish.alerts import AlertRule
from workers.publish.deadletter import read_dead_letter_headers
from workers.publish.envelope import EncodedRecord
from workers.publish.records import ArticleRecords, build_records
from workers.settings import Settings

SOURCE = "urn:parley:batch-test"
RULES = [
    AlertRule(
        id="watch",
        severity=Severity.CRITICAL,
        countries=frozenset({"RUS"}),
        plover_types=frozenset({"SANCTION"}),
    )
]
NOW = 1_717_000_000.0
JOURNAL = Stream.__dataclass_fields__["journal_topic"].default


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("PARLEY_"):
            monkeypatch.delenv(name)


class FakePool:
    """Enriches with two hand-made events per article; a title with FAIL fails NLP."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.gate: asyncio.Event | None = None

    async def enrich(self, articles: Sequence[Article]) -> list[ArticleRecords | EnrichFailure]:
        self.batches.append([a.article_id for a in articles])
        if self.gate is not None:
            await self.gate.wait()
        out: list[ArticleRecords | EnrichFailure] = []
        for article in articles:
            if "FAIL" in article.title:
                out.append(EnrichFailure(article, "ValueError", "spaCy choked"))
                continue
            events = [
                factories.event(event_id=f"{article.article_id}-{n}", article_id=article.article_id)
                for n in range(2)
            ]
            enriched = EnrichedArticle(
                article=article,
                text=f"{article.title}\n\n{article.body}",
                events=events,
                model=ModelInfo(name="fake", version="0"),
                parley_version="test",
            )
            out.append(build_records(enriched, RULES, SOURCE))
        return out


def what(topic: str, record: EncodedRecord) -> str:
    """A journal record as "journal:<tables>", any other record as its topic."""
    if topic != JOURNAL:
        return topic
    return "journal:" + ",".join(sorted(decode_delta(record.value)))


class FakeSender:
    """Keeps every send; deliveries fail for the first ``failures`` attempts of each record."""

    def __init__(self, failures: int = 0, too_large: Sequence[str] = ()) -> None:
        self.failures = failures
        self.too_large = set(too_large)
        self.attempts: dict[tuple[str, bytes, bytes], int] = {}
        self.sent: list[tuple[str, EncodedRecord]] = []
        self.delivered: list[tuple[str, EncodedRecord]] = []
        self.hold: asyncio.Event | None = None
        self.log: list[tuple[str, str]] = []  # ("sent" | "acked", what), in order

    async def send(self, topic: str, record: EncodedRecord) -> Awaitable[Any]:
        if topic in self.too_large:
            raise RecordTooLarge(f"{len(record.value)} bytes is too large")
        self.sent.append((topic, record))
        self.log.append(("sent", what(topic, record)))
        identity = (topic, record.key, record.value)
        attempt = self.attempts[identity] = self.attempts.get(identity, 0) + 1

        async def delivery() -> None:
            if self.hold is not None:
                await self.hold.wait()
            if attempt <= self.failures:
                raise ConnectionError("broker went away")
            self.delivered.append((topic, record))
            self.log.append(("acked", what(topic, record)))

        return asyncio.ensure_future(delivery())

    def on(self, topic: str) -> list[EncodedRecord]:
        return [record for t, record in self.delivered if t == topic]


def raw(i: int, *, title: str | None = None, url: str | None = None) -> RawRecord:
    value = json.dumps(
        {
            "title": title or f"Moscow expels diplomats, report {i}",
            "body": f"Moscow said on Saturday it would expel ten American diplomats. Report {i}.",
            "published_at": "2024-03-02T09:30:00Z",
            "source": "Example Wire",
            "url": url or f"https://news.example/story/{i}",
        }
    ).encode()
    return RawRecord(topic="raw", partition=0, offset=i, timestamp_ms=None, headers=[], value=value)


def make_stream(sender: FakeSender, pool: FakePool | None = None) -> Stream:
    settings = Settings(alert_rules=None, dedup_window_s=3600, link_window_s=3600)
    return Stream(
        settings=settings,
        pool=pool or FakePool(),
        sender=sender,
        source=SOURCE,
    )


def ids(records: list[EncodedRecord]) -> list[str]:
    return [dict(r.headers)["ce_id"].decode() for r in records]


def test_a_batch_publishes_links_alerts_and_then_commits_its_state() -> None:
    sender = FakeSender()
    stream = make_stream(sender)
    changes = asyncio.run(Batch(stream, now=NOW).run([raw(1), raw(2)]))
    settings = stream.settings
    enriched = sender.on(settings.enriched_topic)
    events = sender.on(settings.events_topic)
    alerts = sender.on(settings.alerts_topic)
    assert len(enriched) == 2 and len(events) == 4
    # The four reports are one real-world event: one story, counted up.
    payloads = [json.loads(r.value) for r in events]
    assert [p["mentions"] for p in payloads] == [1, 2, 3, 4]
    assert len({p["story_id"] for p in payloads}) == 1
    assert [p["is_update"] for p in payloads] == [False, True, True, True]
    # One alert per mention increase, all about the same story.
    assert [json.loads(r.value)["is_update"] for r in alerts] == [False, True, True, True]
    article = json.loads(enriched[1].value)
    assert [e["mentions"] for e in article["events"]] == [3, 4]
    assert changes > 0 and stream.state.dedup and stream.state.links and stream.state.alerts
    assert not sender.on(settings.dlq_topic)


def test_state_is_written_only_after_every_output_is_acknowledged() -> None:
    sender = FakeSender()
    sender.hold = asyncio.Event()
    stream = make_stream(sender)

    async def scenario() -> None:
        task = asyncio.create_task(Batch(stream, now=NOW).run([raw(1)]))
        await asyncio.sleep(0.05)
        assert sender.sent and not sender.delivered and not task.done()
        assert stream.state.dedup == {} and stream.state.links == {}  # nothing committed yet
        assert sender.hold is not None
        sender.hold.set()
        await task

    asyncio.run(scenario())
    assert stream.state.dedup and stream.state.links


def test_a_send_failure_is_retried_and_nothing_is_lost() -> None:
    sender = FakeSender(failures=1)
    stream = make_stream(sender)
    batch = Batch(stream, now=NOW, first_retry_delay_s=0.01)
    asyncio.run(batch.run([raw(1), raw(2)]))
    settings = stream.settings
    assert len(sender.on(settings.enriched_topic)) == 2
    assert len(sender.on(settings.events_topic)) == 4
    # Every record was sent twice (the retry) and delivered once; then committed.
    assert len(sender.sent) == 2 * len(sender.delivered)
    assert stream.state.dedup and stream.state.links


def test_outputs_that_cannot_be_delivered_fail_the_batch_and_commit_nothing() -> None:
    sender = FakeSender(failures=99)
    stream = make_stream(sender)
    batch = Batch(stream, now=NOW, delivery_attempts=2, first_retry_delay_s=0.01)
    with pytest.raises(DeliveryFailed):
        asyncio.run(batch.run([raw(1)]))
    assert stream.state.dedup == {} and stream.state.links == {} and stream.state.alerts == {}
    assert not sender.delivered
    # Two attempts are two sends of each record: none is sent after the last attempt,
    # where no one would await its delivery.
    assert sender.attempts and set(sender.attempts.values()) == {2}


def test_a_record_that_fails_nlp_is_dead_lettered_and_the_rest_come_out() -> None:
    sender = FakeSender()
    stream = make_stream(sender)
    bad = raw(2, title="FAIL this one")
    asyncio.run(Batch(stream, now=NOW).run([raw(1), bad, raw(3)]))
    settings = stream.settings
    (letter,) = sender.on(settings.dlq_topic)
    assert letter.value == bad.value
    info = read_dead_letter_headers(letter.headers)
    assert (info.stage, info.reason, info.error_class) == ("enrich", "nlp_error", "ValueError")
    assert (info.topic, info.offset) == ("raw", 2)
    assert len(sender.on(settings.enriched_topic)) == 2


def test_a_record_too_large_to_send_is_dead_lettered() -> None:
    sender = FakeSender()
    stream = make_stream(sender)
    sender.too_large = {stream.settings.enriched_topic}
    asyncio.run(Batch(stream, now=NOW).run([raw(1)]))
    (letter,) = sender.on(stream.settings.dlq_topic)
    assert read_dead_letter_headers(letter.headers).reason == "too_large"


def test_a_duplicate_inside_one_batch_is_enriched_once() -> None:
    sender = FakeSender()
    pool = FakePool()
    stream = make_stream(sender, pool)
    first = raw(1)
    again = RawRecord(
        topic="raw", partition=1, offset=7, timestamp_ms=None, headers=[], value=first.value
    )
    asyncio.run(Batch(stream, now=NOW).run([first, again]))
    assert len(pool.batches) == 1 and len(pool.batches[0]) == 1
    assert len(sender.on(stream.settings.enriched_topic)) == 1


def test_a_duplicate_across_two_batches_in_flight_is_enriched_once() -> None:
    """The second batch is decoded while the first is still in the NLP pool."""
    sender = FakeSender()
    pool = FakePool()
    pool.gate = asyncio.Event()
    stream = make_stream(sender, pool)
    copy = raw(1, url="https://mirror.example/copy-of-1")  # same content, other URL

    async def scenario() -> None:
        first = asyncio.create_task(Batch(stream, now=NOW).run([raw(1), raw(2)]))
        await asyncio.sleep(0.05)
        assert pool.batches and not first.done()  # the first batch is in the pool
        second = asyncio.create_task(Batch(stream, now=NOW + 1).run([copy, raw(3)]))
        await asyncio.sleep(0.05)
        assert pool.gate is not None
        pool.gate.set()
        await asyncio.gather(first, second)

    asyncio.run(scenario())
    assert len(pool.batches) == 2
    assert len(pool.batches[1]) == 1  # raw(3) only: the copy was a duplicate
    enriched = sender.on(stream.settings.enriched_topic)
    assert len(enriched) == 3
    assert len(set(ids(enriched))) == 3


def test_links_are_journaled_and_acknowledged_before_any_output_is_sent() -> None:
    sender = FakeSender()
    stream = make_stream(sender)
    asyncio.run(Batch(stream, now=NOW).run([raw(1), raw(2)]))
    log = sender.log
    links_acked = log.index(("acked", "journal:alert-suppression,event-links"))
    outputs = [i for i, (_, name) in enumerate(log) if not name.startswith("journal:")]
    assert outputs and links_acked < min(outputs)
    # Dedup: sent only once every output is acknowledged.
    state_sent = log.index(("sent", "journal:dedup"))
    assert state_sent > max(i for i in outputs if log[i][0] == "acked")
    # Two journal records for the whole batch, not one per key.
    assert len(sender.on(JOURNAL)) == 2
    assert all(
        dict(r.headers)["parley.state.writer"] == stream.writer_id.encode()
        for r in sender.on(JOURNAL)
    )


def test_a_replay_after_a_crash_repeats_its_first_outputs_exactly() -> None:
    """Outputs acked, worker killed before the dedup record; another report of the
    story comes in before the replay (issue 14): the replay's events are identical."""
    sender = FakeSender()
    first_stream = make_stream(sender)
    asyncio.run(Batch(first_stream, now=NOW).run([raw(1)]))
    first_events = [r.value for r in sender.on(first_stream.settings.events_topic)]
    # What a restarted worker reads back: the journal without the dedup record.
    store = StateStore.in_memory()
    for record in sender.on(JOURNAL):
        delta = decode_delta(record.value)
        if "dedup" not in delta:
            store.apply(delta)
    assert dict(store.links) and dict(store.alerts) and not dict(store.dedup)

    replay_sender = FakeSender()
    restarted = make_stream(replay_sender)
    restarted.state = store
    asyncio.run(Batch(restarted, now=NOW + 5).run([raw(2)]))  # another report, first
    asyncio.run(Batch(restarted, now=NOW + 6).run([raw(1)]))  # then the replay
    events = replay_sender.on(restarted.settings.events_topic)
    assert [r.value for r in events[2:]] == first_events
    assert [json.loads(r.value)["mentions"] for r in events[:2]] == [3, 4]
    # The replay raises its alerts again, identical but for raised_at; not suppressed.
    first_alerts = sender.on(first_stream.settings.alerts_topic)
    again = replay_sender.on(restarted.settings.alerts_topic)[-len(first_alerts) :]
    assert first_alerts and ids(again) == ids(first_alerts)

    def without_time(record: EncodedRecord) -> dict[str, Any]:
        payload = json.loads(record.value)
        payload.pop("raised_at")
        return payload

    assert [without_time(r) for r in again] == [without_time(r) for r in first_alerts]


def test_an_output_failure_leaves_links_journaled_but_no_dedup_record() -> None:
    sender = FakeSender()
    stream = make_stream(sender)
    outputs_fail = FakeSender(failures=99)

    class LinksThrough:
        """Journal records are delivered; every output fails."""

        async def send(self, topic: str, record: EncodedRecord) -> Awaitable[Any]:
            return await (sender if topic == JOURNAL else outputs_fail).send(topic, record)

    stream.sender = LinksThrough()
    batch = Batch(stream, now=NOW, delivery_attempts=2, first_retry_delay_s=0.01)
    with pytest.raises(DeliveryFailed):
        asyncio.run(batch.run([raw(1)]))
    assert [what(JOURNAL, r) for r in sender.on(JOURNAL)] == [
        "journal:alert-suppression,event-links"
    ]
    assert stream.state.dedup == {}
