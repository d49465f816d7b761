"""The Faust app: topics, the state store, the NLP pool, web endpoints and timers.

``build_app`` builds everything one worker process needs except the agents.
The composition root (``workers/worker.py``) builds the app and then
registers the agents of ``workers/agents.py`` on it, so dependencies run one
way: agents import the app, never the reverse. The agents stay thin: decode,
call the core, publish, count.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import faust
from faust.types import TP

from workers import __version__, metrics
from workers.faust_app import faust_app
from workers.ingest import language
from workers.journal import StateStore, new_writer_id
from workers.journal_kafka import journal_topic
from workers.pool import NlpPool, RecordOptions
from workers.publish.envelope import source_for
from workers.settings import Settings
from workers.web import register_health_pages

log = logging.getLogger(__name__)


@dataclass
class Health:
    """What /healthz and /readyz report; updated by the agents and timers."""

    started_at: float = field(default_factory=time.monotonic)
    last_progress: float = field(default_factory=time.monotonic)
    busy_since: float | None = None
    model_loaded: bool = False
    broker_reachable: bool = False
    assigned_partitions: int = 0
    total_lag: int = 0
    # The state journal was read to its end at start (workers/journal.py).
    state_recovered: bool = False

    def progress(self) -> None:
        self.last_progress = time.monotonic()
        metrics.LAST_PROGRESS.set(time.time())

    def liveness(self, stuck_after_s: float, now: float | None = None) -> tuple[bool, str]:
        """Alive when making progress, or idle with nothing to do."""
        now = time.monotonic() if now is None else now
        if self.busy_since is not None and now - self.busy_since > stuck_after_s:
            return False, f"batch in progress for {now - self.busy_since:.0f}s"
        if self.total_lag > 0 and now - self.last_progress > stuck_after_s:
            return False, (
                f"lag {self.total_lag} but no progress for {now - self.last_progress:.0f}s"
            )
        return True, "ok"

    def readiness(self) -> tuple[bool, dict[str, bool]]:
        checks = {
            "model_loaded": self.model_loaded,
            "broker_reachable": self.broker_reachable,
            "partitions_assigned": self.assigned_partitions > 0,
            "state_recovered": self.state_recovered,
        }
        return all(checks.values()), checks


@dataclass
class Parley:
    """One worker: the Faust app plus everything its agents use."""

    settings: Settings
    bootstrap: str
    app: faust.App
    pool: NlpPool
    health: Health
    topics: dict[str, faust.TopicT]
    raw_topic: faust.TopicT
    # Dedup, event links and alert suppression, kept by parley itself and
    # shared between workers through the state journal (workers/journal.py).
    state: StateStore
    journal_topic: str
    # Set once the journal was read to its end; batches wait for it.
    state_ready: asyncio.Event = field(default_factory=asyncio.Event)
    # This process incarnation, on every journal record it writes.
    writer_id: str = field(default_factory=new_writer_id)
    # State staged by batches in flight, shared so they see each other's
    # changes before the store does (see workers/overlay.py).
    pending: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"dedup": {}, "links": {}, "alerts": {}}
    )


def build_app(settings: Settings, bootstrap: str) -> Parley:
    app = faust_app(settings, bootstrap)
    health = Health()
    pool = NlpPool(
        settings.model,
        settings.processes,
        settings.batch_size,
        RecordOptions(settings.alert_rules, source_for(settings.app_id)),
    )

    def output(name: str) -> faust.TopicT:
        return app.topic(
            name, value_serializer="raw", key_serializer="raw", partitions=settings.partitions
        )

    topics = {name: output(name) for name in settings.output_topics()}
    raw_topic = app.topic(
        *settings.raw_topics,
        value_serializer="raw",
        key_serializer="raw",
        partitions=settings.partitions,
    )

    # Dedup, linking and alert keys (article ids, content hashes, story keys)
    # do not follow the raw topics' partitioning, so every worker keeps the
    # whole (small, windowed) state, as Faust GlobalTables did, but with one
    # journal record per batch instead of one changelog record per key.
    journal = journal_topic(settings)
    topics[journal] = app.topic(journal, value_serializer="raw", key_serializer="raw", partitions=1)
    state = StateStore.open(settings.store, settings.data_dir, settings.app_id)

    parley = Parley(
        settings=settings,
        bootstrap=bootstrap,
        app=app,
        pool=pool,
        health=health,
        topics=topics,
        raw_topic=raw_topic,
        state=state,
        journal_topic=journal,
    )
    _register_web(parley)
    _register_lifecycle(parley)
    return parley


def _register_web(parley: Parley) -> None:
    def count_queue() -> None:
        metrics.NLP_QUEUE_DEPTH.set(parley.pool.stats.in_flight)

    register_health_pages(
        parley.app,
        parley.health,
        metrics.REGISTRY,
        parley.settings.stuck_after_s,
        before_scrape=count_queue,
    )


def _register_lifecycle(parley: Parley) -> None:
    app, health, settings = parley.app, parley.health, parley.settings

    @app.task
    async def load_model() -> None:
        # Decoding identifies the language in this process: load that model
        # before the first batch too (measured: a second of the first batch's
        # CPU, 8 ms per article over a 120-article bench run).
        await asyncio.to_thread(language.warm_up)
        info = await parley.pool.warm_up()
        metrics.MODEL_INFO.info({"name": info.name, "version": info.version})
        health.model_loaded = True
        log.info(
            "NLP ready: %s %s in %d process(es)",
            info.name,
            info.version,
            max(settings.processes, 1),
        )

    metrics.BUILD_INFO.info({"version": __version__})

    for topic in settings.raw_topics:
        # Zero series from the start, so rate() and the stall alert see them.
        metrics.RECORDS_CONSUMED.labels(topic)
    reported: set[tuple[str, str]] = set()

    @app.timer(interval=2.0)
    async def observe_consumer() -> None:
        raw = set(settings.raw_topics)
        try:
            consumer = app.consumer
            assignment = [tp for tp in consumer.assignment() if tp.topic in raw]
        except Exception:  # noqa: BLE001 - not started yet
            health.broker_reachable = False
            return
        health.assigned_partitions = len(assignment)
        health.broker_reachable = _producer_connected(app)
        total = 0
        current: set[tuple[str, str]] = set()
        for tp in assignment:
            lag = _lag(consumer, tp)
            if lag is None:
                continue
            labels = (tp.topic, str(tp.partition))
            metrics.CONSUMER_LAG.labels(*labels).set(lag)
            current.add(labels)
            total += lag
        # A revoked partition's lag is its new owner's to report.
        for labels in reported - current:
            metrics.CONSUMER_LAG.remove(*labels)
        reported.clear()
        reported.update(current)
        health.total_lag = total
        metrics.READY.set(1 if health.readiness()[0] else 0)
        if health.busy_since is None and total == 0:
            health.progress()  # idle with nothing to do counts as alive


def _producer_connected(app: faust.App) -> bool:
    try:
        client = app.producer._producer  # type: ignore[attr-defined]
        inner = getattr(client, "client", None)
        return bool(inner is not None and inner.cluster.brokers())
    except Exception:  # noqa: BLE001 - any failure means "not known reachable"
        return False


def _lag(consumer: Any, tp: TP) -> int | None:
    try:
        highwater = consumer.highwater(tp)
    except Exception:  # noqa: BLE001
        return None
    if highwater is None:
        return None
    committed = consumer._committed_offset.get(tp)
    if committed is None:
        committed = 0
    return max(int(highwater) - int(committed), 0)
