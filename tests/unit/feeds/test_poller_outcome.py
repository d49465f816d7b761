"""The poller's glue from a fetch result to an outcome and the next state (no broker).

``Poller`` only builds its Faust app here; nothing connects. Publishing is
replaced by a stand-in that records what would be sent.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import Item, rss_document
from workers.feeds.config import FeedConfig
from workers.feeds.entries import FeedEntry
from workers.feeds.fetch import FetchResult
from workers.feeds.poller import Poller
from workers.feeds.state import FeedState
from workers.settings import Settings

FEED = FeedConfig(url="http://feeds.example.org/world.rss", interval_s=10)
BODY = "Delegations from both states met in Vienna on Monday to continue the negotiations."
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def poller(tmp_path: Path) -> Poller:
    settings = Settings(partitions=2, data_dir=tmp_path, poll_max_backoff_s=60)
    return Poller(settings, "127.0.0.1:9", [FEED])


def outcome(
    poller: Poller, result: FetchResult, state: FeedState | None = None, acked: bool = True
) -> tuple[str, FeedState, list[FeedEntry]]:
    published: list[FeedEntry] = []

    async def publish(feed: FeedConfig, entries: list[FeedEntry], fetched_at: datetime) -> bool:
        published.extend(entries)
        return acked

    poller.publish = publish  # type: ignore[method-assign]
    kind, new_state = asyncio.run(poller._outcome(FEED, state or FeedState(), result, NOW))
    return kind, new_state, published


def ok(body: bytes, etag: str | None = '"e1"') -> FetchResult:
    return FetchResult(
        status=200, url=FEED.url, body=body, content_type="application/rss+xml", etag=etag
    )


def test_new_entries_are_published_then_remembered(poller: Poller) -> None:
    body = rss_document("W", [Item("Two", BODY, guid="2"), Item("One", BODY, guid="1")])
    kind, state, published = outcome(poller, ok(body))
    assert kind == "ok" and [e.entry_id for e in published] == ["1", "2"]
    assert state.etag == '"e1"' and len(state.seen) == 2 and state.errors == 0
    again, _, republished = outcome(poller, ok(body), state)
    assert again == "ok" and republished == []


def test_unacknowledged_entries_are_not_remembered(poller: Poller) -> None:
    body = rss_document("W", [Item("One", BODY, guid="1")])
    kind, state, published = outcome(poller, ok(body), acked=False)
    assert kind == "publish" and len(published) == 1
    assert state.seen == {} and state.etag is None and state.errors == 1


def test_not_modified(poller: Poller) -> None:
    kind, state, published = outcome(poller, FetchResult(status=304, url=FEED.url))
    assert (kind, state.errors, state.last_success, published) == (
        "not_modified",
        0,
        NOW.timestamp(),
        [],
    )


def test_429_honours_retry_after_for_the_feed_and_its_host(poller: Poller) -> None:
    result = FetchResult(status=429, url=FEED.url, retry_after="120", error="http_429")
    kind, state, _ = outcome(poller, result)
    assert kind == "http_429" and state.errors == 1
    assert state.next_due >= NOW.timestamp() + 120
    assert not poller.gate.may_start(FEED.host, NOW.timestamp() + 100)
    assert poller.gate.may_start(FEED.host, NOW.timestamp() + 121)


def test_retry_after_on_other_statuses_is_ignored(poller: Poller) -> None:
    result = FetchResult(status=500, url=FEED.url, retry_after="3600", error="http_5xx")
    kind, state, _ = outcome(poller, result)
    assert kind == "http_5xx" and state.next_due < NOW.timestamp() + 3600


def test_html_is_an_error_and_keeps_what_was_seen(poller: Poller) -> None:
    seen = outcome(poller, ok(rss_document("W", [Item("One", BODY, guid="1")])))[1]
    html = FetchResult(
        status=200, url=FEED.url, body=b"<!DOCTYPE html><p>login</p>", content_type="text/html"
    )
    kind, state, published = outcome(poller, html, seen)
    assert kind == "not_a_feed" and published == []
    assert state.seen == seen.seen and state.etag == seen.etag and state.errors == 1


def test_an_empty_feed_is_a_success(poller: Poller) -> None:
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    kind, state, published = outcome(poller, ok(body))
    assert (kind, published, state.errors) == ("ok", [], 0)


def test_feeds_are_owned_by_partition(poller: Poller) -> None:
    assert poller.owned_feeds() == []
    poller.owned = set(range(2))
    assert poller.owned_feeds() == [FEED]
