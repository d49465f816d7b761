"""Publish raw article inputs to a raw topic (``parley produce``, the demo, bench)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from aiokafka import AIOKafkaProducer
from rich.progress import Progress

from workers.kafka import client_options
from workers.settings import Settings


class RawLike(Protocol):
    @property
    def value(self) -> bytes: ...

    @property
    def content_type(self) -> str | None: ...


async def produce_inputs(
    settings: Settings,
    bootstrap: str,
    topic: str,
    raws: Sequence[RawLike],
    progress: bool = False,
) -> int:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        max_request_size=16 * 1024 * 1024,
        **client_options(settings),
    )
    await producer.start()
    try:
        futures = []
        with Progress(disable=not progress, transient=True) as bar:
            task = bar.add_task(f"producing to {topic}", total=len(raws))
            for raw in raws:
                headers = [("content-type", raw.content_type.encode())] if raw.content_type else []
                futures.append(await producer.send(topic, raw.value, headers=headers))
                bar.advance(task)
        for future in futures:
            await future
        return len(futures)
    finally:
        await producer.stop()
