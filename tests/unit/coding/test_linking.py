from __future__ import annotations

import json
from datetime import date
from typing import Any

from tests.unit.publish import factories
from workers.coding.linking import MAX_TRACKED, EventLinker, story_id_for, story_key

DAY = 24 * 3600.0


def linker(window_s: float = 3 * DAY) -> tuple[EventLinker, dict[str, dict[str, Any]]]:
    state: dict[str, dict[str, Any]] = {}
    return EventLinker(state, window_s), state


def test_first_report_is_not_an_update_and_later_reports_grow_counts() -> None:
    link, _ = linker()
    first = link.link(factories.event(event_id="a1", article_id="a"), "Wire A", now=0.0)
    second = link.link(factories.event(event_id="b1", article_id="b"), "Wire B", now=60.0)
    third = link.link(factories.event(event_id="c1", article_id="c"), "Wire A", now=120.0)
    assert (first.is_update, first.mentions, first.sources) == (False, 1, 1)
    assert (second.is_update, second.mentions, second.sources) == (True, 2, 2)
    assert (third.is_update, third.mentions, third.sources) == (True, 3, 2)
    assert first.story_id == second.story_id == third.story_id
    assert first.story_id is not None and first.story_id.startswith("story-")


def test_replayed_duplicate_counts_once_and_keeps_its_first_report_status() -> None:
    link, _ = linker()
    first = link.link(factories.event(event_id="a1"), "Wire A", now=0.0)
    replay = link.link(factories.event(event_id="a1"), "Wire A", now=5.0)
    assert replay.mentions == 1
    assert replay.is_update is False
    assert replay.story_id == first.story_id


def test_story_id_is_deterministic_across_linkers() -> None:
    one, _ = linker()
    two, _ = linker()
    event = factories.event()
    assert one.link(event, None, 0.0).story_id == two.link(event, None, 99.0).story_id
    assert story_id_for(story_key(event)) == one.link(event, None, 1.0).story_id


def test_different_dyad_code_or_date_are_different_stories() -> None:
    base = factories.event()
    keys = {
        story_key(base),
        story_key(factories.event(target="GBR")),
        story_key(factories.event(cameo="161")),
        story_key(factories.event(event_date=date(2024, 3, 3))),
        story_key(factories.event(source="CHN")),
    }
    assert len(keys) == 5


def test_negated_and_hypothetical_reports_do_not_join_the_factual_story() -> None:
    base = story_key(factories.event())
    assert story_key(factories.event(negated=True)) != base
    assert story_key(factories.event(hypothetical=True)) != base


def test_events_without_actors_never_link_across_articles() -> None:
    link, _ = linker()
    one = link.link(
        factories.event(source=None, target=None, article_id="x", event_id="x1"), "A", 0.0
    )
    two = link.link(
        factories.event(source=None, target=None, article_id="y", event_id="y1"), "B", 1.0
    )
    assert one.story_id != two.story_id
    assert not two.is_update


def test_missing_event_date_falls_back_to_publication_date() -> None:
    undated = factories.event(event_date=None)
    assert story_key(undated).startswith("2024-03-02|")
    assert story_key(undated) == story_key(factories.event(event_date=date(2024, 3, 2)))


def test_missing_target_keeps_an_empty_slot() -> None:
    assert story_key(factories.event(target=None)) == "2024-03-02|RUSGOV||166"


def test_story_expires_after_the_window() -> None:
    link, state = linker(window_s=DAY)
    link.link(factories.event(event_id="a1"), "A", now=0.0)
    late = link.link(factories.event(event_id="b1"), "B", now=DAY + 1)
    assert (late.is_update, late.mentions, late.sources) == (False, 1, 1)
    assert link.expire(now=2 * DAY + 2) == 1
    assert state == {}


def test_expire_keeps_live_stories() -> None:
    link, state = linker(window_s=DAY)
    link.link(factories.event(event_id="a1"), "A", now=0.0)
    link.link(factories.event(event_id="z1", cameo="040"), "A", now=DAY)
    assert link.expire(now=DAY + 10) == 1
    assert len(state) == 1


def test_article_without_source_counts_as_its_own_source() -> None:
    link, _ = linker()
    link.link(factories.event(event_id="a1", article_id="a"), None, 0.0)
    second = link.link(factories.event(event_id="b1", article_id="b"), None, 1.0)
    assert second.sources == 2
    assert second.article_source is None


def test_state_is_json_serializable_and_bounded() -> None:
    link, state = linker()
    for i in range(MAX_TRACKED + 40):
        linked = link.link(factories.event(event_id=f"e{i}", article_id=f"a{i}"), f"S{i}", i)
    assert linked.mentions == MAX_TRACKED + 40
    (entry,) = state.values()
    assert len(entry["event_hashes"]) == MAX_TRACKED
    assert len(entry["source_hashes"]) == MAX_TRACKED
    assert json.loads(json.dumps(state)) == state
