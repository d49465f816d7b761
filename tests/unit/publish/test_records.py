"""Records built in the NLP process and finished in the worker are the records of the old path.

The old path (validate the article in the worker, link with ``EventLinker.link``,
raise alerts with ``AlertEngine.evaluate``, dump everything with
``encode_record``) is the reference: the new one must publish the same keys,
headers and value bytes, only without re-validating or re-serializing.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

from schemas.models import Alert, EnrichedArticle, Event, Severity
from tests.unit.publish import factories
from workers.coding.linking import EventLinker
from workers.publish.alerts import AlertEngine, AlertRule
from workers.publish.envelope import encode_record
from workers.publish.records import (
    EVENT,
    EVENTS,
    ArticleRecords,
    RaisedAt,
    alert_record,
    article_value,
    build_records,
    link_values,
)

SOURCE = "urn:parley:records-test"
NOW = 1_709_400_000.0
RULES = [
    AlertRule(
        id="watch",
        severity=Severity.CRITICAL,
        countries=frozenset({"RUS"}),
        plover_types=frozenset({"SANCTION"}),
    ),
    AlertRule(id="expel", severity=Severity.WARNING, cameo_codes=("166",)),
    AlertRule(id="never", plover_types=frozenset({"ASSAULT"})),
]


def article_with_events(article_id: str, source: str | None = "Example Wire") -> EnrichedArticle:
    base = factories.enriched(article_id)
    events = [
        factories.event(event_id=f"{article_id}-e1", article_id=article_id),
        # The same real-world event again in the same article (same story).
        factories.event(event_id=f"{article_id}-e2", article_id=article_id),
        factories.event(
            event_id=f"{article_id}-e3",
            article_id=article_id,
            source="FRA",
            target="DEU",
            cameo="036",
            plover="CONSULT",
            quad_class=1,
            goldstein=4.0,
            trigger='meet "quoted" ünïcode',
        ),
        factories.event(
            event_id=f"{article_id}-e4", article_id=article_id, source=None, target="USA"
        ),
    ]
    return base.model_copy(
        update={
            "events": events,
            "article": base.article.model_copy(update={"source": source}),
        }
    )


def old_path(
    articles: list[EnrichedArticle], state: dict[str, Any]
) -> list[tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    linker = EventLinker(state.setdefault("links", {}), 3600.0)
    alerts = AlertEngine(RULES, state.setdefault("alerts", {}), 3600.0)
    out = []
    for enriched in articles:
        events = [linker.link(e, enriched.article.source, NOW) for e in enriched.events]
        enriched = enriched.model_copy(update={"events": events})
        out.append(encode_record(enriched, source=SOURCE))
        for event in events:
            out.append(encode_record(event, source=SOURCE))
            out.extend(encode_record(alert, source=SOURCE) for alert in alerts.evaluate(event, NOW))
    return [(r.key, r.value, list(r.headers)) for r in out]


def new_path(
    articles: list[ArticleRecords], state: dict[str, Any]
) -> list[tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    linker = EventLinker(state.setdefault("links", {}), 3600.0)
    alerts = AlertEngine([], state.setdefault("alerts", {}), 3600.0)
    raised_at = RaisedAt.at(NOW)
    out = []
    for records in articles:
        rendered = []
        per_event = []
        for event in records.events:
            mentions, sources, update = linker.observe(
                event.story_id, event.event_hash, event.source_hash, NOW
            )
            value = event.value.render(link_values(mentions, sources, update))
            rendered.append(value)
            per_event.append((event.key, value, list(event.headers)))
            for candidate in event.alerts:
                number = alerts.decide(candidate.rule_id, event.story_id, mentions, NOW)
                if number is not None:
                    _, record = alert_record(
                        candidate, event.story_id, number, value, raised_at, SOURCE
                    )
                    per_event.append((record.key, record.value, list(record.headers)))
        out.append((records.key, article_value(records.value, rendered), list(records.headers)))
        out.extend(per_event)
    return out


def test_rendered_records_are_byte_for_byte_the_old_records() -> None:
    articles = [
        article_with_events("a1"),
        article_with_events("a2", source=None),
        article_with_events("a3"),
        # No events: the article's events array is spliced in empty.
        factories.enriched("a4").model_copy(update={"events": []}),
    ]
    built = [build_records(a, RULES, SOURCE) for a in articles]
    old_state: dict[str, Any] = {}
    new_state: dict[str, Any] = {}
    old = old_path(articles, old_state)
    new = new_path(built, new_state)
    # Alert headers carry raised_at; the old path used the same NOW.
    assert len(new) == len(old)
    for ours, reference in zip(new, old, strict=True):
        assert ours[0] == reference[0]
        assert ours[1] == reference[1], (ours[1][:300], reference[1][:300])
        assert ours[2] == reference[2]
    assert new_state == old_state
    # Linking did its job: later reports are updates with growing counts.
    events = [
        json.loads(v) for k, v, h in new if dict(h)["ce_type"].startswith(b"org.parley.event")
    ]
    assert [e["mentions"] for e in events[:2]] == [1, 2]
    assert events[1]["is_update"] is True
    alerts = [Alert.model_validate_json(v) for k, v, h in new if b"alert" in dict(h)["ce_type"]]
    assert {a.rule_id for a in alerts} == {"watch", "expel"}
    assert any(a.is_update for a in alerts)


def test_rendered_values_validate_as_the_published_models() -> None:
    records = build_records(article_with_events("v1"), RULES, SOURCE)
    rendered = [e.value.render(link_values(3, 2, True)) for e in records.events]
    enriched = EnrichedArticle.model_validate_json(article_value(records.value, rendered))
    assert [e.mentions for e in enriched.events] == [3] * 4
    assert all(e.story_id for e in enriched.events)
    event = Event.model_validate_json(records.events[0].value.render(link_values(7, 5, False)))
    assert (event.mentions, event.sources, event.is_update) == (7, 5, False)


def test_article_text_cannot_forge_a_slot() -> None:
    forged = article_with_events("f1")
    text = 'x "\\u0000deadbeefdeadbeef:mentions\\u0000" \x00deadbeef:mentions\x00 y'
    forged = forged.model_copy(update={"text": text})
    records = build_records(forged, RULES, SOURCE)
    assert records.value.slots == (EVENTS,)
    assert all(len(e.value.slots) == 3 for e in records.events)
    rendered = [e.value.render(link_values(1, 1, False)) for e in records.events]
    enriched = EnrichedArticle.model_validate_json(article_value(records.value, rendered))
    assert enriched.text == text


def test_records_survive_the_trip_between_processes() -> None:
    records = build_records(article_with_events("p1"), RULES, SOURCE)
    assert pickle.loads(pickle.dumps(records)) == records


def test_each_event_is_serialized_once_and_spliced_into_its_alerts_and_article() -> None:
    """The alert and article templates hold no event bytes, only a slot for the rendered event.

    Spliced, they equal the whole model serialized in one go: the alert and the
    article parse back to the models dumped with pydantic, event for event.
    """
    enriched = article_with_events("s1")
    records = build_records(enriched, RULES, SOURCE)
    candidates = [c for e in records.events for c in e.alerts]
    assert candidates, "the fixture's events match alert rules"
    for candidate in candidates:
        assert EVENT in candidate.value.slots
        assert not any(b'"event_id"' in part for part in candidate.value.parts)
    assert not any(b'"event_id"' in part for part in records.value.parts)

    raised_at = RaisedAt.at(NOW)
    linked: list[Event] = []
    rendered: list[bytes] = []
    for index, event in enumerate(records.events):
        value = event.value.render(link_values(index + 1, 1, index > 0))
        rendered.append(value)
        model = Event.model_validate_json(value)
        assert value == model.model_dump_json().encode()
        linked.append(model)
        for candidate in event.alerts:
            alert_id, record = alert_record(candidate, event.story_id, 0, value, raised_at, SOURCE)
            alert = Alert.model_validate_json(record.value)
            assert alert.event == model
            assert alert.alert_id == alert_id
            assert json.loads(record.value) == json.loads(alert.model_dump_json())
            assert record.value == alert.model_dump_json().encode()
    whole = article_value(records.value, rendered)
    article = EnrichedArticle.model_validate_json(whole)
    assert article.events == linked
    assert article == enriched.model_copy(update={"events": linked})
    assert json.loads(whole) == json.loads(article.model_dump_json())
    assert whole == article.model_dump_json().encode()
    # No events: an empty array.
    empty = build_records(enriched.model_copy(update={"events": []}), RULES, SOURCE)
    assert EnrichedArticle.model_validate_json(article_value(empty.value, [])).events == []


def test_the_reply_carries_each_event_once() -> None:
    """Pickled for the trip to the worker, an article's records hold each event's bytes once."""
    records = build_records(article_with_events("r1"), RULES, SOURCE)
    blob = pickle.dumps(records)
    assert any(event.alerts for event in records.events)
    for index in range(1, 5):
        assert blob.count(f'"event_id":"r1-e{index}"'.encode()) == 1
