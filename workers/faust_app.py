"""The Faust app settings parley's two processes share: the worker and the feed poller.

Kept apart from ``workers.app`` so that the poller builds its app without
importing the NLP pool (and spaCy) that the worker's app module brings.
"""

from __future__ import annotations

import faust

from workers.compat import patch_aiokafka, patch_rocksdb_store, set_fetch_max_wait
from workers.kafka import faust_broker_urls, faust_credentials
from workers.settings import Settings


def faust_app(
    settings: Settings,
    bootstrap: str,
    *,
    app_id: str | None = None,
    web_port: int | None = None,
    datadir: str | None = None,
) -> faust.App:
    """A Faust app configured from the settings (the worker's, or the poller's with its id/port).

    Both parley apps share these choices: raw bytes in and out, acks from
    every replica, one-record batches on the embedded broker, explicit
    timeouts, and waiting for in-flight events on stop.
    """
    patch_aiokafka()
    set_fetch_max_wait(settings.fetch_max_wait_ms)
    if settings.store.startswith("rocksdb:"):
        patch_rocksdb_store()
    return faust.App(
        app_id or settings.app_id,
        broker=faust_broker_urls(bootstrap),
        broker_credentials=faust_credentials(settings),
        value_serializer="raw",
        key_serializer="raw",
        store=settings.store,
        datadir=datadir or str(settings.data_dir),
        # The check compares a RocksDB file's offsets with the changelog's
        # highwater; a memory store has no file to check. It also misfires on
        # the embedded Tansu 0.6, whose ListOffsets returns the last batch's
        # base offset + 1, below records already read: the worker crashed with
        # ConsistencyError at the first rebalance (test_reliability.py).
        recovery_consistency_check=not settings.store.startswith("memory:"),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_rebalance_timeout=settings.broker_rebalance_timeout_s,
        broker_commit_interval=settings.commit_interval_s,
        broker_heartbeat_interval=min(3.0, settings.broker_session_timeout_s / 3),
        processing_guarantee=settings.processing_guarantee,
        web_enabled=True,
        web_host=settings.web_host,
        web_port=settings.web_port if web_port is None else web_port,
        web_in_thread=False,
        # The worker answers /metrics itself; Faust's own sensor exports
        # millisecond names that promtool rejects.
        producer_acks=-1,
        producer_max_request_size=settings.max_output_bytes,
        # aiokafka gives a record larger than the batch size a batch of its own.
        producer_max_batch_size=1 if settings.one_record_batches else 16384,
        consumer_auto_offset_reset="earliest",
        # On stop, wait until every taken event is acked: the in-flight batch
        # finishes, its outputs and table changes are flushed, then offsets
        # are committed.
        stream_wait_empty=True,
    )
