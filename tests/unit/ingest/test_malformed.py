"""The malformed corpus: each record fails with the right stage and reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.ingest import ALL_REASONS, INGEST_REASONS, IngestError, parse_record

from .conftest import FIXTURES, NOW

GOOD_ARTICLE = b'{"title": "Oman hosts talks", "body": "Oman hosted talks in Muscat on Sunday."}'


def failure(value: bytes, **kwargs: object) -> IngestError:
    with pytest.raises(IngestError) as caught:
        parse_record(value, now=NOW, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.reason in INGEST_REASONS[error.stage]
    return error


def fixture(name: str) -> bytes:
    return (FIXTURES / "malformed" / name).read_bytes()


@pytest.mark.parametrize(
    ("value", "content_type", "stage", "reason"),
    [
        pytest.param(
            b'{"title": "Caf\xe9 talks", "body": "x"}',
            None,
            "decode",
            "invalid_utf8",
            id="invalid-utf8",
        ),
        pytest.param(fixture("truncated.json"), None, "parse", "invalid_json", id="truncated"),
        pytest.param(fixture("wrong_types.json"), None, "validate", "wrong_type", id="wrong-types"),
        pytest.param(fixture("empty_body.json"), None, "validate", "empty_body", id="empty-body"),
        pytest.param(
            fixture("missing_title.json"), None, "validate", "missing_title", id="missing-title"
        ),
        pytest.param(fixture("future.json"), None, "validate", "future_timestamp", id="future"),
        pytest.param(fixture("entity_bomb.rss"), None, "parse", "unsafe_xml", id="entity-bomb"),
        pytest.param(b"", None, "decode", "empty_record", id="empty"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            None,
            "decode",
            "binary_content",
            id="binary-garbage",
        ),
        pytest.param(
            bytes(range(256)) * 8, "text/plain", "decode", "binary_content", id="all-bytes"
        ),
        pytest.param(b"42", "application/json", "validate", "wrong_type", id="json-scalar"),
        pytest.param(b"[]", "application/json", "parse", "empty_feed", id="empty-array"),
        pytest.param(
            b"<html><body>hi</body></html>", None, "parse", "unknown_format", id="html-page"
        ),
        pytest.param(
            b'{"title": "T", "body": "B", "published_at": "not a date at all"}',
            None,
            "validate",
            "invalid_timestamp",
            id="bad-date",
        ),
        pytest.param(
            b'{"title": "T", "body": "B", "published_at": {"y": 2024}}',
            None,
            "validate",
            "wrong_type",
            id="date-object",
        ),
        pytest.param(
            b"Only a title line\n\n", "text/plain", "validate", "empty_body", id="wire-title-only"
        ),
        pytest.param(
            b'<rss version="2.0"><channel><title>x</title></channel></rss>',
            None,
            "parse",
            "empty_feed",
            id="feed-without-items",
        ),
        pytest.param(
            b"this is not xml at all",
            "application/rss+xml",
            "parse",
            "invalid_feed",
            id="not-a-feed",
        ),
    ],
)
def test_malformed_record(value: bytes, content_type: str | None, stage: str, reason: str) -> None:
    error = failure(value, content_type=content_type)
    assert (error.stage, error.reason) == (stage, reason)
    assert error.message


def test_record_above_size_limit_is_too_large() -> None:
    padding = "The envoys met again. " * (5 * 1024 * 1024 // 22)
    big = f'{{"title": "Long talks", "body": "{padding}"}}'.encode()
    assert len(big) > 5 * 1024 * 1024
    error = failure(big)
    assert (error.stage, error.reason) == ("decode", "too_large")
    assert failure(GOOD_ARTICLE, max_bytes=10).reason == "too_large"


def test_naive_timestamp_is_accepted_as_utc_and_flagged() -> None:
    [article] = parse_record(fixture("naive_timestamp.json"), now=NOW)
    assert article.published_at == datetime(2024, 4, 9, 13, 30, tzinfo=UTC)
    assert article.published_at_assumed_utc


def test_slightly_future_timestamp_within_allowance_is_accepted() -> None:
    soon = (NOW + timedelta(hours=3)).isoformat()
    value = f'{{"title": "T", "body": "Body text.", "published_at": "{soon}"}}'.encode()
    [article] = parse_record(value, now=NOW)
    assert article.published_at == NOW + timedelta(hours=3)
    assert failure(value, max_future=timedelta(hours=1)).reason == "future_timestamp"


def test_one_bad_object_fails_the_whole_array_and_names_it() -> None:
    value = b"[" + GOOD_ARTICLE + b', {"title": "No body"}]'
    error = failure(value)
    assert (error.stage, error.reason) == ("validate", "empty_body")
    assert "item 1" in error.message


def test_bad_line_in_json_lines_names_the_line() -> None:
    value = GOOD_ARTICLE + b"\n{broken\n"
    error = failure(value, content_type="application/x-ndjson")
    assert (error.stage, error.reason) == ("parse", "invalid_json")
    assert "line 2" in error.message


def test_utf16_entity_bomb_is_refused_too() -> None:
    value = fixture("entity_bomb.rss").decode().replace('<?xml version="1.0"?>', "")
    error = failure(value.encode("utf-16"), content_type="application/rss+xml")
    assert error.reason == "unsafe_xml"


def test_reasons_are_a_bounded_snake_case_set() -> None:
    assert all(reason.isidentifier() and reason.islower() for reason in ALL_REASONS)
    with pytest.raises(ValueError, match="unknown ingest"):
        IngestError("decode", "something_else", "x")


def test_utf16_feed_with_declaration_is_read() -> None:
    feed = (FIXTURES / "good" / "feed.atom").read_text()
    feed = feed.replace('encoding="utf-8"', 'encoding="UTF-16"')
    [article] = parse_record(feed.encode("utf-16"), now=NOW)
    assert article.title == "Finland condemns Russian airspace incursion"
