"""``parley tail TOPIC``: follow an output topic live, one readable line per record.

Events and alerts print as the alert summary line; enriched articles as their
title with entity and event counts; dead letters as stage, reason and where
the original record came from. Filters (PLOVER type, country, Goldstein range,
free text) keep an operator's screen to what they are looking for.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from schemas.models import Alert, EnrichedArticle, Event, UnsupportedArticle
from workers.publish.deadletter import PREFIX as DLQ_PREFIX
from workers.publish.deadletter import NotADeadLetterError, read_dead_letter_headers
from workers.publish.envelope import RecordKind, kind_for_type
from workers.publish.summary import event_summary

HeaderList = Sequence[tuple[str, bytes | None]]

_SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "critical": "bold red"}


@dataclass(frozen=True)
class TailFilters:
    plover_types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    min_goldstein: float | None = None
    max_goldstein: float | None = None
    grep: str | None = None

    @property
    def selects_events(self) -> bool:
        return bool(
            self.plover_types
            or self.countries
            or self.min_goldstein is not None
            or self.max_goldstein is not None
        )

    def event_matches(self, event: Event) -> bool:
        if self.plover_types and event.plover.type not in self.plover_types:
            return False
        if self.countries:
            countries = {a.country for a in (event.source, event.target) if a is not None}
            if not countries & self.countries:
                return False
        if self.min_goldstein is not None and event.goldstein < self.min_goldstein:
            return False
        return self.max_goldstein is None or event.goldstein <= self.max_goldstein


@dataclass
class _Decoded:
    kind: RecordKind | None
    payload: Any = None
    events: list[Event] = field(default_factory=list)
    dead_letter: bool = False


def _header(headers: HeaderList, name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name and value is not None:
            return value.decode("utf-8", errors="replace")
    return None


def _kind(topic: str, headers: HeaderList) -> RecordKind | None:
    ce_type = _header(headers, "ce_type")
    if ce_type:
        return kind_for_type(ce_type)
    # Records without an envelope (older producers): guess from the topic name.
    for kind, hint in (
        (RecordKind.ALERT, "alert"),
        (RecordKind.EVENT, "event"),
        (RecordKind.UNSUPPORTED, "unsupported"),
        (RecordKind.ENRICHED, "enriched"),
    ):
        if hint in topic:
            return kind
    return None


def _decode(topic: str, value: bytes | None, headers: HeaderList) -> _Decoded:
    if any(name.startswith(DLQ_PREFIX) for name, _ in headers):
        return _Decoded(None, dead_letter=True)
    kind = _kind(topic, headers)
    if value is None or kind is None:
        return _Decoded(kind)
    try:
        if kind is RecordKind.EVENT:
            event = Event.model_validate_json(value)
            return _Decoded(kind, event, [event])
        if kind is RecordKind.ALERT:
            alert = Alert.model_validate_json(value)
            return _Decoded(kind, alert, [alert.event])
        if kind is RecordKind.ENRICHED:
            enriched = EnrichedArticle.model_validate_json(value)
            return _Decoded(kind, enriched, list(enriched.events))
        return _Decoded(kind, UnsupportedArticle.model_validate_json(value))
    except ValidationError:
        return _Decoded(kind)


def record_matches(
    filters: TailFilters,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    headers: HeaderList = (),
) -> bool:
    """Whether a record passes the filters.

    Event filters pass a record if any event it carries passes (an enriched
    article carries a list); records without events never pass them. ``grep``
    is a case-insensitive substring of the key, the value or the printed line.
    """
    decoded = _decode(topic, value, headers)
    if filters.selects_events and not any(filters.event_matches(e) for e in decoded.events):
        return False
    if filters.grep:
        needle = filters.grep.lower()
        haystacks = [
            (key or b"").decode("utf-8", "replace"),
            (value or b"").decode("utf-8", "replace"),
            format_record(topic, key, value, headers).plain,
        ]
        return any(needle in h.lower() for h in haystacks)
    return True


def format_record(
    topic: str, key: bytes | None, value: bytes | None, headers: HeaderList = ()
) -> Text:
    """One styled line describing the record (``.plain`` for the text)."""
    decoded = _decode(topic, value, headers)
    line = Text()
    line.append(f"{topic} ", style="dim")
    if decoded.dead_letter:
        try:
            info = read_dead_letter_headers(headers)
        except NotADeadLetterError as exc:
            line.append(f"dead letter (unreadable headers: {exc})", style="red")
            return line
        line.append("DLQ ", style="bold red")
        line.append(
            f"{info.stage}/{info.reason or '-'}  {info.error_class}  "
            f"from {info.topic}[{info.partition}]@{info.offset}"
        )
        if info.message:
            line.append(f"  {info.message[:120]}", style="dim")
        return line
    payload = decoded.payload
    if isinstance(payload, Alert):
        line.append(
            f"ALERT {payload.severity.value} ",
            style=_SEVERITY_STYLE.get(payload.severity.value, ""),
        )
        line.append(f"{payload.rule_id}{' (update)' if payload.is_update else ''}  ")
        line.append(payload.summary)
        return line
    if isinstance(payload, Event):
        line.append("EVENT ", style="bold")
        line.append(event_summary(payload))
        line.append(
            f"  x{payload.mentions}/{payload.sources} src{'  update' if payload.is_update else ''}",
            style="dim",
        )
        return line
    if isinstance(payload, EnrichedArticle):
        line.append("ARTICLE ", style="bold green")
        line.append(payload.article.title or payload.article.article_id)
        line.append(
            f"  {len(payload.entities)} entities, {len(payload.events)} events", style="dim"
        )
        return line
    if isinstance(payload, UnsupportedArticle):
        line.append("UNSUPPORTED ", style="yellow")
        line.append(f"{payload.reason} ({payload.language})  {payload.article.title}")
        return line
    shown = (value or b"").decode("utf-8", "replace")
    try:
        shown = json.dumps(json.loads(shown), ensure_ascii=False)
    except ValueError:
        pass
    line.append(f"key={(key or b'').decode('utf-8', 'replace')} ", style="dim")
    line.append(shown[:200])
    return line


class Consumer(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def topics(self) -> set[str]: ...
    def partitions_for_topic(self, topic: str) -> set[int] | None: ...
    def assign(self, partitions: list[Any]) -> None: ...
    async def seek_to_beginning(self, *partitions: Any) -> Any: ...
    async def seek_to_end(self, *partitions: Any) -> Any: ...
    async def getmany(
        self, *partitions: Any, timeout_ms: int = ..., max_records: int | None = ...
    ) -> dict[Any, list[Any]]: ...


def _aiokafka_consumer(bootstrap: str, **options: Any) -> Consumer:
    from aiokafka import AIOKafkaConsumer

    # No group: an operator's tail must not join (and rebalance) the workers' groups.
    consumer: Consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        client_id="parley-tail",
        **options,
    )
    return consumer


async def tail_async(
    bootstrap: str,
    topic: str,
    filters: TailFilters,
    from_beginning: bool,
    max_records: int | None,
    timeout_s: float | None,
    *,
    console: Console | None = None,
    consumer_options: Mapping[str, Any] | None = None,
    consumer_factory: Callable[..., Consumer] = _aiokafka_consumer,
) -> int:
    """Print matching records until ``max_records`` printed or ``timeout_s`` idle; return count.

    ``consumer_options`` go to ``AIOKafkaConsumer`` (security_protocol, sasl_*, ssl_context).
    """
    from aiokafka import TopicPartition

    console = console or Console()
    consumer = consumer_factory(bootstrap, **(consumer_options or {}))
    await consumer.start()
    printed = 0
    try:
        await consumer.topics()  # fetches metadata so the partitions are known
        partitions = sorted(consumer.partitions_for_topic(topic) or ())
        if not partitions:
            console.print(f"[red]topic {topic!r} not found[/red]")
            return 0
        assigned = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(assigned)
        if from_beginning:
            await consumer.seek_to_beginning(*assigned)
        else:
            await consumer.seek_to_end(*assigned)
        idle_since = time.monotonic()
        while max_records is None or printed < max_records:
            batches = await consumer.getmany(timeout_ms=500)
            records = [r for batch in batches.values() for r in batch]
            if not records:
                if timeout_s is not None and time.monotonic() - idle_since >= timeout_s:
                    break
                continue
            idle_since = time.monotonic()
            for record in sorted(records, key=lambda r: (r.partition, r.offset)):
                headers = list(record.headers or ())
                if not record_matches(filters, record.topic, record.key, record.value, headers):
                    continue
                console.print(format_record(record.topic, record.key, record.value, headers))
                printed += 1
                if max_records is not None and printed >= max_records:
                    break
    finally:
        await consumer.stop()
    return printed


def tail(
    bootstrap: str,
    topic: str,
    filters: TailFilters,
    from_beginning: bool,
    max_records: int | None,
    timeout_s: float | None,
    console: Console | None = None,
    consumer_options: Mapping[str, Any] | None = None,
) -> int:
    """Blocking entry point for the ``parley tail`` command; returns records printed."""
    return asyncio.run(
        tail_async(
            bootstrap,
            topic,
            filters,
            from_beginning,
            max_records,
            timeout_s,
            console=console,
            consumer_options=consumer_options,
        )
    )
