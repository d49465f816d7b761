"""Workarounds for defects in pinned libraries, each with the evidence.

Kept in one place so that upgrading a pin means re-checking one file.
"""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import IllegalStateError

_PATCHED = "_parley_seek_to_committed_patched"


async def _seek_to_committed(
    self: AIOKafkaConsumer, *partitions: TopicPartition
) -> dict[TopicPartition, int | None]:
    # aiokafka 0.14.0 seeks only when the committed offset is > 0, so a
    # committed offset of 0 leaves the position wherever it was. Faust's table
    # recovery fetches from the source partitions too and then relies on this
    # call to seek back: a group whose commit was still 0 (nothing acked yet)
    # resumed past every record recovery had fetched, and a worker restarted
    # before its first real commit skipped them (tests/integration/
    # test_reliability.py::test_restart_before_the_first_commit_...).
    subscription: Any = self._subscription  # type: ignore[attr-defined]
    if not partitions:
        partitions = tuple(subscription.assigned_partitions())
    else:
        not_assigned = set(partitions) - subscription.assigned_partitions()
        if not_assigned:
            raise IllegalStateError(f"Partitions {not_assigned} are not assigned")
    committed: dict[TopicPartition, int | None] = {}
    for tp in partitions:
        offset = await self.committed(tp)
        committed[tp] = offset
        if offset is not None and offset >= 0:
            self._fetcher.seek_to(tp, offset)  # type: ignore[attr-defined]
    return committed


def patch_aiokafka() -> None:
    """Install the fixed ``seek_to_committed`` (idempotent)."""
    if not getattr(AIOKafkaConsumer, _PATCHED, False):
        AIOKafkaConsumer.seek_to_committed = _seek_to_committed  # type: ignore[method-assign]
        setattr(AIOKafkaConsumer, _PATCHED, True)


def set_fetch_max_wait(milliseconds: int) -> None:
    """Make Faust's consumer long-poll for at most ``milliseconds``.

    Faust 0.15 hard-codes ``fetch_max_wait_ms=1500``. Apache Kafka answers a
    fetch as soon as one record arrives, so that is harmless there; the
    embedded Tansu broker holds every fetch for the full wait (measured: a
    record produced into an idle partition reached the consumer after the
    rest of the 1.5 s window, against 12 ms with a 100 ms wait). That wait is
    end-to-end latency, so it is a setting, short for the embedded broker.
    """
    from faust.transport.drivers import aiokafka as faust_aiokafka

    thread_class: Any = faust_aiokafka.AIOKafkaConsumerThread
    original = getattr(thread_class, "_parley_original_create_worker_consumer", None)
    if original is None:
        original = thread_class._create_worker_consumer
        thread_class._parley_original_create_worker_consumer = original

    def create_worker_consumer(self: Any, *args: Any, **kwargs: Any) -> Any:
        consumer = original(self, *args, **kwargs)
        consumer._fetch_max_wait_ms = milliseconds
        return consumer

    thread_class._create_worker_consumer = create_worker_consumer


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies.

    Used for processes parley starts (NLP pool processes, the embedded broker)
    so that a parent killed with SIGKILL leaves no orphans. Returns False
    where prctl is unavailable.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        return int(libc.prctl(pr_set_pdeathsig, signum)) == 0
    except (OSError, AttributeError):
        return False


_ROCKSDB_PATCHED = "_parley_set_by_key_patched"


def _changelog_partition(key: bytes, partitions: int) -> int:
    """The partition the producer's default partitioner picks for ``key``."""
    from aiokafka.partitioner import murmur2

    return (murmur2(key) & 0x7FFFFFFF) % partitions if partitions > 1 else 0


def patch_rocksdb_store() -> None:
    """Let a ``use_partitioner`` table be written outside an event, on RocksDB.

    faust-streaming 0.15.3's RocksDB store picks the database to write from
    the *current event's* partition and asserts there is one. The feed
    poller writes its ``feed-state`` table outside any event (workers/feeds/
    poller.py; the worker's own state is no Faust table any more), so every
    write failed with AssertionError on ``PARLEY_STORE=rocksdb://``.
    With ``use_partitioner`` the changelog partition comes from the key, so
    the database must too: a raw-topic event's partition would file the key
    under a changelog partition it is not in. Idempotent.
    """
    from faust.stores import rocksdb

    store_class: Any = rocksdb.Store
    if getattr(store_class, _ROCKSDB_PATCHED, False):
        return
    original_set = store_class._set

    def _set(self: Any, key: bytes, value: bytes | None) -> None:
        if not self.table.use_partitioner:
            original_set(self, key, value)
            return
        partition = _changelog_partition(key, int(self.table.partitions or 1))
        self._key_index[key] = partition
        self._db_for_partition(partition).put(key, value)

    store_class._set = _set
    setattr(store_class, _ROCKSDB_PATCHED, True)
