"""Per-feed state: what to publish, what to remember, when to ask again."""

from __future__ import annotations

import random
from email.utils import formatdate

import pytest

from workers.feeds.entries import FeedEntry
from workers.feeds.state import (
    MAX_RETRY_AFTER_S,
    FeedState,
    HostGate,
    after_error,
    after_not_modified,
    after_success,
    backoff_s,
    entries_to_publish,
    parse_retry_after,
    seen_key,
)


def entry(entry_id: str, body: str = "body") -> FeedEntry:
    return FeedEntry(entry_id, f"title {entry_id}", body, None, None, None)


def succeed(state: FeedState, entries: list[FeedEntry], now: float = 1000.0) -> FeedState:
    return after_success(
        state,
        entries,
        now=now,
        interval_s=60,
        window_s=3600,
        max_seen=100,
        etag='"v1"',
        last_modified="Tue, 12 Nov 2024 10:20:00 GMT",
    )


def test_first_poll_publishes_everything_oldest_first_and_repeats_once() -> None:
    newest_first = [entry("c"), entry("b"), entry("a"), entry("b")]
    assert [e.entry_id for e in entries_to_publish(FeedState(), newest_first)] == ["a", "b", "c"]


def test_seen_entries_are_skipped_and_changed_ones_republished() -> None:
    state = succeed(FeedState(), [entry("a"), entry("b")])
    later = [entry("new"), entry("b", body="corrected body"), entry("a")]
    assert [e.entry_id for e in entries_to_publish(state, later)] == ["b", "new"]
    assert entries_to_publish(succeed(state, later), later) == []


def test_success_records_validators_schedule_and_resets_errors() -> None:
    failing = after_error(FeedState(), "http_5xx", now=10, interval_s=60, max_backoff_s=600)
    state = succeed(failing, [entry("a")], now=1000)
    assert (state.etag, state.last_modified) == ('"v1"', "Tue, 12 Nov 2024 10:20:00 GMT")
    assert (state.next_due, state.errors, state.last_success, state.last_outcome) == (
        1060,
        0,
        1000,
        "ok",
    )
    assert state.seen == {seen_key(entry("a")): (entry("a").content_hash, 1000)}


def test_seen_entries_expire_after_the_window_and_are_bounded() -> None:
    state = succeed(FeedState(), [entry("old")], now=0)
    state = succeed(state, [entry("new")], now=3601)
    assert set(state.seen) == {seen_key(entry("new"))}
    many = [entry(str(i)) for i in range(150)]
    assert len(succeed(FeedState(), many).seen) == 100


def test_not_modified_keeps_validators_and_counts_as_success() -> None:
    state = succeed(FeedState(), [entry("a")], now=0)
    after = after_not_modified(state, now=500, interval_s=60)
    assert (after.etag, after.seen, after.next_due, after.last_success) == (
        state.etag,
        state.seen,
        560,
        500,
    )
    assert after.last_outcome == "not_modified"


def test_state_round_trips_through_json() -> None:
    state = succeed(FeedState(), [entry("a"), entry("b")])
    assert FeedState.from_json(state.to_json()) == state
    assert FeedState.from_json(None) == FeedState()


def test_backoff_grows_with_errors_is_capped_and_jittered() -> None:
    rng = random.Random(7)
    delays = [backoff_s(n, 10, 300, rng) for n in range(1, 9)]
    assert all(10 <= d <= 300 for d in delays)
    assert delays[0] <= 20 and delays[-1] >= 150
    spread = {round(backoff_s(4, 10, 10_000, random.Random(seed)), 3) for seed in range(20)}
    assert len(spread) > 10 and min(spread) >= 80 and max(spread) <= 160


def test_errors_count_up_and_keep_the_entries_seen() -> None:
    state = succeed(FeedState(), [entry("a")], now=0)
    once = after_error(state, "timeout", now=100, interval_s=60, max_backoff_s=600)
    twice = after_error(once, "timeout", now=200, interval_s=60, max_backoff_s=600)
    assert (once.errors, twice.errors, twice.seen, twice.etag) == (1, 2, state.seen, state.etag)
    assert twice.next_due >= 260 and twice.last_outcome == "timeout"


def test_retry_after_is_honoured_and_bounded() -> None:
    state = after_error(
        FeedState(), "http_429", now=0, interval_s=1, max_backoff_s=5, retry_after_s=120
    )
    assert state.next_due >= 120
    huge = after_error(
        FeedState(), "http_429", now=0, interval_s=1, max_backoff_s=5, retry_after_s=10**9
    )
    assert huge.next_due <= MAX_RETRY_AFTER_S + 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        (formatdate(1000 + 30, usegmt=True), 30.0),
        (formatdate(0, usegmt=True), 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=1000.0) == expected


def test_host_gate_allows_one_request_per_host_and_a_gap() -> None:
    gate = HostGate(min_gap_s=2.0)
    assert gate.may_start("a.example", 0)
    gate.start("a.example")
    assert not gate.may_start("a.example", 0) and gate.may_start("b.example", 0)
    with pytest.raises(RuntimeError):
        gate.start("a.example")
    gate.finish("a.example", 10)
    assert not gate.may_start("a.example", 11.9) and gate.may_start("a.example", 12)
    gate.defer("a.example", 100)
    assert not gate.may_start("a.example", 50) and gate.may_start("a.example", 100)
