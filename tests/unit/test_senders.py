"""The two output senders translate "too large" into ``RecordTooLarge``; no broker.

``FaustSender`` (exactly-once: Faust's transactional producer) and
``KafkaSender`` (at-least-once: parley's own batching producer) are driven
with stand-ins for a Faust topic and an aiokafka producer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError

from workers.agents import FaustSender, KafkaSender
from workers.batch import RecordTooLarge
from workers.publish.envelope import EncodedRecord
from workers.settings import Settings

RECORD = EncodedRecord(b"key", b"value", [("ce_id", b"1")])


class Topic:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> Any:
        if self.error:
            raise self.error
        self.sent.append(kwargs)
        return "delivery"


class Producer:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[tuple[Any, ...]] = []

    async def send(self, topic: str, value: bytes, **kwargs: Any) -> Any:
        if self.error:
            raise self.error
        self.sent.append((topic, value, kwargs))
        return "delivery"


class Parley:
    def __init__(self, topic: Topic) -> None:
        self.topics = {"out": topic}


def test_faust_sender_sends_key_value_and_headers() -> None:
    topic = Topic()
    delivery = asyncio.run(FaustSender(Parley(topic)).send("out", RECORD))  # type: ignore[arg-type]
    assert delivery == "delivery"
    assert topic.sent == [{"key": b"key", "value": b"value", "headers": [("ce_id", b"1")]}]


def test_faust_sender_reports_a_record_too_large() -> None:
    sender = FaustSender(Parley(Topic(ProducerSendError("too big"))))  # type: ignore[arg-type]
    with pytest.raises(RecordTooLarge):
        asyncio.run(sender.send("out", RECORD))


def test_kafka_sender_sends_and_reports_a_record_too_large() -> None:
    sender = KafkaSender(Settings(), "127.0.0.1:9")
    outputs = sender._producers[False] = Producer()
    assert asyncio.run(sender.send("out", RECORD)) == "delivery"
    assert outputs.sent == [("out", b"value", {"key": b"key", "headers": RECORD.headers})]
    sender._producers[False] = Producer(MessageSizeTooLargeError("too big"))
    with pytest.raises(RecordTooLarge):
        asyncio.run(sender.send("out", RECORD))


def test_kafka_sender_sends_the_state_journal_through_its_own_producer() -> None:
    sender = KafkaSender(Settings(), "127.0.0.1:9", frozenset({"journal"}))
    outputs = sender._producers[False] = Producer()
    journal = sender._producers[True] = Producer()
    asyncio.run(sender.send("journal", RECORD))
    asyncio.run(sender.send("out", RECORD))
    assert [topic for topic, *_ in journal.sent] == ["journal"]
    assert [topic for topic, *_ in outputs.sent] == ["out"]
