"""Bounded state: sweep the windowed tables so a long run does not grow without end.

Dedup, event linking and alert suppression each remember what they saw for
a window (``PARLEY_DEDUP_WINDOW_S``, ``PARLEY_LINK_WINDOW_S``). An entry past
its window already counts as unseen when it is read, so sweeping is not
needed for correctness; it bounds memory. It writes nothing to the state
journal (``workers.journal``): expiry is a function of time, so every worker
sweeps its own copy.

``sweep`` is the pure part: it walks a snapshot of the keys in chunks,
yielding to the event loop between chunks so heartbeats and commits go on
during a sweep of a large table, and deletes the entries the table's own
expiry test (``Deduplicator.is_expired`` and friends) calls expired. The
worker's timer (``workers/sweeper.py``) runs it on the state store's tables.
No Faust import here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

#: The tables parley keeps, as named in the ``parley_table_entries`` label.
TABLES = ("dedup", "event-links", "alert-suppression")

ExpiryTest = Callable[[Mapping[str, Any], float], bool]


@dataclass(frozen=True)
class SweepResult:
    table: str
    entries: int  # left after the sweep (keys added during the sweep are not counted)
    expired: int


async def sweep(
    table: str,
    state: MutableMapping[str, Any],
    is_expired: ExpiryTest,
    now: float,
    chunk: int = 2000,
) -> SweepResult:
    """Delete the entries of ``state`` that ``is_expired`` says are past their window."""
    keys = list(state.keys())
    expired = 0
    for start in range(0, len(keys), chunk):
        for key in keys[start : start + chunk]:
            entry = state.get(key)
            # Re-read: a batch may have refreshed or removed it since the snapshot.
            if entry is not None and is_expired(entry, now):
                state.pop(key, None)
                expired += 1
        await asyncio.sleep(0)
    return SweepResult(table, len(keys) - expired, expired)
