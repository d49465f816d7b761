"""What ``parley poll FEEDS.yaml`` runs: topics first, then the poller until stopped."""

from __future__ import annotations

import logging

from workers import __version__
from workers.errors import CliError
from workers.feeds.config import FeedConfig
from workers.kafka import client_options
from workers.settings import Settings
from workers.web import prepare_before_faust

log = logging.getLogger("parley.poll")


async def prepare_poll_topics(settings: Settings, bootstrap: str) -> None:
    """Create the output raw topic and the feeds topic with the declared partition count.

    A feeds topic that already exists with another partition count would give
    feeds to the wrong pollers (ownership is the URL's hash modulo
    ``PARLEY_PARTITIONS``): that is refused with a clear error.
    """
    from aiokafka.admin import AIOKafkaAdminClient

    from workers.broker import BrokerError, ensure_topics

    options = client_options(settings)
    await ensure_topics(
        bootstrap,
        [settings.raw_topics[0], settings.poll_feeds_topic],
        settings.partitions,
        settings.replication_factor,
        client_options=options,
        timeout_s=float("inf"),
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **options)
    try:
        await admin.start()
        (described,) = await admin.describe_topics([settings.poll_feeds_topic])
    finally:
        await admin.close()
    found = len(described.get("partitions") or [])
    if found != settings.partitions:
        raise BrokerError(
            f"topic {settings.poll_feeds_topic} has {found} partitions but PARLEY_PARTITIONS is "
            f"{settings.partitions}: use the same count (or a new PARLEY_APP_ID)"
        )


def run_poller(settings: Settings, bootstrap: str, feeds: list[FeedConfig]) -> None:
    """Prepare the broker, then poll until stopped. ``CliError`` for fixable problems."""
    from faust.worker import Worker

    from workers.feeds.poller import Poller, summary

    log.info(
        "parley %s poller starting; broker %s; %d feed(s) (per partition: %s); output %s",
        __version__,
        bootstrap,
        len(feeds),
        dict(sorted(summary(feeds, settings.partitions).items())),
        settings.raw_topics[0],
    )
    from workers.feeds import metrics

    prepare_before_faust(
        settings.web_host,
        settings.poll_web_port,
        metrics.REGISTRY,
        metrics.READY,
        prepare_poll_topics(settings, bootstrap),
    )
    try:
        (settings.data_dir / "poll").mkdir(parents=True, exist_ok=True)
        poller = Poller(settings, bootstrap, feeds)
    except Exception as exc:  # noqa: BLE001 - configuration problems are one line
        raise CliError(str(exc)) from exc
    worker = Worker(poller.app, loglevel=settings.log_level, quiet=True, override_logging=False)
    worker.execute_from_commandline()
