from __future__ import annotations

import pytest

from workers.publish.deadletter import (
    MAX_MESSAGE_CHARS,
    NotADeadLetterError,
    dead_letter_headers,
    read_dead_letter_headers,
)


def _headers(**overrides: object) -> list[tuple[str, bytes]]:
    arguments: dict[str, object] = {
        "stage": "parse",
        "reason": "invalid_json",
        "error_class": "JSONDecodeError",
        "message": "Expecting value: line 1 column 1",
        "topic": "articles.raw",
        "partition": 3,
        "offset": 1207,
        "timestamp_ms": 1709371800000,
        "worker_version": "0.1.0",
        "original_headers": [("trace-id", b"abc"), ("source", b"wire")],
    }
    arguments.update(overrides)
    return dead_letter_headers(**arguments)  # type: ignore[arg-type]


def test_dead_letter_headers_round_trip() -> None:
    info = read_dead_letter_headers(_headers())
    assert info.stage == "parse"
    assert info.reason == "invalid_json"
    assert info.error_class == "JSONDecodeError"
    assert info.topic == "articles.raw"
    assert (info.partition, info.offset, info.timestamp_ms) == (3, 1207, 1709371800000)
    assert info.worker_version == "0.1.0"
    assert info.original_headers == [("trace-id", b"abc"), ("source", b"wire")]


def test_header_names_follow_the_parley_error_prefix() -> None:
    names = {name for name, _ in _headers()}
    assert {
        "parley.error.stage",
        "parley.error.reason",
        "parley.error.class",
        "parley.error.message",
        "parley.error.topic",
        "parley.error.partition",
        "parley.error.offset",
        "parley.error.timestamp",
        "parley.error.worker_version",
    } <= names


def test_long_messages_are_truncated() -> None:
    info = read_dead_letter_headers(_headers(message="x" * 50_000))
    assert len(info.message) == MAX_MESSAGE_CHARS
    assert info.message.endswith("[truncated]")


def test_a_replayed_dead_letter_keeps_only_the_latest_failure() -> None:
    first = _headers(stage="decode", reason="bad_utf8")
    second = read_dead_letter_headers(_headers(stage="enrich", original_headers=first))
    assert second.stage == "enrich"
    assert not any(name.startswith("parley.error.") for name, _ in second.original_headers)
    assert ("trace-id", b"abc") in second.original_headers


def test_missing_timestamp_and_none_header_values() -> None:
    info = read_dead_letter_headers(_headers(timestamp_ms=None, original_headers=[("empty", None)]))
    assert info.timestamp_ms is None
    assert info.original_headers == [("empty", b"")]


def test_ordinary_headers_are_not_a_dead_letter() -> None:
    with pytest.raises(NotADeadLetterError, match="stage"):
        read_dead_letter_headers([("ce_id", b"1")])
