"""The agents: thin glue between Kafka and the pure core.

One agent reads raw records in batches (``stream.take_events``): for each
batch it decodes and normalizes every record (``workers.ingest``), drops
duplicates, sends the articles through the NLP pool (``workers.core`` in
other processes), links events to stories, evaluates alert rules, publishes
everything with CloudEvents headers, waits until the broker has acknowledged
every send, and only then lets Faust ack the batch. Anything that fails goes
to the dead-letter topic with the original bytes; nothing is dropped silently
and one bad record never stops the stream.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from faust.exceptions import ProducerSendError
from faust.types import EventT

from schemas.models import Article, EnrichedArticle, Event, UnsupportedArticle
from workers import __version__, metrics
from workers.app import Parley
from workers.coding.linking import EventLinker
from workers.core import EnrichFailure
from workers.ingest import IngestError, parse_record
from workers.ingest.dedup import Deduplicator
from workers.overlay import Overlay
from workers.publish.alerts import AlertEngine, load_alert_rules
from workers.publish.deadletter import dead_letter_headers
from workers.publish.envelope import EncodedRecord, encode_record, source_for

log = logging.getLogger(__name__)


@dataclass
class Origin:
    """Where a record came from, for dead letters and latency."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    headers: list[tuple[str, bytes]]
    value: bytes
    key: bytes = b""


def _headers(event: EventT) -> list[tuple[str, bytes]]:
    raw: Any = event.message.headers or []
    items: Any = raw.items() if isinstance(raw, dict) else raw
    return [(str(k), bytes(v) if v else b"") for k, v in items]


def _content_type(headers: Sequence[tuple[str, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() in ("content-type", "content_type", "ce_datacontenttype"):
            return value.decode("latin-1")
    return None


def _origin(event: EventT) -> Origin:
    message = event.message
    value = message.value if isinstance(message.value, bytes) else (event.value or b"")
    timestamp = getattr(message, "timestamp", None)
    return Origin(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp_ms=int(timestamp * 1000) if timestamp else None,
        headers=_headers(event),
        value=value if isinstance(value, bytes) else bytes(value),
        key=message.key if isinstance(message.key, bytes) else b"",
    )


class Batch:
    """One batch of raw records on its way through the core to the output topics."""

    def __init__(self, parley: Parley, rules: list[Any], source: str) -> None:
        self.parley = parley
        self.settings = parley.settings
        self.source = source
        self.now_dt = datetime.now(UTC)
        self.now = self.now_dt.timestamp()
        self.sends: list[tuple[str, EncodedRecord, Awaitable[Any]]] = []
        self.produced: dict[str, int] = {}
        self.dedup_state = Overlay(parley.dedup_table, parley.pending["dedup"])
        self.link_state = Overlay(parley.link_table, parley.pending["links"])
        self.alert_state = Overlay(parley.alert_table, parley.pending["alerts"])
        self.watchlist = frozenset(self.settings.dyad_watchlist)
        self.dedup = Deduplicator(self.dedup_state, self.settings.dedup_window_s)
        self.linker = EventLinker(self.link_state, self.settings.link_window_s)
        self.alerts = AlertEngine(rules, self.alert_state, self.settings.link_window_s)

    async def send(self, topic: str, record: EncodedRecord) -> None:
        """Queue one record; delivery is awaited for the whole batch in ``flush``."""
        future = await self.parley.topics[topic].send(
            key=record.key or None, value=record.value, headers=record.headers
        )
        self.sends.append((topic, record, future))
        self.produced[topic] = self.produced.get(topic, 0) + 1

    async def flush(self, attempts: int = 6) -> None:
        """Wait until the broker acknowledged every record of the batch.

        A failed delivery is retried with backoff. If it keeps failing the
        process exits without letting Faust ack the batch: the records are
        consumed again after the restart (at-least-once), never lost.
        """
        pending = self.sends
        delay = 0.5
        for attempt in range(1, attempts + 1):
            results = await asyncio.gather(*(f for _, _, f in pending), return_exceptions=True)
            failed = [
                (topic, record)
                for (topic, record, _), result in zip(pending, results, strict=True)
                if isinstance(result, BaseException)
            ]
            if not failed:
                return
            log.warning(
                "%d record(s) not delivered (attempt %d); retrying in %.1fs",
                len(failed),
                attempt,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
            self.sends = []
            for topic, record in failed:
                await self.send(topic, record)
            pending = self.sends
        log.critical("outputs could not be delivered; exiting without acking the batch")
        os._exit(70)

    async def dead_letter(
        self,
        origin: Origin,
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
        except ProducerSendError as exc:
            # Larger than the producer may send: keep the error and the
            # coordinates of the original (still on its topic) instead.
            omitted = [*headers, ("parley.error.value_omitted", str(exc)[:200].encode())]
            await self.send(self.settings.dlq_topic, EncodedRecord(origin.key, b"", omitted))

    async def decode(self, events: Sequence[EventT]) -> list[tuple[Article, Origin]]:
        """Raw records to new English articles; everything else routed on."""
        settings = self.settings
        to_enrich: list[tuple[Article, Origin]] = []
        for event in events:
            origin = _origin(event)
            metrics.RECORDS_CONSUMED.labels(origin.topic).inc()
            try:
                articles = parse_record(
                    origin.value,
                    content_type=_content_type(origin.headers),
                    now=self.now_dt,
                    max_bytes=settings.max_message_bytes,
                    max_future=timedelta(seconds=settings.max_future_s),
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

    def dyad_label(self, event: Event) -> str:
        source = event.source.country if event.source else None
        target = event.target.country if event.target else None
        watched = self.watchlist
        if source in watched and target in watched:
            return f"{source}->{target}"
        return "other"

    async def publish(self, enriched: EnrichedArticle) -> None:
        source_name = enriched.article.source
        events = [self.linker.link(event, source_name, self.now) for event in enriched.events]
        enriched = enriched.model_copy(update={"events": events})
        await self.send(self.settings.enriched_topic, encode_record(enriched, source=self.source))
        for event in events:
            metrics.EVENTS.labels(event.plover.type or "none", str(event.quad_class)).inc()
            metrics.DYAD_EVENTS.labels(self.dyad_label(event)).inc()
            if event.is_update:
                metrics.EVENT_UPDATES.inc()
            await self.send(self.settings.events_topic, encode_record(event, source=self.source))
            for alert in self.alerts.evaluate(event, self.now):
                metrics.ALERTS.labels(alert.rule_id, alert.severity.value).inc()
                await self.send(
                    self.settings.alerts_topic, encode_record(alert, source=self.source)
                )
        metrics.ARTICLES_ENRICHED.inc()

    async def run(self, events: Sequence[EventT]) -> None:
        started = time.monotonic()
        to_enrich = await self.decode(events)
        decoded = time.monotonic()
        metrics.STAGE_SECONDS.labels("decode").observe(decoded - started)
        if to_enrich:
            metrics.BATCH_SIZE.observe(len(to_enrich))
            results = await self.parley.pool.enrich([article for article, _ in to_enrich])
            publish_started = time.monotonic()
            for (_article, origin), result in zip(to_enrich, results, strict=True):
                if isinstance(result, EnrichFailure):
                    await self.dead_letter(
                        origin,
                        result.stage,
                        result.reason,
                        f"{result.error_class}: {result.message}",
                        error_class=result.error_class,
                    )
                else:
                    try:
                        await self.publish(result)
                    except ProducerSendError as exc:
                        await self.dead_letter(origin, "publish", "too_large", exc)
        else:
            publish_started = time.monotonic()
        await self.flush()
        # Only now, with every output acknowledged, remember what was seen.
        changes = self.dedup_state.apply() + self.link_state.apply() + self.alert_state.apply()
        log.debug(
            "batch of %d record(s): %d output(s), %d state change(s)",
            len(events),
            sum(self.produced.values()),
            changes,
        )
        done = time.time()
        metrics.STAGE_SECONDS.labels("publish").observe(time.monotonic() - publish_started)
        for topic, count in self.produced.items():
            metrics.RECORDS_PRODUCED.labels(topic).inc(count)
        for event in events:
            timestamp = getattr(event.message, "timestamp", None)
            if timestamp:
                metrics.END_TO_END_SECONDS.observe(max(done - timestamp, 0.0))


def register_agents(parley: Parley) -> None:
    app, settings = parley.app, parley.settings
    rules = load_alert_rules(settings.alert_rules) if settings.alert_rules else []
    source = source_for(settings.app_id)

    async def handle(events: Sequence[EventT]) -> None:
        parley.health.busy_since = time.monotonic()
        try:
            await Batch(parley, rules, source).run(events)
        except Exception:
            # Record-level failures are dead-lettered inside the batch; an
            # exception here is a bug. Faust would ack the batch when the
            # agent raises, losing it: exit instead, so the uncommitted
            # records are consumed again after the restart.
            log.critical("batch failed; exiting without acking it", exc_info=True)
            os._exit(70)
        finally:
            parley.health.busy_since = None
            parley.health.progress()

    # Two batches per NLP process in flight: while the worker publishes one
    # batch, the process already parses the next, so it never waits on Kafka.
    # Faust commits only contiguous acked offsets, so out-of-order batch
    # completion is safe.
    @app.agent(parley.raw_topic, name="enrich", concurrency=2 * max(settings.processes, 1))
    async def enrich_agent(stream: Any) -> None:
        async for events in stream.take_events(
            settings.batch_size, within=settings.batch_timeout_s
        ):
            task = asyncio.ensure_future(handle(events))
            try:
                # A stop request lets the in-flight batch finish (its outputs
                # are published before Faust acks it) instead of acking a
                # half-done batch.
                await asyncio.shield(task)
            except asyncio.CancelledError:
                await task
                raise
