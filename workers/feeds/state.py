"""Per-feed state and the decisions made from it, as pure functions.

``FeedState`` is what the poller keeps for each feed in its Faust table
(changelog on Kafka): the validators of the last good answer, the entries
seen within a window with their content hashes, when the feed is next due,
how many errors in a row, and when it last succeeded. It is written only
after every entry of a poll was acknowledged by the broker, so a crash
between the two re-polls and re-publishes identical records, and never
skips one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any

from workers.feeds.entries import FeedEntry, _digest

# Longest Retry-After honoured; a larger value is taken as this.
MAX_RETRY_AFTER_S = 24 * 3600.0


@dataclass(frozen=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    # digest of entry id -> [content hash, last time seen (epoch s)]
    seen: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    next_due: float = 0.0
    errors: int = 0
    last_success: float | None = None
    last_outcome: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "seen": {key: [value[0], value[1]] for key, value in self.seen.items()},
            "next_due": self.next_due,
            "errors": self.errors,
            "last_success": self.last_success,
            "last_outcome": self.last_outcome,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> FeedState:
        if not data:
            return cls()
        seen = {str(k): (str(v[0]), float(v[1])) for k, v in (data.get("seen") or {}).items()}
        return cls(
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            seen=seen,
            next_due=float(data.get("next_due") or 0.0),
            errors=int(data.get("errors") or 0),
            last_success=data.get("last_success"),
            last_outcome=data.get("last_outcome"),
        )


def seen_key(entry: FeedEntry) -> str:
    return _digest(entry.entry_id, 20)


def entries_to_publish(state: FeedState, entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """New entries and entries whose content changed, oldest first, each once.

    Feeds list newest first; publishing in reverse keeps a feed's order on
    the topic. An entry repeated within one document counts once (the
    first copy, as feedparser read it).
    """
    chosen: list[FeedEntry] = []
    in_document: set[str] = set()
    for entry in entries:
        key = seen_key(entry)
        if key in in_document:
            continue
        in_document.add(key)
        known = state.seen.get(key)
        if known is None or known[0] != entry.content_hash:
            chosen.append(entry)
    chosen.reverse()
    return chosen


def after_success(
    state: FeedState,
    entries: Iterable[FeedEntry],
    *,
    now: float,
    interval_s: float,
    window_s: float,
    max_seen: int,
    etag: str | None,
    last_modified: str | None,
) -> FeedState:
    """State after a 200 whose entries were all published and acknowledged.

    Every entry in the document is remembered (refreshed) with its hash;
    entries not seen for ``window_s`` are forgotten, and at most
    ``max_seen`` of the most recently seen are kept.
    """
    seen = {k: v for k, v in state.seen.items() if now - v[1] <= window_s}
    for entry in entries:
        seen[seen_key(entry)] = (entry.content_hash, now)
    if len(seen) > max_seen:
        newest = sorted(seen.items(), key=lambda item: item[1][1], reverse=True)[:max_seen]
        seen = dict(newest)
    return replace(
        state,
        etag=etag,
        last_modified=last_modified,
        seen=seen,
        next_due=now + interval_s,
        errors=0,
        last_success=now,
        last_outcome="ok",
    )


def after_not_modified(state: FeedState, *, now: float, interval_s: float) -> FeedState:
    """State after a 304: nothing changed, the feed answered."""
    return replace(
        state, next_due=now + interval_s, errors=0, last_success=now, last_outcome="not_modified"
    )


def backoff_s(
    errors: int, interval_s: float, max_backoff_s: float, rng: random.Random | None = None
) -> float:
    """Delay before retrying after ``errors`` consecutive errors (>= 1).

    Exponential from the feed's interval, capped, with "equal jitter": half
    the delay fixed, half random, so failing feeds do not retry in step. Never
    sooner than the interval itself.
    """
    rng = rng or random.Random()
    cap = min(interval_s * 2 ** min(errors, 20), max(max_backoff_s, interval_s))
    return max(interval_s, cap / 2 + rng.uniform(0, cap / 2))


def after_error(
    state: FeedState,
    kind: str,
    *,
    now: float,
    interval_s: float,
    max_backoff_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> FeedState:
    """State after a failed poll: one more error, due again after the backoff.

    ``Retry-After`` (429, 503) is honoured: the feed is not asked again
    before it, whatever the backoff says.
    """
    errors = state.errors + 1
    delay = backoff_s(errors, interval_s, max_backoff_s, rng)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, MAX_RETRY_AFTER_S))
    return replace(state, next_due=now + delay, errors=errors, last_outcome=kind)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - now, 0.0)


class HostGate:
    """Politeness per host: one request in flight, and a minimum gap between requests.

    Pure bookkeeping over the clock values it is given; the poller asks
    ``may_start`` before each request and reports its end with ``finish``.
    ``defer`` keeps a host quiet until a time (a host-wide Retry-After).
    """

    def __init__(self, min_gap_s: float) -> None:
        self.min_gap_s = min_gap_s
        self._busy: set[str] = set()
        self._free_at: dict[str, float] = {}

    def may_start(self, host: str, now: float) -> bool:
        return host not in self._busy and now >= self._free_at.get(host, 0.0)

    def start(self, host: str) -> None:
        if host in self._busy:
            raise RuntimeError(f"a request to {host} is already in flight")
        self._busy.add(host)

    def finish(self, host: str, now: float) -> None:
        self._busy.discard(host)
        self._free_at[host] = max(self._free_at.get(host, 0.0), now + self.min_gap_s)

    def defer(self, host: str, until: float) -> None:
        self._free_at[host] = max(self._free_at.get(host, 0.0), until)

    def free_at(self, host: str) -> float:
        return self._free_at.get(host, 0.0)

    def in_flight(self, host: str) -> bool:
        return host in self._busy
