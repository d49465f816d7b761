"""Bounded state (workers.state): the sweep deletes what each table's own expiry test
calls expired, and nothing else, on the same plain mappings the worker backs with
Faust tables."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from schemas.models import Article
from tests.unit.publish.factories import event as make_event
from workers.coding.linking import EventLinker
from workers.ingest import Deduplicator, DedupStatus, parse_record
from workers.overlay import Overlay
from workers.publish.alerts import AlertEngine, AlertRule
from workers.state import sweep

HOUR = 3600.0
T0 = 1_700_000_000.0


def article(i: int, body: str = "Ministers met in Oslo.") -> Article:
    record = {
        "title": f"Ministers meet {i}",
        "body": f"{body} Case {i}.",
        "url": f"https://news.example.org/{i}",
        "published_at": "2023-11-14T20:00:00Z",
    }
    [parsed] = parse_record(json.dumps(record).encode())
    return parsed


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_dedup_sweep_keeps_entries_inside_the_window_and_counts_what_it_deleted() -> None:
    state: dict[str, Any] = {}
    dedup = Deduplicator(state, window_s=HOUR)
    for i in range(3):
        dedup.check(article(i), T0)
    dedup.check(article(3), T0 + HOUR)
    assert len(state) == 8  # two entries per article

    # Exactly one window old is still inside it.
    result = run(sweep("dedup", state, dedup.is_expired, T0 + HOUR))
    assert (result.entries, result.expired) == (8, 0)

    result = run(sweep("dedup", state, dedup.is_expired, T0 + HOUR + 1))
    assert (result.table, result.entries, result.expired) == ("dedup", 2, 6)
    assert set(state) == {f"id:{article(3).article_id}", f"content:{article(3).content_hash}"}
    # What was swept is what check() already treated as unseen.
    assert dedup.check(article(0), T0 + HOUR + 2).status is DedupStatus.NEW


def test_a_repeat_keeps_a_dedup_entry_alive_through_the_sweep() -> None:
    state: dict[str, Any] = {}
    dedup = Deduplicator(state, window_s=HOUR)
    dedup.check(article(0), T0)
    assert dedup.check(article(0), T0 + HOUR - 1).status is DedupStatus.DUPLICATE
    result = run(sweep("dedup", state, dedup.is_expired, T0 + HOUR + 10))
    # The id entry was refreshed by the repeat; the content entry was not.
    assert result.expired == 1
    assert set(state) == {f"id:{article(0).article_id}"}
    assert dedup.check(article(0), T0 + HOUR + 20).status is DedupStatus.DUPLICATE


def test_the_sweep_rereads_each_entry_so_a_refresh_during_the_sweep_survives() -> None:
    state: dict[str, Any] = {f"k{i}": {"seen": T0} for i in range(4)}
    dedup = Deduplicator(state, window_s=HOUR)

    async def sweep_while_a_batch_refreshes() -> Any:
        async def batch() -> None:
            await asyncio.sleep(0)  # runs between the sweep's first and second chunk
            state["k3"] = {"seen": T0 + 2 * HOUR}
            del state["k2"]

        refresher = asyncio.create_task(batch())
        result = await sweep("dedup", state, dedup.is_expired, T0 + 2 * HOUR, chunk=1)
        await refresher
        return result

    result = run(sweep_while_a_batch_refreshes())
    assert result.expired == 2  # k0 and k1; k2 was already gone
    assert state == {"k3": {"seen": T0 + 2 * HOUR}}


def test_a_story_expires_a_window_after_its_first_report_even_if_reports_go_on() -> None:
    state: dict[str, Any] = {}
    linker = EventLinker(state, window_s=HOUR)
    first = linker.link(make_event(event_id="e1"), "Wire A", T0)
    linker.link(make_event(event_id="e2"), "Wire B", T0 + HOUR - 5)
    assert len(state) == 1 and state[first.story_id or ""]["mentions"] == 2

    assert run(sweep("event-links", state, linker.is_expired, T0 + HOUR)).expired == 0
    result = run(sweep("event-links", state, linker.is_expired, T0 + HOUR + 1))
    assert (result.entries, result.expired) == (0, 1)
    relinked = linker.link(make_event(event_id="e3"), "Wire C", T0 + HOUR + 2)
    assert relinked.story_id == first.story_id
    assert relinked.mentions == 1 and not relinked.is_update


def test_a_swept_alert_suppression_lets_the_story_alert_again() -> None:
    rule = AlertRule(id="expulsions", cameo_codes=("166",))
    state: dict[str, Any] = {}
    engine = AlertEngine([rule], state, suppression_window_s=HOUR)
    event = make_event(cameo="166")
    assert len(engine.evaluate(event, T0)) == 1
    assert engine.evaluate(event, T0 + 60) == []  # suppressed
    assert len(state) == 1

    assert run(sweep("alert-suppression", state, engine.is_expired, T0 + HOUR)).expired == 0
    assert run(sweep("alert-suppression", state, engine.is_expired, T0 + HOUR + 1)).expired == 1
    assert state == {}
    [again] = engine.evaluate(event, T0 + HOUR + 2)
    assert not again.is_update


def test_sweeping_through_an_overlay_deletes_from_the_table_only_on_apply() -> None:
    table: dict[str, Any] = {"old": {"seen": T0}, "new": {"seen": T0 + HOUR}}
    overlay = Overlay(table)
    dedup = Deduplicator(overlay, window_s=HOUR)
    result = run(sweep("dedup", overlay, dedup.is_expired, T0 + HOUR + 1))
    assert result.expired == 1 and "old" in table
    overlay.apply()
    assert table == {"new": {"seen": T0 + HOUR}}
