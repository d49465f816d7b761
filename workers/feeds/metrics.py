"""The poller's Prometheus metrics, on its own registry and web port.

No URL or host is ever a label value: outcomes are a closed set
(``workers.feeds.fetch.OUTCOMES``) and staleness is aggregated over feeds.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from workers.feeds.fetch import OUTCOMES

REGISTRY = CollectorRegistry(auto_describe=True)

# Staleness is compared with intervals from seconds to a day.
_STALENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400)

POLLS = Counter(
    "parley_feed_polls_total",
    "Feed polls by outcome: ok, not_modified, or the error class.",
    ["outcome"],
    registry=REGISTRY,
)
ENTRIES_PUBLISHED = Counter(
    "parley_feed_entries_published_total",
    "Feed entries published to the raw topic (new or changed), acknowledged by the broker.",
    registry=REGISTRY,
)
FEEDS_OWNED = Gauge(
    "parley_feeds_owned",
    "Feeds this poller polls (those of its assigned partitions).",
    registry=REGISTRY,
)
STALENESS_MAX = Gauge(
    "parley_feed_staleness_seconds_max",
    "Largest time since a feed of this poller last answered (200 or 304), seconds.",
    registry=REGISTRY,
)
STALENESS_RATIO_MAX = Gauge(
    "parley_feed_staleness_interval_ratio_max",
    "Largest (time since a feed's last success) / (its interval) over this poller's feeds.",
    registry=REGISTRY,
)
STALENESS = Histogram(
    "parley_feed_staleness_seconds",
    "Time since the last success of each owned feed, observed every few seconds.",
    buckets=_STALENESS_BUCKETS,
    registry=REGISTRY,
)
READY = Gauge(
    "parley_poller_ready", "1 when the poller is ready (broker, assignment).", registry=REGISTRY
)


def zero_outcomes(outcomes: Iterable[str] = OUTCOMES) -> None:
    """Create every outcome series at 0, so rate() sees the first error."""
    for outcome in outcomes:
        POLLS.labels(outcome)
