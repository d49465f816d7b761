from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from typing import Any

from aiokafka import TopicPartition
from rich.console import Console

from schemas.models import Alert, Severity
from tests.unit.publish import factories
from workers.publish.deadletter import dead_letter_headers
from workers.publish.envelope import encode_alert, encode_enriched, encode_event
from workers.tail import TailFilters, format_record, record_matches, tail_async


def test_event_line_is_the_summary_with_counts() -> None:
    event = factories.event(mentions=3).model_copy(update={"sources": 2, "is_update": True})
    key, value, headers = encode_event(event)
    line = format_record("events.diplomatic", key, value, headers).plain
    assert "RUS -> USA  SANCTION (expel diplomats)  Goldstein -7.0  Moscow  2024-03-02" in line
    assert "x3/2" in line and "update" in line


def test_alert_line_shows_severity_rule_and_summary() -> None:
    alert = Alert(
        alert_id="a",
        rule_id="watch",
        severity=Severity.CRITICAL,
        is_update=True,
        summary="RUS -> USA  SANCTION (expel)",
        event=factories.event(),
    )
    line = format_record("alerts.diplomatic", *encode_alert(alert)).plain
    assert line == "alerts.diplomatic ALERT critical watch (update)  RUS -> USA  SANCTION (expel)"


def test_enriched_line_shows_title_and_counts() -> None:
    line = format_record("articles.enriched", *encode_enriched(factories.enriched())).plain
    assert "Moscow expels American diplomats" in line
    assert "0 entities, 1 events" in line


def test_dead_letter_line_shows_stage_reason_and_origin() -> None:
    headers = dead_letter_headers(
        stage="parse",
        reason="invalid_json",
        error_class="JSONDecodeError",
        message="bad",
        topic="articles.raw",
        partition=2,
        offset=77,
        timestamp_ms=None,
        worker_version="0.1.0",
    )
    line = format_record("articles.dlq", b"k", b"{not json", headers).plain
    assert "DLQ parse/invalid_json  JSONDecodeError  from articles.raw[2]@77" in line


def test_unknown_record_falls_back_to_key_and_value() -> None:
    line = format_record("other", b"k1", b'{"a": 1}', []).plain
    assert line == 'other key=k1 {"a": 1}'


def test_event_filters() -> None:
    _, value, headers = encode_event(
        factories.event(source="IRN", target="ISR", plover="ASSAULT", goldstein=-10.0)
    )

    def matches(**kwargs: Any) -> bool:
        return record_matches(TailFilters(**kwargs), "events.diplomatic", None, value, headers)

    assert matches()
    assert matches(plover_types=frozenset({"ASSAULT"}))
    assert not matches(plover_types=frozenset({"CONSULT"}))
    assert matches(countries=frozenset({"ISR"}))
    assert not matches(countries=frozenset({"USA"}))
    assert matches(max_goldstein=-9.0)
    assert not matches(min_goldstein=-5.0)
    assert matches(grep="moscow")
    assert not matches(grep="pyongyang")


def test_enriched_article_passes_if_any_of_its_events_passes() -> None:
    _, value, headers = encode_enriched(factories.enriched())
    assert record_matches(
        TailFilters(plover_types=frozenset({"SANCTION"})), "articles.enriched", None, value, headers
    )
    assert not record_matches(
        TailFilters(plover_types=frozenset({"AID"})), "articles.enriched", None, value, headers
    )


def test_event_filters_reject_records_without_events() -> None:
    headers = dead_letter_headers(
        stage="decode",
        reason="bad_utf8",
        error_class="UnicodeDecodeError",
        message="",
        topic="articles.raw",
        partition=0,
        offset=1,
        timestamp_ms=None,
        worker_version="0",
    )
    assert not record_matches(
        TailFilters(countries=frozenset({"RUS"})), "articles.dlq", None, b"\xff", headers
    )
    assert record_matches(TailFilters(grep="bad_utf8"), "articles.dlq", None, b"\xff", headers)


@dataclass
class FakeRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


@dataclass
class FakeConsumer:
    batches: list[list[FakeRecord]]
    assigned: list[TopicPartition] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    stopped: bool = False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.stopped = True

    async def topics(self) -> set[str]:
        return {"events.diplomatic"}

    def partitions_for_topic(self, topic: str) -> set[int] | None:
        return {0, 1} if topic == "events.diplomatic" else None

    def assign(self, partitions: list[Any]) -> None:
        self.assigned = partitions

    async def seek_to_beginning(self, *partitions: Any) -> None:
        self.seeks.append("beginning")

    async def seek_to_end(self, *partitions: Any) -> None:
        self.seeks.append("end")

    async def getmany(
        self, *partitions: Any, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[Any, list[Any]]:
        if self.batches:
            batch = self.batches.pop(0)
            return {TopicPartition("events.diplomatic", 0): batch}
        await asyncio.sleep(0.01)
        return {}


def _record(offset: int, plover: str) -> FakeRecord:
    key, value, headers = encode_event(factories.event(event_id=f"e{offset}", plover=plover))
    return FakeRecord("events.diplomatic", 0, offset, key, value, headers)


def test_tail_assigns_all_partitions_filters_and_stops_at_max_records() -> None:
    consumer = FakeConsumer(
        [
            [_record(0, "CONSULT"), _record(1, "SANCTION")],
            [_record(2, "SANCTION"), _record(3, "SANCTION")],
        ]
    )
    out = io.StringIO()
    printed = asyncio.run(
        tail_async(
            "unused:9092",
            "events.diplomatic",
            TailFilters(plover_types=frozenset({"SANCTION"})),
            from_beginning=True,
            max_records=2,
            timeout_s=5.0,
            console=Console(file=out, width=200, color_system=None),
            consumer_factory=lambda _bootstrap: consumer,
        )
    )
    assert printed == 2
    assert {tp.partition for tp in consumer.assigned} == {0, 1}
    assert consumer.seeks == ["beginning"]
    assert consumer.stopped
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and all("SANCTION" in line for line in lines)


def test_tail_stops_when_idle_past_the_timeout_and_reports_missing_topics() -> None:
    consumer = FakeConsumer([[_record(0, "CONSULT")]])
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    printed = asyncio.run(
        tail_async(
            "x",
            "events.diplomatic",
            TailFilters(),
            from_beginning=False,
            max_records=None,
            timeout_s=0.05,
            console=console,
            consumer_factory=lambda _b: consumer,
        )
    )
    assert printed == 1
    assert consumer.seeks == ["end"]
    missing = asyncio.run(
        tail_async(
            "x",
            "nope",
            TailFilters(),
            from_beginning=True,
            max_records=None,
            timeout_s=0.05,
            console=console,
            consumer_factory=lambda _b: FakeConsumer([]),
        )
    )
    assert missing == 0
    assert "topic 'nope' not found" in out.getvalue()
