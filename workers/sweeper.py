"""The worker's state tasks: read the state journal, sweep expired entries.

``register_state`` adds two things to the app:

- a task that reads the state journal (``workers.journal``) from where the
  store left off to its end, then sets ``Parley.state_ready`` (batches wait
  for it, /readyz reports ``state_recovered``) and keeps applying the records
  other workers write;
- a timer that sweeps every table of this worker's own copy
  (``workers.state.sweep``) and exports the sizes (``parley_table_entries``).
  Expiry is a pure function of time, so every worker sweeps alone and the
  journal carries no deletions for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, cast

from workers import metrics
from workers.app import Parley
from workers.coding.linking import EventLinker
from workers.ingest.dedup import Deduplicator
from workers.journal import JournalReader
from workers.publish.alerts import AlertEngine
from workers.settings import Settings
from workers.state import TABLES, ExpiryTest, SweepResult, sweep

log = logging.getLogger(__name__)


def expiry_tests(settings: Settings) -> dict[str, ExpiryTest]:
    """Each table's own expiry test, by table name."""
    return {
        "dedup": Deduplicator({}, settings.dedup_window_s).is_expired,
        "event-links": EventLinker({}, settings.link_window_s).is_expired,
        # Alert suppression runs on the link window (workers/batch.py).
        "alert-suppression": AlertEngine([], {}, settings.link_window_s).is_expired,
    }


async def sweep_once(parley: Parley, now: float | None = None) -> list[SweepResult]:
    """One pass over every table of this worker's store: delete expired entries, export sizes."""
    if not parley.health.state_recovered:
        # An entry that looks expired halfway through the journal may be refreshed further on.
        return []
    now = time.time() if now is None else now
    results = []
    for name, is_expired in expiry_tests(parley.settings).items():
        result = await sweep(name, parley.state.tables[name], is_expired, now)
        metrics.TABLE_ENTRIES.labels(name).set(result.entries)
        if result.expired:
            metrics.TABLE_EXPIRED.labels(name).inc(result.expired)
        results.append(result)
    expired = sum(r.expired for r in results)
    if expired:
        log.info(
            "state sweep: %d expired entr%s deleted; %s",
            expired,
            "y" if expired == 1 else "ies",
            ", ".join(f"{r.table} {r.entries}" for r in results),
        )
    return results


async def read_journal(parley: Parley, reader: JournalReader) -> None:
    """Catch up with the journal, open the gate for batches, then follow it."""
    started = time.monotonic()
    delay = 0.5
    while True:
        try:
            read = await reader.catch_up()
            break
        except Exception as exc:  # noqa: BLE001 - the broker may be away: retry, stay not ready
            log.warning("reading the state journal failed (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
    log.info(
        "state journal read: %d record(s) up to offset %d in %.1fs; %s",
        read,
        parley.state.next_offset,
        time.monotonic() - started,
        ", ".join(f"{name} {len(parley.state.tables[name])}" for name in TABLES),
    )
    parley.health.state_recovered = True
    parley.state_ready.set()
    while True:
        try:
            await reader.follow_once(1.0)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - keep following; the gap is read on retry
            log.warning("following the state journal failed (%s); retrying", exc)
            await asyncio.sleep(1.0)


def register_state(parley: Parley, source: Any = None) -> None:
    """Register the journal reader and the sweep timer on the app."""
    from workers.journal_kafka import KafkaJournalSource

    settings = parley.settings
    journal_source = source or KafkaJournalSource(settings, parley.bootstrap)
    reader = JournalReader(
        parley.state, journal_source, parley.writer_id, expiry_tests(settings), time.time
    )
    for name in TABLES:
        # Zero series from the start, so a dashboard shows the table before its first sweep.
        metrics.TABLE_ENTRIES.labels(name)
        metrics.TABLE_EXPIRED.labels(name)

    running: list[asyncio.Task[None]] = []

    @parley.app.task
    async def state_journal() -> None:
        task = asyncio.current_task()
        if task is not None:
            running.append(cast("asyncio.Task[None]", task))
        await read_journal(parley, reader)

    async def stop_state(app: Any, *args: Any, **kwargs: Any) -> None:
        # Faust has waited for every in-flight batch by now (stream_wait_empty).
        for task in running:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        stop = getattr(journal_source, "stop", None)
        if stop is not None:
            await stop()
        parley.state.close()

    parley.app.on_before_shutdown.connect(cast(Any, stop_state))

    @parley.app.timer(interval=settings.state_sweep_interval_s)
    async def sweep_state() -> None:
        await sweep_once(parley)
