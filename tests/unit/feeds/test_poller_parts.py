"""The poller's pure helpers: feed ownership by partition, health."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner

from workers.feeds.poller import PollerHealth, feed_partition, summary


def test_feed_partition_is_the_producers_partition_for_the_url_key() -> None:
    # The state record (key: URL bytes) goes where the producer's partitioner
    # puts it; owning that partition must mean owning the feed.
    partitioner = DefaultPartitioner()
    for partitions in (1, 2, 4, 12):
        ids = list(range(partitions))
        for n in range(50):
            url = f"https://feeds{n}.example.org/world/rss?page={n}"
            assert feed_partition(url, partitions) == partitioner(url.encode(), ids, ids)


def test_feeds_spread_over_partitions() -> None:
    from workers.feeds.config import FeedConfig

    feeds = [FeedConfig(url=f"https://f{n}.example.org/rss", interval_s=60) for n in range(40)]
    counts = summary(feeds, 4)
    assert sum(counts.values()) == 40 and len(counts) == 4


def test_health() -> None:
    health = PollerHealth(last_tick=100.0)
    assert health.liveness(30, now=500) == (True, "ok")  # not assigned yet: starting
    health.assigned_once = True
    assert health.liveness(30, now=120)[0]
    alive, reason = health.liveness(30, now=500)
    assert not alive and "idle" in reason
    assert health.readiness() == (False, {"broker_reachable": False, "assigned": True})
    health.broker_reachable = True
    assert health.readiness()[0]
