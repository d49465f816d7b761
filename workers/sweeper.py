"""The worker's state sweep: a timer that applies ``workers.state.sweep`` to the tables.

Every worker holds all of each GlobalTable, so every worker reports the
sizes (``parley_table_entries``). Only the group leader deletes: one
tombstone per expired key on the changelog instead of one per worker. The
sweep waits for table recovery, because an entry that looks expired halfway
through reading the changelog may have been refreshed further on, and a
tombstone written then would erase the refresh.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from workers import metrics
from workers.app import Parley
from workers.coding.linking import EventLinker
from workers.ingest.dedup import Deduplicator
from workers.publish.alerts import AlertEngine
from workers.state import TABLES, ExpiryTest, SweepResult, sweep

log = logging.getLogger(__name__)


def _tables(parley: Parley) -> list[tuple[str, Any, ExpiryTest]]:
    settings = parley.settings
    return [
        (
            "dedup",
            parley.dedup_table,
            Deduplicator({}, settings.dedup_window_s).is_expired,
        ),
        (
            "event-links",
            parley.link_table,
            EventLinker({}, settings.link_window_s).is_expired,
        ),
        (
            "alert-suppression",
            parley.alert_table,
            # Alert suppression runs on the link window (workers/agents.py).
            AlertEngine([], {}, settings.link_window_s).is_expired,
        ),
    ]


def _recovered(app: Any) -> bool:
    try:
        return bool(app.tables.recovery.completed.is_set()) and not app.rebalancing
    except AttributeError:  # not started yet
        return False


async def sweep_once(parley: Parley, now: float | None = None) -> list[SweepResult]:
    """One pass over every table: delete expired entries (leader only), export sizes."""
    app = parley.app
    if not _recovered(app):
        return []
    now = time.time() if now is None else now
    leader = bool(app.is_leader())
    results = []
    for name, table, is_expired in _tables(parley):
        if leader:
            result = await sweep(name, table, is_expired, now)
        else:
            result = SweepResult(name, len(table), 0)
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


def register_state_sweep(parley: Parley) -> None:
    for name in TABLES:
        # Zero series from the start, so a dashboard shows the table before its first sweep.
        metrics.TABLE_ENTRIES.labels(name)
        metrics.TABLE_EXPIRED.labels(name)

    @parley.app.timer(interval=parley.settings.state_sweep_interval_s)
    async def sweep_state() -> None:
        await sweep_once(parley)
