"""The Faust layer of ``parley poll``: who polls which feed, when, and what is kept.

Design (README, "Following feeds"):

- **Ownership is Kafka's.** Every poller joins one consumer group
  (``<PARLEY_APP_ID>-poll``) on the topic ``<PARLEY_APP_ID>-poll-feeds``. A
  feed belongs to the partition its URL hashes to (the producer's murmur2,
  the same function that places the feed's state record in the table's
  changelog), so each poller polls the feeds of its assigned partitions
  and nothing else. A rebalance moves a feed together with its state.
- **State is a Faust table** (``feed-state``, changelog on Kafka) keyed by
  feed URL. The schedule loop writes it outside any event
  (``use_partitioner``: the changelog partition comes from the key), and
  only after every entry of the poll was acknowledged by the broker.
- **Rebalances do not repeat.** Polling stops when a rebalance starts; on
  revocation the poller waits for its in-flight polls to write their state
  and flushes the producer before the partitions move; the new owner
  polls only after Faust recovered the table from the changelog.
- **Politeness is per process**: one request per host in flight and a
  minimum gap (``HostGate``). Two pollers may ask one host at once when its
  feeds hash to partitions owned by different pollers.

Fetching, parsing, identity and state transitions are pure
(``workers.feeds.{fetch,entries,state}``); this module only wires them to
Faust, the clock and the metrics.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka.partitioner import murmur2
from faust.types import TP

from workers.feeds import metrics
from workers.feeds.config import FeedConfig
from workers.feeds.entries import (
    FeedEntry,
    FeedParseError,
    article_record,
    parse_entries,
    record_headers,
)
from workers.feeds.fetch import Fetcher, FetchLimits, FetchResult
from workers.feeds.state import (
    FeedState,
    HostGate,
    after_error,
    after_not_modified,
    after_success,
    entries_to_publish,
    parse_retry_after,
)
from workers.settings import Settings
from workers.web import register_health_pages

log = logging.getLogger("parley.poll")

# How often the schedule loop looks for due feeds, seconds.
_TICK_S = 0.1
# Longest a revocation waits for in-flight polls before cancelling them.
_REVOKE_WAIT_S = 5.0
# At most this many entries are remembered per feed (keeps a state record
# well under the 1 MB default max.message.bytes of its changelog).
_MAX_SEEN = 2_000


def feed_partition(url: str, partitions: int) -> int:
    """The partition a feed belongs to: aiokafka's default partitioner on the URL bytes.

    Faust sends the feed's state record (key: the URL) to the changelog
    partition this same function picks, so owning partition p of the feeds
    topic means holding the active state of exactly these feeds.
    """
    return (murmur2(url.encode("utf-8")) & 0x7FFFFFFF) % partitions


@dataclass
class PollerHealth:
    started_at: float = field(default_factory=time.monotonic)
    last_tick: float = field(default_factory=time.monotonic)
    assigned_once: bool = False
    broker_reachable: bool = False

    def liveness(self, stuck_after_s: float, now: float | None = None) -> tuple[bool, str]:
        now = time.monotonic() if now is None else now
        if self.assigned_once and now - self.last_tick > stuck_after_s:
            return False, f"schedule loop idle for {now - self.last_tick:.0f}s"
        return True, "ok"

    def readiness(self) -> tuple[bool, dict[str, bool]]:
        checks = {"broker_reachable": self.broker_reachable, "assigned": self.assigned_once}
        return all(checks.values()), checks


class Poller:
    """One ``parley poll`` process: the Faust app, its feeds, and the schedule loop."""

    def __init__(self, settings: Settings, bootstrap: str, feeds: list[FeedConfig]) -> None:
        from workers.faust_app import faust_app

        self.settings = settings
        self.feeds = feeds
        self.partitions = settings.partitions
        self.app = faust_app(
            settings,
            bootstrap,
            app_id=settings.poll_app_id,
            web_port=settings.poll_web_port,
            datadir=str(settings.data_dir / "poll"),
        )
        self.feeds_topic = self.app.topic(
            settings.poll_feeds_topic,
            key_serializer="raw",
            value_serializer="raw",
            partitions=self.partitions,
        )
        self.output = self.app.topic(
            settings.raw_topics[0],
            key_serializer="raw",
            value_serializer="raw",
            partitions=self.partitions,
        )
        self.table: Any = self.app.Table(
            "feed-state",
            default=None,
            partitions=self.partitions,
            # bytes keys are serialized raw: the changelog partition is
            # murmur2 of the URL's bytes, as feed_partition computes.
            key_type=bytes,
            use_partitioner=True,
        )
        self.fetcher = Fetcher(
            FetchLimits(
                connect_timeout_s=settings.poll_connect_timeout_s,
                read_timeout_s=settings.poll_read_timeout_s,
                max_bytes=settings.poll_max_bytes,
                max_redirects=settings.poll_max_redirects,
            )
        )
        self.gate = HostGate(settings.poll_min_host_gap_s)
        self.health = PollerHealth()
        self.owned: set[int] = set()
        self.owned_since: dict[str, float] = {}
        # url -> (next due, last success) of owned feeds: the schedule loop
        # looks here ten times a second instead of decoding every state.
        self.schedule: dict[str, tuple[float, float | None]] = {}
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        self.by_partition: dict[int, list[FeedConfig]] = {}
        for feed in feeds:
            self.by_partition.setdefault(feed_partition(feed.url, self.partitions), []).append(feed)
        self._register()

    # ------------------------------------------------------------ ownership
    def owned_feeds(self) -> list[FeedConfig]:
        return [feed for p in sorted(self.owned) for feed in self.by_partition.get(p, [])]

    def _feeds_partitions(self, tps: set[TP]) -> set[int]:
        return {tp.partition for tp in tps if tp.topic == self.settings.poll_feeds_topic}

    async def _on_rebalance_complete(self) -> None:
        """Tables are recovered: take the feeds of the assigned partitions."""
        assignment = set(self.app.consumer.assignment())
        self.owned = self._feeds_partitions(assignment)
        now = time.time()
        current = {feed.url for feed in self.owned_feeds()}
        self.owned_since = {url: self.owned_since.get(url, now) for url in current}
        self.schedule = {}
        for feed in self.owned_feeds():
            state = self.state_of(feed)
            self.schedule[feed.url] = (state.next_due, state.last_success)
        self.health.assigned_once = True
        metrics.FEEDS_OWNED.set(len(current))
        log.info(
            "poller owns partitions %s: %d of %d feed(s)",
            sorted(self.owned),
            len(current),
            len(self.feeds),
        )

    async def _on_revoked(self, revoked: set[TP]) -> None:
        """Stop polling revoked feeds; let in-flight polls write their state first."""
        lost = self._feeds_partitions(revoked)
        self.owned -= lost
        await self._finish_polls(lost)
        await self.app.producer.flush()

    async def _on_shutdown(self) -> None:
        """Stopping: no new polls; the ones in flight publish and write their state."""
        self.owned = set()
        await self._finish_polls(None)
        await self.fetcher.close()

    async def _finish_polls(self, partitions: set[int] | None) -> None:
        """Wait (bounded) for the polls in flight of ``partitions`` (None: all), then cancel."""
        tasks = [
            task
            for url, task in self.in_flight.items()
            if partitions is None or feed_partition(url, self.partitions) in partitions
        ]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=_REVOKE_WAIT_S)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
                log.warning(
                    "cancelled %d poll(s) still running after %.0fs", len(pending), _REVOKE_WAIT_S
                )

    # ------------------------------------------------------------ schedule
    def state_of(self, feed: FeedConfig) -> FeedState:
        return FeedState.from_json(self.table.get(feed.url.encode("utf-8")))

    async def schedule_loop(self) -> None:
        while not self.app.should_stop:
            await asyncio.sleep(_TICK_S)
            self.health.last_tick = time.monotonic()
            if self.app.rebalancing or not self.owned:
                continue
            now = time.time()
            for feed in self.owned_feeds():
                if feed.url in self.in_flight:
                    continue
                next_due, _ = self.schedule.get(feed.url, (0.0, None))
                if next_due > now or not self.gate.may_start(feed.host, now):
                    continue
                self.gate.start(feed.host)
                task = asyncio.ensure_future(self.poll(feed, self.state_of(feed)))
                self.in_flight[feed.url] = task
                task.add_done_callback(self._forget(feed.url))

    def _forget(self, url: str) -> Callable[[asyncio.Task[None]], None]:
        def forget(task: asyncio.Task[None]) -> None:
            self.in_flight.pop(url, None)
            if not task.cancelled() and task.exception() is not None:
                log.error("poll of %s failed: %r", url, task.exception())

        return forget

    async def poll(self, feed: FeedConfig, state: FeedState) -> None:
        """One poll of one feed: fetch, publish what is new, then write the state."""
        try:
            result = await self.fetcher.fetch(
                feed.url,
                headers=feed.request_headers(),
                private_headers=frozenset({feed.credential_header.lower()})
                if feed.credential is not None
                else frozenset(),
                etag=state.etag,
                last_modified=state.last_modified,
            )
        finally:
            self.gate.finish(feed.host, time.time())
        fetched_at = datetime.now(UTC)
        try:
            outcome, new_state = await self._outcome(feed, state, result, fetched_at)
        except Exception as exc:  # noqa: BLE001 - a parser bug is this feed's problem only
            self._log_failure(feed, "internal", result.status, f"{type(exc).__name__}: {exc}")
            outcome = "internal"
            new_state = self._failed(feed, state, outcome, fetched_at.timestamp(), None)
        metrics.POLLS.labels(outcome).inc()
        # Reached only by a poll that was not cancelled: either its feed is
        # still owned, or a revocation is waiting for exactly this write.
        self.table[feed.url.encode("utf-8")] = new_state.to_json()
        self.schedule[feed.url] = (new_state.next_due, new_state.last_success)

    async def _outcome(
        self, feed: FeedConfig, state: FeedState, result: FetchResult, fetched_at: datetime
    ) -> tuple[str, FeedState]:
        now = fetched_at.timestamp()
        if result.error is not None:
            retry_after = parse_retry_after(result.retry_after, now)
            if retry_after is not None and result.status in (429, 503):
                self.gate.defer(feed.host, now + retry_after)
            else:
                retry_after = None
            self._log_failure(feed, result.error, result.status, result.message)
            return result.error, self._failed(feed, state, result.error, now, retry_after)
        if result.not_modified:
            return "not_modified", after_not_modified(state, now=now, interval_s=feed.interval_s)
        try:
            entries = parse_entries(result.body, result.content_type)
        except FeedParseError as exc:
            if exc.kind != "empty_feed":
                self._log_failure(feed, exc.kind, result.status, str(exc))
                return exc.kind, self._failed(feed, state, exc.kind, now, None)
            entries = []
        fresh = entries_to_publish(state, entries)
        if fresh and not await self.publish(feed, fresh, fetched_at):
            self._log_failure(feed, "publish", result.status, "entries not acknowledged")
            return "publish", self._failed(feed, state, "publish", now, None)
        if fresh:
            log.info("feed %s: %d new or changed entr(ies) published", feed.url, len(fresh))
        return "ok", after_success(
            state,
            entries,
            now=now,
            interval_s=feed.interval_s,
            window_s=self.settings.poll_seen_window_s,
            max_seen=_MAX_SEEN,
            etag=result.etag,
            last_modified=result.last_modified,
        )

    def _failed(
        self,
        feed: FeedConfig,
        state: FeedState,
        kind: str,
        now: float,
        retry_after: float | None,
    ) -> FeedState:
        return after_error(
            state,
            kind,
            now=now,
            interval_s=feed.interval_s,
            max_backoff_s=self.settings.poll_max_backoff_s,
            retry_after_s=retry_after,
        )

    def _log_failure(self, feed: FeedConfig, kind: str, status: int | None, message: str) -> None:
        log.warning(
            "feed %s failed: class=%s status=%s: %s",
            feed.url,
            kind,
            status if status is not None else "-",
            message[:200],
        )

    async def publish(
        self, feed: FeedConfig, entries: list[FeedEntry], fetched_at: datetime
    ) -> bool:
        """Send every entry and wait for the broker's acknowledgements; False if any failed."""
        try:
            futures = [
                await self.output.send(
                    key=entry.entry_id.encode("utf-8"),
                    value=article_record(entry, feed),
                    headers=record_headers(entry, feed, fetched_at),
                )
                for entry in entries
            ]
            results = await asyncio.gather(*futures, return_exceptions=True)
        except Exception as exc:  # noqa: BLE001 - a send that cannot start is a failed poll
            log.warning("feed %s: publish failed: %s", feed.url, exc)
            return False
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            log.warning(
                "feed %s: %d entr(ies) not acknowledged: %s", feed.url, len(failed), failed[0]
            )
            return False
        metrics.ENTRIES_PUBLISHED.inc(len(entries))
        return True

    # ------------------------------------------------------------ observe
    def observe_staleness(self) -> None:
        now = time.time()
        worst = 0.0
        worst_ratio = 0.0
        for feed in self.owned_feeds():
            last_success = self.schedule.get(feed.url, (0.0, None))[1]
            since = last_success or self.owned_since.get(feed.url, now)
            staleness = max(now - since, 0.0)
            metrics.STALENESS.observe(staleness)
            worst = max(worst, staleness)
            worst_ratio = max(worst_ratio, staleness / feed.interval_s)
        metrics.STALENESS_MAX.set(worst)
        metrics.STALENESS_RATIO_MAX.set(worst_ratio)

    def _producer_connected(self) -> bool:
        try:
            client = self.app.producer._producer  # type: ignore[attr-defined]
            inner = getattr(client, "client", None)
            return bool(inner is not None and inner.cluster.brokers())
        except Exception:  # noqa: BLE001 - any failure means "not known reachable"
            return False

    # ------------------------------------------------------------ wiring
    def _register(self) -> None:
        app, settings, health = self.app, self.settings, self.health
        metrics.zero_outcomes()

        @app.agent(self.feeds_topic, name="feeds")
        async def feeds_agent(stream: Any) -> None:
            # The topic carries no records: the agent's subscription is what
            # gives this process partitions (and the table's active state).
            async for _record in stream:
                pass

        async def on_rebalance_complete(
            sender: Any, *args: Any, signal: Any = None, **kwargs: Any
        ) -> None:
            await self._on_rebalance_complete()

        async def on_revoked(sender: Any, *args: Any, signal: Any = None, **kwargs: Any) -> None:
            revoked: set[TP] = set(args[0] if args else kwargs.get("revoked") or ())
            await self._on_revoked(revoked)

        @app.task
        async def schedule() -> None:
            await self.schedule_loop()

        @app.timer(interval=2.0)
        async def observe() -> None:
            health.broker_reachable = self._producer_connected()
            self.observe_staleness()
            metrics.READY.set(1 if health.readiness()[0] else 0)

        register_health_pages(
            app,
            health,
            metrics.REGISTRY,
            settings.stuck_after_s,
            extra_readiness=lambda: {"feeds_owned": len(self.owned_feeds())},
        )

        async def on_shutdown(sender: Any, *args: Any, signal: Any = None, **kwargs: Any) -> None:
            await self._on_shutdown()

        # Faust's signal stubs do not type async receivers; connect untyped.
        signals: list[tuple[Any, Any]] = [
            (app.on_rebalance_complete, on_rebalance_complete),
            (app.on_partitions_revoked, on_revoked),
            (app.on_before_shutdown, on_shutdown),
        ]
        for signal_, receiver in signals:
            signal_.connect(receiver)


def summary(feeds: list[FeedConfig], partitions: int) -> dict[int, int]:
    """How many feeds hash to each partition (logged at start)."""
    counts: dict[int, int] = {}
    for feed in feeds:
        p = feed_partition(feed.url, partitions)
        counts[p] = counts.get(p, 0) + 1
    return counts
