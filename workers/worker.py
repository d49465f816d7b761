"""The composition root of a worker process: broker preparation, the app, its agents.

``build_worker`` builds the Faust app (``workers.app``) and then registers the
agents (``workers.agents``) on it; nothing else imports both, so the app never
depends on its agents. ``run_worker`` is what ``parley run`` runs.
"""

from __future__ import annotations

import logging

from workers import __version__, metrics
from workers.app import Parley, build_app
from workers.errors import CliError
from workers.kafka import client_options
from workers.settings import Settings
from workers.web import prepare_before_faust

log = logging.getLogger("parley")


def build_worker(settings: Settings, bootstrap: str) -> Parley:
    """The app with its agents registered, ready for a Faust ``Worker``."""
    from workers.agents import register_agents
    from workers.sweeper import register_state

    parley = build_app(settings, bootstrap)
    register_agents(parley)
    register_state(parley)
    return parley


async def prepare_broker(settings: Settings, bootstrap: str) -> None:
    """Create the topics, and start offsets for raw partitions new to the group."""
    from workers.broker import commit_start_offsets, ensure_topics
    from workers.journal_kafka import journal_topic, journal_topic_config

    options = client_options(settings)
    # The state journal: one partition, every worker reads all of it (workers/journal.py).
    await ensure_topics(
        bootstrap,
        [journal_topic(settings)],
        1,
        settings.replication_factor,
        client_options=options,
        timeout_s=float("inf"),
        topic_configs={journal_topic(settings): journal_topic_config(settings)},
    )
    await ensure_topics(
        bootstrap,
        settings.all_topics(),
        settings.partitions,
        settings.replication_factor,
        client_options=options,
        timeout_s=float("inf"),
        topic_configs={settings.dlq_topic: {"max.message.bytes": str(settings.max_output_bytes)}},
    )
    await commit_start_offsets(bootstrap, settings.app_id, settings.raw_topics, options)


def run_worker(settings: Settings, bootstrap: str) -> None:
    """Prepare the broker, then run the worker until it is stopped.

    Raises ``CliError`` for problems a user can fix (broker, configuration).
    """
    from faust.worker import Worker

    log.info(
        "parley %s starting; broker %s; settings %s", __version__, bootstrap, settings.redacted()
    )
    prepare_before_faust(
        settings.web_host,
        settings.web_port,
        metrics.REGISTRY,
        metrics.READY,
        prepare_broker(settings, bootstrap),
    )
    try:
        parley = build_worker(settings, bootstrap)
    except Exception as exc:  # noqa: BLE001 - configuration problems are one line
        raise CliError(str(exc)) from exc
    worker = Worker(parley.app, loglevel=settings.log_level, quiet=True, override_logging=False)
    try:
        worker.execute_from_commandline()
    finally:
        parley.pool.shutdown()
