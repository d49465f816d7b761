"""The state journal and store (workers.journal), no broker: deltas, stores, reading back.

A fake journal source stands in for the Kafka topic; the stores are the real
ones (dicts, and RocksDB in a temporary directory).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from workers.coding.linking import EventLinker
from workers.ingest.dedup import Deduplicator
from workers.journal import (
    WRITER_HEADER,
    JournalError,
    JournalReader,
    JournalRecord,
    StateStore,
    decode_delta,
    encode_delta,
)
from workers.state import TABLES

HOUR = 3600.0
T0 = 1_700_000_000.0


class FakeSource:
    """The journal topic as a list; ``fetch`` returns the records past the position."""

    def __init__(self) -> None:
        self.records: list[JournalRecord] = []
        self.position = 0
        self.seeks: list[int] = []

    def append(self, delta: dict[str, dict[str, Any]], writer: str) -> None:
        for value in encode_delta(delta):
            self.records.append(
                JournalRecord(len(self.records), value, [(WRITER_HEADER, writer.encode())])
            )

    async def seek(self, offset: int) -> None:
        self.seeks.append(offset)
        self.position = offset

    async def end_offset(self) -> int:
        return len(self.records)

    async def fetch(self, timeout_s: float) -> list[JournalRecord]:
        batch = self.records[self.position : self.position + 3]
        self.position += len(batch)
        return batch


def expiry() -> dict[str, Any]:
    return {
        "dedup": Deduplicator({}, HOUR).is_expired,
        "event-links": EventLinker({}, HOUR).is_expired,
    }


def reader(store: StateStore, source: FakeSource, writer: str = "me", now: float = T0) -> Any:
    return JournalReader(store, source, writer, expiry(), lambda: now)


def test_a_delta_round_trips_and_a_large_one_is_split_into_valid_parts() -> None:
    delta = {"dedup": {"id:a": {"seen": T0}, "content:x": None}, "event-links": {"s": {"n": 1}}}
    (record,) = encode_delta(delta)
    assert decode_delta(record) == delta
    assert encode_delta({"dedup": {}}) == []

    big = {"dedup": {f"id:{i}": {"seen": T0, "pad": "x" * 100} for i in range(200)}}
    parts = encode_delta(big, max_bytes=4096)
    assert len(parts) > 1 and all(len(p) <= 4096 + 200 for p in parts)
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(decode_delta(part)["dedup"])
    assert merged == big["dedup"]


@pytest.mark.parametrize("value", [b"not json", b"[1]", b'{"v": 99, "t": {}}', b'{"v":1,"t":[]}'])
def test_a_record_that_is_not_a_delta_is_refused(value: bytes) -> None:
    with pytest.raises(JournalError):
        decode_delta(value)


def open_store(kind: str, tmp_path: Path) -> StateStore:
    return StateStore.open(f"{kind}://", tmp_path, "parley-test")


@pytest.mark.parametrize("kind", ["memory", "rocksdb"])
def test_both_stores_apply_puts_and_deletes_table_by_table(kind: str, tmp_path: Path) -> None:
    store = open_store(kind, tmp_path)
    assert set(store.tables) == set(TABLES)
    store.apply({"dedup": {"id:a": {"seen": T0}, "id:b": {"seen": T0}}, "event-links": {"s": {}}})
    store.apply({"dedup": {"id:b": None}, "unknown-table": {"x": 1}})
    assert dict(store.dedup) == {"id:a": {"seen": T0}}
    assert dict(store.links) == {"s": {}} and dict(store.alerts) == {}
    assert "id:a" in store.dedup and "id:b" not in store.dedup and len(store.dedup) == 1
    # The sweep deletes straight from a table.
    del store.dedup["id:a"]
    assert len(store.dedup) == 0
    with pytest.raises(KeyError):
        store.dedup["id:a"]
    store.close()


def test_rocksdb_keeps_data_and_journal_offset_across_a_reopen(tmp_path: Path) -> None:
    store = open_store("rocksdb", tmp_path)
    assert store.next_offset == 0
    store.apply({"event-links": {"s": {"first_seen": T0}}}, next_offset=42)
    store.close()
    again = open_store("rocksdb", tmp_path)
    assert again.next_offset == 42
    assert again.links["s"] == {"first_seen": T0}
    again.close()
    assert open_store("memory", tmp_path).next_offset == 0


def test_catch_up_applies_in_journal_order_and_resumes_after_the_stored_offset(
    tmp_path: Path,
) -> None:
    source = FakeSource()
    for i in range(5):
        source.append({"event-links": {"s": {"first_seen": T0, "mentions": i}}}, "other")
    store = open_store("rocksdb", tmp_path)
    assert asyncio.run(reader(store, source).catch_up()) == 5
    assert store.links["s"]["mentions"] == 4  # the last write wins
    assert store.next_offset == 5
    store.close()

    source.append({"dedup": {"id:new": {"seen": T0}}}, "other")
    store = open_store("rocksdb", tmp_path)
    journal = reader(store, source)
    assert asyncio.run(journal.catch_up()) == 1, "only what came after the stored offset"
    assert source.seeks[-1] == 5
    assert "id:new" in store.dedup and store.links["s"]["mentions"] == 4
    store.close()


def test_a_worker_skips_its_own_records_but_moves_its_offset_past_them() -> None:
    source = FakeSource()
    store = StateStore.in_memory()
    journal = reader(store, source, writer="me")
    asyncio.run(journal.catch_up())
    # This worker applied its own newer value already; its older record must not undo it.
    store.apply({"dedup": {"id:a": {"seen": T0 + 10}}})
    source.append({"dedup": {"id:a": {"seen": T0}}}, "me")
    source.append({"dedup": {"id:b": {"seen": T0}}}, "other")
    assert asyncio.run(journal.follow_once()) == 2
    assert store.dedup["id:a"] == {"seen": T0 + 10}
    assert store.dedup["id:b"] == {"seen": T0}
    assert (journal.skipped_own, journal.applied, store.next_offset) == (1, 1, 2)


def test_entries_expired_when_read_back_are_not_brought_back() -> None:
    source = FakeSource()
    source.append({"dedup": {"id:old": {"seen": T0}, "id:fresh": {"seen": T0 + HOUR}}}, "gone")
    store = StateStore.in_memory()
    store.dedup["id:old"] = {"seen": T0}  # left from an earlier read; now past its window
    asyncio.run(reader(store, source, now=T0 + HOUR + 1).catch_up())
    assert dict(store.dedup) == {"id:fresh": {"seen": T0 + HOUR}}


def test_an_unreadable_record_is_skipped_and_reading_goes_on() -> None:
    source = FakeSource()
    source.records.append(JournalRecord(0, b"garbage", []))
    source.append({"dedup": {"id:a": {"seen": T0}}}, "other")
    store = StateStore.in_memory()
    journal = reader(store, source)
    assert asyncio.run(journal.catch_up()) == 2
    assert journal.unreadable == 1 and "id:a" in store.dedup


def test_a_replayed_event_gets_the_decision_first_given_whatever_came_in_meanwhile() -> None:
    state: dict[str, Any] = {}
    linker = EventLinker(state, window_s=HOUR)
    first = linker.observe("story", "event-a", "outlet-1", T0)
    second = linker.observe("story", "event-b", "outlet-2", T0 + 1)
    assert first == (1, 1, False) and second == (2, 2, True)
    # Written to the journal and read back by a restarted worker: same answers.
    store = StateStore.in_memory()
    store.apply(json.loads(json.dumps({"event-links": state})))
    replay = EventLinker(store.links, window_s=HOUR)
    before = dict(store.links)
    assert replay.observe("story", "event-a", "outlet-1", T0 + 5) == first
    assert replay.observe("story", "event-b", "outlet-2", T0 + 6) == second
    assert dict(store.links) == before, "a replay writes nothing"
    assert replay.observe("story", "event-c", "outlet-1", T0 + 7) == (3, 2, True)
