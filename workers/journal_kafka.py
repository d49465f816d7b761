"""The state journal on Kafka: its topic, and reading it with a plain consumer.

The journal has one partition and is read by every worker from start to end
with ``assign()`` (no consumer group: every worker reads all of it). Records
are written through ``workers.agents.KafkaSender``, whose journal producer
gives every record its own batch on the embedded Tansu broker, so the end
offset ListOffsets answers is exact there too.
"""

from __future__ import annotations

from typing import Any

from workers.journal import JournalRecord
from workers.kafka import bootstrap_list, client_options
from workers.settings import Settings

DAY_S = 24 * 3600


def journal_topic(settings: Settings) -> str:
    return f"{settings.app_id}-state-journal"


def journal_topic_config(settings: Settings) -> dict[str, str]:
    """Delete (not compact) past the longest window plus a day (see workers/journal.py)."""
    retention_s = max(settings.dedup_window_s, settings.link_window_s) + DAY_S
    return {
        "cleanup.policy": "delete",
        "retention.ms": str(int(retention_s * 1000)),
        "max.message.bytes": str(settings.max_output_bytes),
    }


class KafkaJournalSource:
    """Reads partition 0 of the journal topic from a given offset, with no group."""

    def __init__(self, settings: Settings, bootstrap: str) -> None:
        self.settings = settings
        self.bootstrap = bootstrap
        self.topic = journal_topic(settings)
        self._consumer: Any = None
        self._tp: Any = None

    async def _started(self) -> Any:
        if self._consumer is None:
            from aiokafka import AIOKafkaConsumer, TopicPartition

            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap_list(self.bootstrap),
                client_id=f"{self.settings.app_id}-state-journal",
                group_id=None,
                enable_auto_commit=False,
                # Records older than the retention are gone: start at the oldest left.
                auto_offset_reset="earliest",
                fetch_max_wait_ms=min(self.settings.fetch_max_wait_ms, 500),
                max_partition_fetch_bytes=max(self.settings.max_output_bytes, 1024 * 1024),
                **client_options(self.settings),
            )
            await consumer.start()
            self._tp = TopicPartition(self.topic, 0)
            consumer.assign([self._tp])
            self._consumer = consumer
        return self._consumer

    async def seek(self, offset: int) -> None:
        consumer = await self._started()
        consumer.seek(self._tp, offset)

    async def end_offset(self) -> int:
        consumer = await self._started()
        ends = await consumer.end_offsets([self._tp])
        return int(ends[self._tp])

    async def fetch(self, timeout_s: float) -> list[JournalRecord]:
        consumer = await self._started()
        batches = await consumer.getmany(self._tp, timeout_ms=int(timeout_s * 1000))
        return [
            JournalRecord(
                offset=message.offset,
                value=message.value or b"",
                headers=[(str(k), bytes(v or b"")) for k, v in (message.headers or ())],
            )
            for message in batches.get(self._tp, [])
        ]

    async def stop(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            await consumer.stop()
