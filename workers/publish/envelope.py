"""CloudEvents 1.0 envelope for every record parley publishes (Kafka binding, binary mode).

Binary mode keeps the value a plain JSON payload (a consumer that ignores
CloudEvents still reads it) and puts the event attributes in headers:
``ce_specversion``, ``ce_id``, ``ce_source``, ``ce_type``, ``ce_time``,
``ce_subject``, ``ce_dataschema`` and ``content-type: application/json``.
``ce_source`` + ``ce_id`` are unique per record, so consumers dedupe on them
(at-least-once delivery and replays resend the same pair).

Topics, keys and attributes, per record kind:

================  ======================  ==================  ===============  ============
kind              topic (default)         key                 ce_id            ce_subject
================  ======================  ==================  ===============  ============
article.enriched  articles.enriched       article_id          article_id [1]   article url
event.diplomatic  events.diplomatic       dyad "SRC->TGT"     event_id         dyad
alert.diplomatic  alerts.diplomatic       dyad "SRC->TGT"     alert_id         rule id
article.unsupp.   articles.unsupported    article_id          article_id [1]   language
================  ======================  ==================  ===============  ============

[1] ``article_id:vN`` for an updated article (version N > 1), so an update is
not dropped as a duplicate of the first version.

The dyad key ("RUS->USA", from the source and target country codes) sends
every event between one pair of actors to one partition, so a consumer sees
that dyad's events in order; an event with no target is keyed "RUS->", one
with no source "->USA". Alerts use the same key as the event they are about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel

from schemas.export import SCHEMA_MAJOR, schema_id
from schemas.models import Actor, Alert, EnrichedArticle, Event, UnsupportedArticle

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
DEFAULT_SOURCE = "urn:parley:parley"
REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type")

Headers = list[tuple[str, bytes]]


class RecordKind(StrEnum):
    ENRICHED = "article.enriched"
    EVENT = "event.diplomatic"
    ALERT = "alert.diplomatic"
    UNSUPPORTED = "article.unsupported"

    @property
    def ce_type(self) -> str:
        return f"org.parley.{self.value}.v{SCHEMA_MAJOR}"

    @property
    def schema_name(self) -> str:
        return _SCHEMA_NAMES[self]


_SCHEMA_NAMES = {
    RecordKind.ENRICHED: "enriched_article",
    RecordKind.EVENT: "event",
    RecordKind.ALERT: "alert",
    RecordKind.UNSUPPORTED: "unsupported_article",
}


class EnvelopeError(ValueError):
    """Headers that are not a valid CloudEvents 1.0 binary-mode envelope."""


class EncodedRecord(NamedTuple):
    key: bytes
    value: bytes
    headers: Headers


def source_for(app_id: str) -> str:
    return f"urn:parley:{app_id}"


_CONTENT_TYPE_HEADER = ("content-type", CONTENT_TYPE.encode("utf-8"))
# The headers that depend only on the record kind, encoded once.
_KIND_HEADERS = {
    kind: (
        ("ce_specversion", SPECVERSION.encode("utf-8")),
        ("ce_type", kind.ce_type.encode("utf-8")),
        ("ce_dataschema", schema_id(kind.schema_name).encode("utf-8")),
    )
    for kind in RecordKind
}


def envelope_headers(
    kind: RecordKind,
    *,
    id: str,
    subject: str | None,
    time: datetime,
    source: str = DEFAULT_SOURCE,
) -> Headers:
    """CloudEvents binary-mode headers for one record, in a stable order.

    Written out directly rather than through the SDK's ``to_binary``: the SDK
    builds and validates a whole CloudEvent per record (26 us; this takes
    about 2), and parley publishes about 25 records per article.
    tests/unit/publish/test_envelope.py checks the bytes against the SDK's
    Kafka binding for every kind.
    """
    if not id or not source:
        raise EnvelopeError("CloudEvents id and source must not be empty")
    specversion, ce_type, dataschema = _KIND_HEADERS[kind]
    headers: Headers = [
        specversion,
        ("ce_id", id.encode("utf-8")),
        ("ce_source", source.encode("utf-8")),
        ce_type,
        ("ce_time", rfc3339(time).encode("utf-8")),
    ]
    if subject:
        headers.append(("ce_subject", subject.encode("utf-8")))
    headers.append(dataschema)
    headers.append(_CONTENT_TYPE_HEADER)
    return headers


def rfc3339(time: datetime) -> str:
    """``ce_time`` as the CloudEvents Kafka binding writes it (UTC as ``Z``)."""
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)
    text = time.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_envelope(
    headers: Iterable[tuple[str, bytes | None]] | Mapping[str, bytes],
) -> dict[str, str]:
    """CloudEvents attributes from Kafka headers: ``{"id": ..., "type": ..., ...}``.

    Raises ``EnvelopeError`` when a required attribute is missing or the spec
    version is not 1.0. Header names are case-insensitive, as the binding says.
    """
    items = headers.items() if isinstance(headers, Mapping) else headers
    attributes: dict[str, str] = {}
    for name, raw in items:
        if raw is None:
            continue
        lowered = name.lower()
        value = raw.decode("utf-8")
        if lowered.startswith("ce_"):
            attributes[lowered[3:]] = value
        elif lowered == "content-type":
            attributes["datacontenttype"] = value
    missing = [a for a in REQUIRED_ATTRIBUTES if not attributes.get(a)]
    if missing:
        raise EnvelopeError(f"missing CloudEvents attribute(s): {', '.join(missing)}")
    if attributes["specversion"] != SPECVERSION:
        raise EnvelopeError(f"unsupported CloudEvents specversion {attributes['specversion']!r}")
    return attributes


def _actor_country(actor: Actor | None) -> str:
    if actor is None:
        return ""
    # An actor with no resolved country (an NGO, an unknown group) still has
    # a code; falling back to it keeps its events off the "->" catch-all key.
    return actor.country or actor.code or ""


def dyad_key(event: Event) -> str:
    """The partition key of an event and its alerts: "SRC->TGT" country codes."""
    return f"{_actor_country(event.source)}->{_actor_country(event.target)}"


def _payload(model: BaseModel) -> bytes:
    return model.model_dump_json().encode("utf-8")


def encode_enriched(article: EnrichedArticle, *, source: str = DEFAULT_SOURCE) -> EncodedRecord:
    inner = article.article
    headers = envelope_headers(
        RecordKind.ENRICHED,
        id=_article_ce_id(inner.article_id, inner.version),
        subject=inner.url,
        time=article.enriched_at,
        source=source,
    )
    return EncodedRecord(inner.article_id.encode("utf-8"), _payload(article), headers)


def encode_event(
    event: Event, *, source: str = DEFAULT_SOURCE, now: datetime | None = None
) -> EncodedRecord:
    key = dyad_key(event)
    time = event.published_at or now or datetime.now(UTC)
    headers = envelope_headers(
        RecordKind.EVENT, id=event.event_id, subject=key, time=time, source=source
    )
    return EncodedRecord(key.encode("utf-8"), _payload(event), headers)


def encode_alert(alert: Alert, *, source: str = DEFAULT_SOURCE) -> EncodedRecord:
    key = dyad_key(alert.event)
    headers = envelope_headers(
        RecordKind.ALERT,
        id=alert.alert_id,
        subject=alert.rule_id,
        time=alert.raised_at,
        source=source,
    )
    return EncodedRecord(key.encode("utf-8"), _payload(alert), headers)


def encode_unsupported(
    record: UnsupportedArticle, *, source: str = DEFAULT_SOURCE
) -> EncodedRecord:
    inner = record.article
    headers = envelope_headers(
        RecordKind.UNSUPPORTED,
        id=_article_ce_id(inner.article_id, inner.version),
        subject=record.language or None,
        time=inner.ingested_at,
        source=source,
    )
    return EncodedRecord(inner.article_id.encode("utf-8"), _payload(record), headers)


def encode_record(
    model: EnrichedArticle | Event | Alert | UnsupportedArticle, *, source: str = DEFAULT_SOURCE
) -> EncodedRecord:
    """Key, value and CloudEvents headers for any published payload."""
    if isinstance(model, EnrichedArticle):
        return encode_enriched(model, source=source)
    if isinstance(model, Event):
        return encode_event(model, source=source)
    if isinstance(model, Alert):
        return encode_alert(model, source=source)
    if isinstance(model, UnsupportedArticle):
        return encode_unsupported(model, source=source)
    raise TypeError(f"not a published payload: {type(model).__name__}")


def kind_of(model: BaseModel) -> RecordKind:
    for kind, cls in _KIND_MODELS.items():
        if isinstance(model, cls):
            return kind
    raise TypeError(f"not a published payload: {type(model).__name__}")


def kind_for_type(ce_type: str) -> RecordKind | None:
    """The record kind a ``ce_type`` names, any major version; None if not parley's."""
    for kind in RecordKind:
        if ce_type.startswith(f"org.parley.{kind.value}.v"):
            return kind
    return None


_KIND_MODELS: dict[RecordKind, type[BaseModel]] = {
    RecordKind.ENRICHED: EnrichedArticle,
    RecordKind.EVENT: Event,
    RecordKind.ALERT: Alert,
    RecordKind.UNSUPPORTED: UnsupportedArticle,
}


def _article_ce_id(article_id: str, version: int) -> str:
    return article_id if version <= 1 else f"{article_id}:v{version}"
