from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas.models import Alert, Severity, UnsupportedArticle
from tests.unit.publish import factories
from workers.publish.envelope import (
    EnvelopeError,
    RecordKind,
    dyad_key,
    encode_alert,
    encode_enriched,
    encode_event,
    encode_record,
    encode_unsupported,
    envelope_headers,
    kind_for_type,
    parse_envelope,
    source_for,
)


def test_headers_carry_every_cloudevents_attribute_of_the_binary_binding() -> None:
    headers = envelope_headers(
        RecordKind.EVENT,
        id="ev-9",
        subject="RUS->USA",
        time=datetime(2024, 3, 2, 10, 0, 5, tzinfo=UTC),
        source=source_for("parley-test"),
    )
    assert dict(headers) == {
        "ce_specversion": b"1.0",
        "ce_id": b"ev-9",
        "ce_source": b"urn:parley:parley-test",
        "ce_type": b"org.parley.event.diplomatic.v1",
        "ce_time": b"2024-03-02T10:00:05Z",
        "ce_subject": b"RUS->USA",
        "ce_dataschema": b"urn:parley:schema:event.v1.schema.json",
        "content-type": b"application/json",
    }
    assert [name for name, _ in headers][:4] == ["ce_specversion", "ce_id", "ce_source", "ce_type"]


def test_each_record_kind_has_its_own_versioned_type() -> None:
    types = {kind.ce_type for kind in RecordKind}
    assert types == {
        "org.parley.article.enriched.v1",
        "org.parley.event.diplomatic.v1",
        "org.parley.alert.diplomatic.v1",
        "org.parley.article.unsupported.v1",
    }
    assert all(kind_for_type(kind.ce_type) is kind for kind in RecordKind)
    assert kind_for_type("com.example.other") is None


def test_time_in_another_zone_is_written_as_utc_rfc3339() -> None:
    from datetime import timedelta, timezone

    plus_three = timezone(timedelta(hours=3))
    headers = dict(
        envelope_headers(
            RecordKind.ALERT,
            id="a",
            subject=None,
            time=datetime(2024, 3, 2, 13, 0, tzinfo=plus_three),
        )
    )
    assert datetime.fromisoformat(headers["ce_time"].decode()) == datetime(
        2024, 3, 2, 10, 0, tzinfo=UTC
    )
    assert "ce_subject" not in headers


def test_event_record_is_keyed_by_dyad_and_its_value_is_the_event_json() -> None:
    event = factories.event(event_id="ev-42", source="RUS", target="USA")
    key, value, headers = encode_event(event)
    assert key == b"RUS->USA"
    assert json.loads(value) == json.loads(event.model_dump_json())
    envelope = parse_envelope(headers)
    assert envelope["id"] == "ev-42"
    assert envelope["subject"] == "RUS->USA"
    assert envelope["time"] == "2024-03-02T09:30:00Z"


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("RUS", None, "RUS->"),
        (None, "UKR", "->UKR"),
        (None, None, "->"),
        ("CHN", "TWN", "CHN->TWN"),
    ],
)
def test_dyad_key_with_missing_actors(
    source: str | None, target: str | None, expected: str
) -> None:
    assert dyad_key(factories.event(source=source, target=target)) == expected


def test_actor_without_country_falls_back_to_its_code() -> None:
    event = factories.event(source=None).model_copy(
        update={"source": factories.actor(None, code="NGOAMN", name="Amnesty")}
    )
    assert dyad_key(event) == "NGOAMN->USA"


def test_alert_shares_its_events_key_and_uses_rule_as_subject() -> None:
    alert = Alert(
        alert_id="al-1",
        rule_id="watchlist",
        severity=Severity.CRITICAL,
        summary="s",
        event=factories.event(source="IRN", target="ISR"),
        raised_at=datetime(2024, 3, 2, tzinfo=UTC),
    )
    key, value, headers = encode_alert(alert)
    assert key == b"IRN->ISR"
    envelope = parse_envelope(headers)
    assert (envelope["id"], envelope["subject"]) == ("al-1", "watchlist")
    assert envelope["type"] == "org.parley.alert.diplomatic.v1"
    assert Alert.model_validate_json(value) == alert


def test_enriched_article_keyed_by_article_id_and_updates_get_a_distinct_ce_id() -> None:
    first = encode_enriched(factories.enriched("art-7"))
    update = encode_enriched(factories.enriched("art-7", version=2))
    assert first.key == update.key == b"art-7"
    assert parse_envelope(first.headers)["id"] == "art-7"
    assert parse_envelope(update.headers)["id"] == "art-7:v2"
    assert parse_envelope(first.headers)["subject"] == "https://news.example/art-7"


def test_unsupported_article_envelope() -> None:
    record = UnsupportedArticle(language="de", article=factories.article("art-de"))
    key, value, headers = encode_unsupported(record)
    envelope = parse_envelope(headers)
    assert key == b"art-de"
    assert envelope["type"] == "org.parley.article.unsupported.v1"
    assert envelope["dataschema"].endswith("unsupported_article.v1.schema.json")
    assert json.loads(value)["language"] == "de"


def test_encode_record_dispatches_on_payload_type() -> None:
    event = factories.event()
    assert encode_record(event) == encode_event(event)
    with pytest.raises(TypeError):
        encode_record(factories.article())  # type: ignore[arg-type]


def test_value_is_utf8_json_with_non_ascii_text() -> None:
    event = factories.event(location="Zürich")
    _, value, _ = encode_event(event)
    assert "Zürich".encode() in value


def test_parse_envelope_rejects_missing_attributes_and_other_spec_versions() -> None:
    good = envelope_headers(RecordKind.EVENT, id="x", subject=None, time=datetime.now(UTC))
    without_id = [(n, v) for n, v in good if n != "ce_id"]
    with pytest.raises(EnvelopeError, match="id"):
        parse_envelope(without_id)
    old = [(n, b"0.3" if n == "ce_specversion" else v) for n, v in good]
    with pytest.raises(EnvelopeError, match="specversion"):
        parse_envelope(old)


def test_parse_envelope_header_names_are_case_insensitive() -> None:
    headers = {
        "CE_SPECVERSION": b"1.0",
        "ce_Id": b"1",
        "ce_source": b"s",
        "ce_type": b"t",
        "Content-Type": b"application/json",
    }
    parsed = parse_envelope(headers)
    assert parsed["id"] == "1"
    assert parsed["datacontenttype"] == "application/json"


def _sdk_headers(
    kind: RecordKind, *, id: str, subject: str | None, time: datetime, source: str
) -> list[tuple[str, bytes]]:
    """The same headers through the CloudEvents SDK's Kafka binding (the reference)."""
    from cloudevents.core.bindings import kafka as ce_kafka
    from cloudevents.core.formats.json import JSONFormat
    from cloudevents.core.v1.event import CloudEvent

    from schemas.export import schema_id

    attributes = {
        "specversion": "1.0",
        "id": id,
        "source": source,
        "type": kind.ce_type,
        "time": time if time.tzinfo is not None else time.replace(tzinfo=UTC),
        "dataschema": schema_id(kind.schema_name),
        "datacontenttype": "application/json",
    }
    if subject:
        attributes["subject"] = subject
    message = ce_kafka.to_binary(CloudEvent(attributes, None), JSONFormat(), lambda _: None)
    return list(message.headers.items())


@pytest.mark.parametrize("kind", list(RecordKind))
@pytest.mark.parametrize(
    ("subject", "time"),
    [
        ("RUS->USA", datetime(2024, 3, 2, 10, 0, 5, tzinfo=UTC)),
        (None, datetime(2024, 3, 2, 10, 0, 5, 123456, tzinfo=UTC)),
        ("https://example.org/a?b=ü", datetime(2024, 3, 2, 13, 0)),  # naive: taken as UTC
        ("watch", datetime(2024, 3, 2, 13, 0, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_headers_are_byte_for_byte_what_the_sdk_binding_writes(
    kind: RecordKind, subject: str | None, time: datetime
) -> None:
    ours = envelope_headers(kind, id="id-1", subject=subject, time=time, source="urn:parley:x")
    reference = _sdk_headers(kind, id="id-1", subject=subject, time=time, source="urn:parley:x")
    assert sorted(ours) == sorted(reference)
    assert [n for n, _ in ours] == [
        n
        for n in [
            "ce_specversion",
            "ce_id",
            "ce_source",
            "ce_type",
            "ce_time",
            "ce_subject",
            "ce_dataschema",
            "content-type",
        ]
        if n in dict(reference)
    ]


def test_an_empty_id_is_refused() -> None:
    with pytest.raises(EnvelopeError):
        envelope_headers(RecordKind.EVENT, id="", subject=None, time=datetime.now(UTC))
