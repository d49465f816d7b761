"""The agents: thin glue between Faust and the batch path (``workers/batch.py``).

One agent reads raw records in batches (``stream.take_events``), turns each
event into a ``RawRecord`` and runs a ``Batch`` over them: decode, dedup,
NLP pool, link, alert, publish, wait for every acknowledgement, write state.
Only then does Faust ack the batch. Several batches are in flight at once
(``PARLEY_BATCHES_IN_FLIGHT`` per NLP process): while one batch is in an NLP
process the next is decoded, deduplicated and queued for it, and the one
before is published, so the NLP processes never wait for the worker.

Outputs go through a ``Sender``: on at-least-once a producer of parley's own
(``KafkaSender``: batched, ordinary Kafka record batches), with exactly-once
Faust's transactional producer (``FaustSender``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Sequence
from typing import Any, cast

from faust.exceptions import ProducerSendError
from faust.types import EventT

from workers.app import Parley
from workers.batch import Batch, RawRecord, RecordTooLarge, Sender, Stream
from workers.kafka import bootstrap_list, client_options
from workers.publish.alerts import load_alert_rules
from workers.publish.envelope import EncodedRecord, source_for
from workers.settings import Settings

log = logging.getLogger(__name__)


def _headers(event: EventT) -> list[tuple[str, bytes]]:
    raw: Any = event.message.headers or []
    items: Any = raw.items() if isinstance(raw, dict) else raw
    return [(str(k), bytes(v) if v else b"") for k, v in items]


def raw_record(event: EventT) -> RawRecord:
    message = event.message
    value = message.value if isinstance(message.value, bytes) else (event.value or b"")
    timestamp = getattr(message, "timestamp", None)
    return RawRecord(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp_ms=int(timestamp * 1000) if timestamp else None,
        headers=_headers(event),
        value=value if isinstance(value, bytes) else bytes(value),
        key=message.key if isinstance(message.key, bytes) else b"",
    )


class FaustSender:
    """Sends through Faust's topics and producer (keeps exactly-once transactions)."""

    def __init__(self, parley: Parley) -> None:
        self.topics = parley.topics

    async def send(self, topic: str, record: EncodedRecord) -> Awaitable[Any]:
        try:
            future: Awaitable[Any] = await self.topics[topic].send(
                key=record.key or None, value=record.value, headers=record.headers
            )
        except ProducerSendError as exc:
            raise RecordTooLarge(str(exc)) from exc
        return future

    async def stop(self) -> None:
        return None


class KafkaSender:
    """Outputs through producers of parley's own, with ordinary multi-record batches.

    Output records go through one producer with ordinary batches: about 27
    records per article share a few produce requests. Topics whose readers
    stop at the end offset, the state journal (``workers.journal``), go
    through a second producer that, on the embedded Tansu broker
    (``PARLEY_ONE_RECORD_BATCHES``), gives every record its own batch: Tansu
    reports a partition's end as the last batch's base offset + 1, so a
    multi-record batch would hide its tail from them. Output readers keep
    reading (consumers, ``workers.harness.read_topic``), so the outputs do
    not pay for that: measured, the worker's main process spent half its CPU
    on one produce request per output record. Both producers start on first
    use and stop after the last batch is acknowledged.
    """

    def __init__(
        self, settings: Settings, bootstrap: str, exact_end_topics: frozenset[str] = frozenset()
    ) -> None:
        self.settings = settings
        self.bootstrap = bootstrap
        self.exact_end_topics = exact_end_topics
        self._producers: dict[bool, Any] = {}
        self._lock = asyncio.Lock()

    async def _started(self, exact_end: bool) -> Any:
        producer = self._producers.get(exact_end)
        if producer is None:
            async with self._lock:
                producer = self._producers.get(exact_end)
                if producer is None:
                    from aiokafka import AIOKafkaProducer

                    one_record = exact_end and self.settings.one_record_batches
                    producer = AIOKafkaProducer(
                        bootstrap_servers=bootstrap_list(self.bootstrap),
                        client_id=f"{self.settings.app_id}-{'state' if exact_end else 'outputs'}",
                        acks="all",
                        max_request_size=self.settings.max_output_bytes,
                        max_batch_size=1 if one_record else 256 * 1024,
                        # Batches are awaited together: a few ms let one
                        # article's records share a request.
                        linger_ms=5,
                        **client_options(self.settings),
                    )
                    await producer.start()
                    self._producers[exact_end] = producer
        return producer

    async def send(self, topic: str, record: EncodedRecord) -> Awaitable[Any]:
        from aiokafka.errors import MessageSizeTooLargeError

        producer = await self._started(topic in self.exact_end_topics)
        try:
            future: Awaitable[Any] = await producer.send(
                topic, record.value, key=record.key or None, headers=record.headers
            )
        except MessageSizeTooLargeError as exc:
            raise RecordTooLarge(str(exc)) from exc
        return future

    async def stop(self) -> None:
        producers, self._producers = list(self._producers.values()), {}
        for producer in producers:
            await producer.stop()


def make_sender(parley: Parley) -> FaustSender | KafkaSender:
    if parley.settings.processing_guarantee == "exactly_once":
        return FaustSender(parley)
    return KafkaSender(parley.settings, parley.bootstrap, frozenset({parley.journal_topic}))


def register_agents(parley: Parley, sender: Sender | None = None) -> Stream:
    """Register the enrich agent on the app; returns the stream state its batches share."""
    app, settings = parley.app, parley.settings
    if settings.alert_rules:
        # The NLP processes evaluate the rules; a bad file fails here, at start, in one line.
        load_alert_rules(settings.alert_rules)
    output_sender = sender or make_sender(parley)
    stream_state = Stream(
        settings=settings,
        pool=parley.pool,
        sender=output_sender,
        source=source_for(settings.app_id),
        state=parley.state,
        journal_topic=parley.journal_topic,
        writer_id=parley.writer_id,
        pending=parley.pending,
    )

    async def handle(events: Sequence[EventT]) -> None:
        # No batch before the state journal is read to its end (workers/sweeper.py).
        await parley.state_ready.wait()
        parley.health.busy_since = time.monotonic()
        try:
            await Batch(stream_state).run([raw_record(event) for event in events])
        except Exception:
            # Record-level failures are dead-lettered inside the batch; an
            # exception here (outputs that cannot be delivered, a bug) must
            # not let Faust ack the batch, which it would do when the agent
            # raises: exit instead, so the uncommitted records are consumed
            # again after the restart.
            log.critical("batch failed; exiting without acking it", exc_info=True)
            os._exit(70)
        finally:
            parley.health.busy_since = None
            parley.health.progress()

    stop = getattr(output_sender, "stop", None)
    if stop is not None:

        async def stop_sender(app: Any, *args: Any, **kwargs: Any) -> None:
            # Faust has waited for every in-flight batch by now (stream_wait_empty).
            await stop()

        app.on_before_shutdown.connect(cast(Any, stop_sender))

    # PARLEY_BATCHES_IN_FLIGHT batches per NLP process: one in the process,
    # the next decoded, deduplicated and queued behind it, the previous one
    # publishing. Faust commits only contiguous acked offsets, so
    # out-of-order batch completion is safe.
    concurrency = settings.batches_in_flight * max(settings.processes, 1)

    @app.agent(parley.raw_topic, name="enrich", concurrency=concurrency)
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

    return stream_state
