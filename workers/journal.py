"""parley's state store and its journal: one record per batch instead of one per key.

The worker remembers three windowed tables (``workers.state.TABLES``): dedup
(``workers.ingest.dedup``), event links (``workers.coding.linking``) and alert
suppression (``workers.publish.alerts``). Every worker holds all of each.

A batch's changes to them are one *delta* (table -> key -> new value, ``None``
for a deletion), written as one JSON record to the journal topic
(``<app_id>-state-journal``, one partition), acknowledged by the broker, and
only then applied to the local ``StateStore``. Each record carries the id of
the process that wrote it (``WRITER_HEADER``): a worker reads the journal
back to learn what *other* workers changed and skips its own records, which
it applied already (re-applying an older own delta could overwrite a newer
local value).

At start a worker reads the journal from where its store left off (offset 0
for ``memory://``; the offset stored with the data for ``rocksdb://``) up to
the end offset before it processes its first batch (``catch_up``), then keeps
following it (``follow``).

Retention, not tombstones, bounds the journal: every entry's validity runs
from a time at or before its last write (dedup: ``seen``; links:
``first_seen``; alerts: ``first_at``, all the batch's clock), so a record
older than the longest window is only about expired entries, and a topic
retention of that window plus a day loses nothing valid. Entries that are
expired when read back are dropped on apply, so a restart does not bring them
back into memory. The sweep (``workers.state.sweep``) runs on each worker's
own copy and writes nothing to the journal: expiry is a pure function of time.

No Faust or aiokafka import here; the Kafka side is ``workers.journal_kafka``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from workers.state import TABLES, ExpiryTest

#: The header naming the process incarnation that wrote a journal record.
WRITER_HEADER = "parley.state.writer"
#: Deltas larger than this are split over several records.
MAX_RECORD_BYTES = 512 * 1024
_FORMAT = 1
_OFFSET_KEY = b"\x00meta:next_offset"

Delta = dict[str, dict[str, Any]]


class JournalError(ValueError):
    """A journal record that cannot be read as a state delta."""


def new_writer_id() -> str:
    """A fresh id for one worker process incarnation."""
    return uuid.uuid4().hex


def encode_delta(
    delta: Mapping[str, Mapping[str, Any]], max_bytes: int = MAX_RECORD_BYTES
) -> list[bytes]:
    """The delta as one JSON record, or several when it is larger than ``max_bytes``.

    Split records are applied one after the other; each is a valid delta on
    its own, so a reader that stops between two of them holds a consistent
    subset (every key carries its whole new value).
    """
    items = [
        (table, key, value) for table, changes in delta.items() for key, value in changes.items()
    ]
    if not items:
        return []
    records: list[bytes] = []
    current: Delta = {}
    size = 0
    for table, key, value in items:
        entry_size = len(json.dumps([key, value], separators=(",", ":")))
        if current and size + entry_size > max_bytes:
            records.append(_dump(current))
            current, size = {}, 0
        current.setdefault(table, {})[key] = value
        size += entry_size + 2
    records.append(_dump(current))
    return records


def _dump(delta: Delta) -> bytes:
    return json.dumps({"v": _FORMAT, "t": delta}, separators=(",", ":")).encode()


def decode_delta(value: bytes) -> Delta:
    try:
        document = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JournalError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("v") != _FORMAT:
        raise JournalError(f"not a state delta of format {_FORMAT}")
    tables = document.get("t")
    if not isinstance(tables, dict) or not all(
        isinstance(t, str) and isinstance(c, dict) for t, c in tables.items()
    ):
        raise JournalError("a state delta maps table names to changes")
    return tables


class RocksTable(MutableMapping[str, Any]):
    """One table inside a shared RocksDB database: keys under a prefix, JSON values."""

    def __init__(self, db: Any, name: str) -> None:
        self.db = db
        self.prefix = name.encode() + b"\x00"

    def _key(self, key: str) -> bytes:
        return self.prefix + key.encode()

    def __getitem__(self, key: str) -> Any:
        raw = self.db.get(self._key(key))
        if raw is None:
            raise KeyError(key)
        return json.loads(raw)

    def get(self, key: str, default: Any = None) -> Any:
        raw = self.db.get(self._key(key))
        return default if raw is None else json.loads(raw)

    def __setitem__(self, key: str, value: Any) -> None:
        self.db.put(self._key(key), json.dumps(value, separators=(",", ":")).encode())

    def __delitem__(self, key: str) -> None:
        if self.db.get(self._key(key)) is None:
            raise KeyError(key)
        self.db.delete(self._key(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.db.get(self._key(key)) is not None

    def __iter__(self) -> Iterator[str]:
        cut = len(self.prefix)
        for raw in self.db.keys(from_key=self.prefix):
            if not raw.startswith(self.prefix):
                return
            yield raw[cut:].decode()

    def __len__(self) -> int:
        return sum(1 for _ in self)


class StateStore:
    """The three tables of one worker, plus the journal offset it has read up to.

    ``memory://``: plain dicts, rebuilt from the journal at every start.
    ``rocksdb://``: one RocksDB database in ``PARLEY_DATA_DIR``; every apply
    from the journal writes its data and the next offset to read in one
    atomic WriteBatch, so a restart resumes exactly after the last record
    applied.
    """

    def __init__(self, tables: Mapping[str, MutableMapping[str, Any]], db: Any = None) -> None:
        self.tables = dict(tables)
        self.db = db
        self._next_offset = 0
        if db is not None:
            stored = db.get(_OFFSET_KEY)
            self._next_offset = int(stored) if stored is not None else 0

    @classmethod
    def in_memory(cls) -> StateStore:
        return cls({name: {} for name in TABLES})

    @classmethod
    def rocksdb(cls, path: Path) -> StateStore:
        from rocksdict import Options, Rdict

        path.parent.mkdir(parents=True, exist_ok=True)
        db = Rdict(str(path), Options(raw_mode=True))
        return cls({name: RocksTable(db, name) for name in TABLES}, db)

    @classmethod
    def open(cls, url: str, data_dir: Path, app_id: str) -> StateStore:
        """The store named by ``PARLEY_STORE`` (``memory://`` or ``rocksdb://``)."""
        if url.startswith("memory:"):
            return cls.in_memory()
        if url.startswith("rocksdb:"):
            return cls.rocksdb(data_dir / f"{app_id}-state")
        raise ValueError(f"unknown state store {url!r}: use memory:// or rocksdb://")

    @property
    def dedup(self) -> MutableMapping[str, Any]:
        return self.tables["dedup"]

    @property
    def links(self) -> MutableMapping[str, Any]:
        return self.tables["event-links"]

    @property
    def alerts(self) -> MutableMapping[str, Any]:
        return self.tables["alert-suppression"]

    @property
    def next_offset(self) -> int:
        """The next journal offset this store has not read yet."""
        return self._next_offset

    def apply(
        self,
        delta: Mapping[str, Mapping[str, Any]],
        next_offset: int | None = None,
        expired: Mapping[str, ExpiryTest] | None = None,
        now: float | None = None,
    ) -> int:
        """Write a delta (``None`` deletes a key); returns the entries touched.

        ``next_offset`` (when the delta came from the journal) is stored with
        the data. With ``expired`` and ``now``, a value already past its
        window is applied as a deletion: an old record read back must not
        bring expired state back into memory.
        """
        touched = 0
        batch = None
        if self.db is not None:
            from rocksdict import WriteBatch

            batch = WriteBatch(raw_mode=True)
        for name, changes in delta.items():
            table = self.tables.get(name)
            if table is None:
                continue  # a table a newer version keeps; nothing of ours
            test = expired.get(name) if expired is not None and now is not None else None
            for key, value in changes.items():
                if value is not None and test is not None and test(value, now or 0.0):
                    value = None
                touched += 1
                if batch is not None:
                    assert isinstance(table, RocksTable)
                    if value is None:
                        batch.delete(table._key(key))
                    else:
                        batch.put(
                            table._key(key), json.dumps(value, separators=(",", ":")).encode()
                        )
                elif value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
        if next_offset is not None:
            self._next_offset = next_offset
            if batch is not None:
                batch.put(_OFFSET_KEY, str(self._next_offset).encode())
        if batch is not None and (touched or next_offset is not None):
            self.db.write(batch)
        return touched

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


@dataclass(frozen=True)
class JournalRecord:
    """One record read from the journal topic."""

    offset: int
    value: bytes
    headers: Sequence[tuple[str, bytes]]

    @property
    def writer(self) -> str:
        for name, value in self.headers:
            if name == WRITER_HEADER:
                return value.decode("latin-1")
        return ""


class JournalSource(Protocol):
    """Where the journal is read from (``workers.journal_kafka.KafkaJournalSource``)."""

    async def seek(self, offset: int) -> None: ...

    async def end_offset(self) -> int: ...

    async def fetch(self, timeout_s: float) -> list[JournalRecord]: ...


class JournalReader:
    """Applies the journal to a store: everything at start, then other writers' records."""

    def __init__(
        self,
        store: StateStore,
        source: JournalSource,
        writer_id: str,
        expired: Mapping[str, ExpiryTest],
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self.source = source
        self.writer_id = writer_id
        self.expired = expired
        self.clock = clock
        self.applied = 0
        self.skipped_own = 0
        self.unreadable = 0

    def apply(self, record: JournalRecord) -> None:
        if record.writer == self.writer_id:
            # Applied locally when it was acknowledged; only move the offset on.
            self.skipped_own += 1
            self.store.apply({}, next_offset=record.offset + 1)
            return
        try:
            delta = decode_delta(record.value)
        except JournalError:
            # Nothing of ours writes such a record; skip it rather than stop the worker.
            self.unreadable += 1
            self.store.apply({}, next_offset=record.offset + 1)
            return
        self.store.apply(delta, record.offset + 1, self.expired, self.clock())
        self.applied += 1

    async def catch_up(self) -> int:
        """Read from the store's next offset to the journal's end; returns records read."""
        await self.source.seek(self.store.next_offset)
        end = await self.source.end_offset()
        read = 0
        while self.store.next_offset < end:
            records = await self.source.fetch(1.0)
            for record in records:
                self.apply(record)
                read += 1
            if not records:
                # The end may have moved back (retention) or the broker paused: recheck it.
                end = await self.source.end_offset()
        return read

    async def follow_once(self, timeout_s: float = 1.0) -> int:
        """Apply whatever the journal has past the store's offset; returns records read."""
        records = await self.source.fetch(timeout_s)
        for record in records:
            self.apply(record)
        return len(records)
