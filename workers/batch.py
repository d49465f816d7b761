"""One batch of raw records, from bytes to acknowledged outputs, with no Faust in sight.

``Batch.run`` is the whole per-batch path: decode and normalize every record
(``workers.ingest``), drop duplicates, enrich the new articles in the NLP
pool (which returns finished output records, ``workers.publish.records``),
link events to stories, decide alerts, publish every record through a
``Sender`` and wait until the broker acknowledged every send. The caller
acks the input offsets after ``run`` returns. Anything that fails goes to
the dead-letter topic with the original bytes; one bad record never stops
the stream.

State changes are staged (``workers.overlay``) and written as journal
records (``workers.journal``), at most two per batch:

1. event links and alert suppression, *before* any output is sent,
   acknowledged, then applied to the store. Both record the answer given
   for each event (link counts and update flag; the alert's update number),
   so if the worker dies after publishing, the replayed event gets the same
   ``mentions``/``sources``/``is_update`` and the same alert as its first
   copy, whatever other reports of the story came in meanwhile. Written
   early they lose nothing: a replay finds its own decisions and repeats
   them (an alert is raised again, not suppressed by its first report).
2. dedup, only *after* every output was acknowledged: written earlier, a
   crash in between would make the redelivered articles look like
   duplicates, and lose them.

The Faust agent (``workers.agents``) only turns events into ``RawRecord`` and
gives a ``Sender`` over the producer; unit tests drive the same code with a
fake pool and a fake sender (tests/unit/test_batch.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from schemas.models import Article, UnsupportedArticle
from workers import __version__, metrics
from workers.coding.linking import EventLinker
from workers.core import EnrichFailure
from workers.ingest import IngestError, parse_record
from workers.ingest.dedup import Deduplicator
from workers.journal import WRITER_HEADER, StateStore, encode_delta, new_writer_id
from workers.overlay import Overlay
from workers.publish.alerts import AlertEngine
from workers.publish.deadletter import dead_letter_headers
from workers.publish.envelope import EncodedRecord, encode_record
from workers.publish.records import (
    ArticleRecords,
    RaisedAt,
    alert_record,
    article_value,
    link_values,
)
from workers.settings import Settings

log = logging.getLogger("workers.agents")


class RecordTooLarge(Exception):
    """The producer refused a record up front (larger than it may send)."""


class DeliveryFailed(Exception):
    """Outputs of a batch could not be delivered; the batch must not be acked."""


class Sender(Protocol):
    """Queues one record for delivery; the returned awaitable settles when the broker acks it.

    ``send`` raises ``RecordTooLarge`` for a record the producer refuses
    before sending. Delivery errors surface from the returned awaitable.
    """

    async def send(self, topic: str, record: EncodedRecord) -> Awaitable[Any]: ...


class BatchEnricher(Protocol):
    """The NLP pool as a batch sees it (``workers.pool.NlpPool``, or a fake in tests)."""

    async def enrich(self, articles: Sequence[Article]) -> list[ArticleRecords | EnrichFailure]: ...


@dataclass
class RawRecord:
    """One consumed record: where it came from (for dead letters and latency) and its bytes."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    headers: list[tuple[str, bytes]]
    value: bytes
    key: bytes = b""


@dataclass
class Stream:
    """What every batch of one worker shares: settings, pool, sender, state, staged state."""

    settings: Settings
    pool: BatchEnricher
    sender: Sender
    source: str
    state: StateStore = field(default_factory=StateStore.in_memory)
    journal_topic: str = "parley-state-journal"
    # This process incarnation, on every journal record it writes.
    writer_id: str = field(default_factory=new_writer_id)
    # State staged by batches in flight, shared so they see each other's
    # changes before the store does (see workers/overlay.py).
    pending: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"dedup": {}, "links": {}, "alerts": {}}
    )
    watchlist: frozenset[str] = frozenset()
    # Batches link their events and queue the link record one at a time, so
    # the journal holds link values in the order they were computed (each
    # value includes every earlier one: the last record of a story wins).
    link_order: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        if not self.watchlist:
            self.watchlist = frozenset(self.settings.dyad_watchlist)


def _content_type(headers: Sequence[tuple[str, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() in ("content-type", "content_type", "ce_datacontenttype"):
            return value.decode("latin-1")
    return None


@dataclass
class _Send:
    topic: str
    record: EncodedRecord
    delivery: Awaitable[Any]


class Batch:
    """One batch of raw records on its way through the core to the output topics."""

    def __init__(
        self,
        stream: Stream,
        now: float | None = None,
        delivery_attempts: int = 6,
        first_retry_delay_s: float = 0.5,
    ) -> None:
        self.stream = stream
        self.delivery_attempts = delivery_attempts
        self.first_retry_delay_s = first_retry_delay_s
        self.settings = stream.settings
        self.source = stream.source
        self.now = time.time() if now is None else now
        self.now_dt = datetime.fromtimestamp(self.now, UTC)
        self.raised_at = RaisedAt.at(self.now)
        self.sends: list[_Send] = []
        self.produced: dict[str, int] = {}
        self.dedup_state = Overlay(stream.state.dedup, stream.pending["dedup"])
        self.link_state = Overlay(stream.state.links, stream.pending["links"])
        self.alert_state = Overlay(stream.state.alerts, stream.pending["alerts"])
        self.dedup = Deduplicator(self.dedup_state, self.settings.dedup_window_s)
        self.linker = EventLinker(self.link_state, self.settings.link_window_s)
        self.alerts = AlertEngine([], self.alert_state, self.settings.link_window_s)

    async def send(self, topic: str, record: EncodedRecord) -> None:
        """Queue one record; delivery is awaited for the whole batch in ``flush``."""
        delivery = await self.stream.sender.send(topic, record)
        self.sends.append(_Send(topic, record, delivery))
        self.produced[topic] = self.produced.get(topic, 0) + 1

    async def flush(self) -> None:
        """Wait until the broker acknowledged every record of the batch.

        A failed delivery is retried with backoff. If it keeps failing,
        ``DeliveryFailed`` is raised and the batch must not be acked: the
        records are consumed again after a restart (at-least-once), never
        lost.
        """
        await self._settle(self.sends, "output")

    async def _settle(self, pending: list[_Send], what: str) -> None:
        delay = self.first_retry_delay_s
        for attempt in range(1, self.delivery_attempts + 1):
            results = await asyncio.gather(*(s.delivery for s in pending), return_exceptions=True)
            failed = [
                s
                for s, result in zip(pending, results, strict=True)
                if isinstance(result, BaseException)
            ]
            if not failed:
                return
            if attempt == self.delivery_attempts:
                # No send after the last attempt: nobody would await its delivery.
                pending = failed
                break
            log.warning(
                "%d %s record(s) not delivered (attempt %d); retrying in %.1fs",
                len(failed),
                what,
                attempt,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
            retried: list[_Send] = []
            for send in failed:
                retried.append(
                    _Send(
                        send.topic,
                        send.record,
                        await self.stream.sender.send(send.topic, send.record),
                    )
                )
            pending = retried
        raise DeliveryFailed(f"{len(pending)} {what} record(s) could not be delivered")

    async def queue_journal(self, delta: dict[str, dict[str, Any]]) -> list[_Send]:
        """Queue the journal record(s) of one state delta; an empty delta writes nothing."""
        topic = self.stream.journal_topic
        headers = [(WRITER_HEADER, self.stream.writer_id.encode())]
        sends = []
        for value in encode_delta({t: c for t, c in delta.items() if c}):
            record = EncodedRecord(b"", value, headers)
            sends.append(_Send(topic, record, await self.stream.sender.send(topic, record)))
        return sends

    async def commit_state(self, tables: Sequence[tuple[str, Overlay]], sends: list[_Send]) -> int:
        """Once the journal record is acknowledged, apply the overlays to the local store.

        The delta is taken again here: a key a later batch staged since then
        (and perhaps applied already) keeps that batch's newer value.
        """
        await self._settle(sends, "state journal")
        applied = self.stream.state.apply({name: overlay.delta() for name, overlay in tables})
        for _, overlay in tables:
            overlay.release()
        return applied

    async def dead_letter(
        self,
        origin: RawRecord,
        stage: str,
        reason: str,
        error: BaseException | str,
        error_class: str | None = None,
    ) -> None:
        if error_class is None:
            error_class = (
                type(error).__name__ if isinstance(error, BaseException) else "EnrichError"
            )
        headers = dead_letter_headers(
            stage=stage,
            reason=reason,
            error_class=error_class,
            message=str(error),
            topic=origin.topic,
            partition=origin.partition,
            offset=origin.offset,
            timestamp_ms=origin.timestamp_ms,
            worker_version=__version__,
            original_headers=origin.headers,
        )
        metrics.FAILURES.labels(stage, reason).inc()
        metrics.DEAD_LETTERS.labels(stage).inc()
        log.warning(
            "dead letter %s/%s from %s[%d]@%d: %s",
            stage,
            reason,
            origin.topic,
            origin.partition,
            origin.offset,
            str(error)[:200],
        )
        try:
            await self.send(
                self.settings.dlq_topic, EncodedRecord(origin.key, origin.value, headers)
            )
        except RecordTooLarge as exc:
            # Larger than the producer may send: keep the error and the
            # coordinates of the original (still on its topic) instead.
            omitted = [*headers, ("parley.error.value_omitted", str(exc)[:200].encode())]
            await self.send(self.settings.dlq_topic, EncodedRecord(origin.key, b"", omitted))

    async def decode(self, records: Sequence[RawRecord]) -> list[tuple[Article, RawRecord]]:
        """Raw records to new English articles; everything else routed on."""
        settings = self.settings
        to_enrich: list[tuple[Article, RawRecord]] = []
        max_future = timedelta(seconds=settings.max_future_s)
        for origin in records:
            metrics.RECORDS_CONSUMED.labels(origin.topic).inc()
            try:
                articles = parse_record(
                    origin.value,
                    content_type=_content_type(origin.headers),
                    now=self.now_dt,
                    max_bytes=settings.max_message_bytes,
                    max_future=max_future,
                )
            except IngestError as exc:
                await self.dead_letter(origin, exc.stage, exc.reason, exc)
                continue
            except Exception as exc:  # noqa: BLE001 - a parser bug is one record's problem
                await self.dead_letter(origin, "parse", "internal_error", exc)
                continue
            for article in articles:
                if article.language != "en":
                    metrics.UNSUPPORTED.labels("unsupported_language").inc()
                    record = UnsupportedArticle(language=article.language, article=article)
                    await self.send(
                        settings.unsupported_topic, encode_record(record, source=self.source)
                    )
                    continue
                result = self.dedup.check(article, self.now)
                if not result.should_process:
                    metrics.DUPLICATES.labels(result.kind or "unknown").inc()
                    continue
                to_enrich.append((result.article, origin))
        return to_enrich

    def dyad_label(self, source: str | None, target: str | None) -> str:
        watched = self.stream.watchlist
        if source in watched and target in watched:
            return f"{source}->{target}"
        return "other"

    def decide(self, records: ArticleRecords) -> list[tuple[str, EncodedRecord]]:
        """Link the events of one enriched article and decide its alerts; its records, in order.

        No await in here: a batch links all its articles in one go (see
        ``Stream.link_order``).
        """
        settings = self.settings
        # Each event rendered once, its bytes then spliced into its alerts and the article.
        rendered: list[bytes] = []
        queued: list[tuple[str, EncodedRecord]] = []
        for event in records.events:
            mentions, sources, is_update = self.linker.observe(
                event.story_id, event.event_hash, event.source_hash, self.now
            )
            value = event.value.render(link_values(mentions, sources, is_update))
            rendered.append(value)
            metrics.EVENTS.labels(event.plover_type, str(event.quad_class)).inc()
            metrics.DYAD_EVENTS.labels(
                self.dyad_label(event.source_country, event.target_country)
            ).inc()
            if is_update:
                metrics.EVENT_UPDATES.inc()
            queued.append(
                (
                    settings.events_topic,
                    EncodedRecord(event.key, value, event.headers),
                )
            )
            for candidate in event.alerts:
                update = self.alerts.decide(
                    candidate.rule_id, event.story_id, mentions, self.now, event.event_hash
                )
                if update is None:
                    continue
                metrics.ALERTS.labels(candidate.rule_id, candidate.severity).inc()
                _, alert = alert_record(
                    candidate, event.story_id, update, value, self.raised_at, self.source
                )
                queued.append((settings.alerts_topic, alert))
        # The enriched article first, as before: its events and alerts follow it.
        return [
            (
                settings.enriched_topic,
                EncodedRecord(records.key, article_value(records.value, rendered), records.headers),
            ),
            *queued,
        ]

    async def run(self, records: Sequence[RawRecord]) -> int:
        """Process one batch; returns the state changes written. Raises ``DeliveryFailed``."""
        started = time.monotonic()
        to_enrich = await self.decode(records)
        metrics.STAGE_SECONDS.labels("decode").observe(time.monotonic() - started)
        changes = 0
        if to_enrich:
            metrics.BATCH_SIZE.observe(len(to_enrich))
            results = await self.stream.pool.enrich([article for article, _ in to_enrich])
            publish_started = time.monotonic()
            enriched: list[tuple[RawRecord, ArticleRecords]] = []
            for (_article, origin), result in zip(to_enrich, results, strict=True):
                if isinstance(result, EnrichFailure):
                    await self.dead_letter(
                        origin,
                        result.stage,
                        result.reason,
                        f"{result.error_class}: {result.message}",
                        error_class=result.error_class,
                    )
                    continue
                enriched.append((origin, result))
            decisions = [("event-links", self.link_state), ("alert-suppression", self.alert_state)]
            async with self.stream.link_order:
                outputs = [(origin, self.decide(result)) for origin, result in enriched]
                link_sends = await self.queue_journal(
                    {name: overlay.delta() for name, overlay in decisions}
                )
            # The decisions are durable before any output that carries them is sent.
            changes += await self.commit_state(decisions, link_sends)
            for origin, article_records in outputs:
                try:
                    for topic, output in article_records:
                        await self.send(topic, output)
                except RecordTooLarge as exc:
                    await self.dead_letter(origin, "publish", "too_large", exc)
                    continue
                metrics.ARTICLES_ENRICHED.inc()
        else:
            publish_started = time.monotonic()
        await self.flush()
        # Only now, with every output acknowledged, remember what was seen.
        sends = await self.queue_journal({"dedup": self.dedup_state.delta()})
        changes += await self.commit_state([("dedup", self.dedup_state)], sends)
        log.debug(
            "batch of %d record(s): %d output(s), %d state change(s)",
            len(records),
            sum(self.produced.values()),
            changes,
        )
        done = time.time()
        metrics.STAGE_SECONDS.labels("publish").observe(time.monotonic() - publish_started)
        for topic, count in self.produced.items():
            metrics.RECORDS_PRODUCED.labels(topic).inc(count)
        for record in records:
            if record.timestamp_ms:
                metrics.END_TO_END_SECONDS.observe(max(done - record.timestamp_ms / 1000, 0.0))
        return changes
