"""Output records built in the NLP process and finished in the worker without re-encoding.

The worker's main process used to validate every enriched article back into
pydantic models, link its events, dump each one to JSON again and build its
CloudEvents headers: about as much CPU per article as spaCy itself. Now the
NLP process, which has the models in hand anyway, builds every output record
(key, headers, value bytes) once, and the worker only fills in what depends
on its state:

- cross-article linking (``mentions``, ``sources``, ``is_update`` of each
  event, in the event record, in the enriched article and in alerts);
- alert suppression (whether an alert is raised, its id, update flag and
  ``raised_at``).

A value that still needs those fields is a ``Template``: the JSON split
around *slots*. The NLP process serializes the model with a unique sentinel
string in each slot and cuts the bytes there; the worker joins the pieces
with the slot values' JSON. The sentinel carries a random nonce, so article
text cannot forge a slot.

Each event is serialized exactly once, as its own record's template. The
alert templates hold an ``event`` slot and the enriched article's template
one ``events`` slot: the worker renders each event once (with its link
counts) and splices those bytes into its alerts (``alert_record``) and into
the article's events array (``article_value``). pydantic writes a nested
model as that model's own JSON and a list of models as ``[`` + their JSON
joined by ``,`` + ``]``, so the spliced bytes are the bytes of dumping the
whole model; ``tests/unit/publish/test_records.py`` checks them against the
models dumped the old way. The reply from the NLP process carries each
event's bytes once instead of once per record that holds it.

Everything here is pure (no Kafka, no Faust) and picklable.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, TypeAdapter

from schemas.models import Alert, EnrichedArticle, Event
from workers.coding.linking import link_keys
from workers.publish.alerts import AlertRule, alert_id_for
from workers.publish.envelope import (
    DEFAULT_SOURCE,
    EncodedRecord,
    Headers,
    RecordKind,
    _article_ce_id,
    dyad_key,
    envelope_headers,
)
from workers.publish.summary import event_summary

# Slot names: an event's own (its link counts), an alert's (its decision and the
# rendered event) and the enriched article's one slot (its rendered events).
MENTIONS, SOURCES, UPDATE = "mentions", "sources", "update"
ALERT_ID, ALERT_UPDATE, RAISED_AT = "alert_id", "alert_update", "raised_at"
EVENT, EVENTS = "event", "events"
EVENT_SLOTS = (MENTIONS, SOURCES, UPDATE)

_DATETIME = TypeAdapter(datetime)


@dataclass(frozen=True)
class Template:
    """JSON bytes with holes: ``parts[0] + value(slots[0]) + parts[1] + ...``."""

    parts: tuple[bytes, ...]
    slots: tuple[str, ...]

    def render(self, values: Mapping[str, bytes]) -> bytes:
        if not self.slots:
            return self.parts[0]
        pieces = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            pieces.append(values[slot])
            pieces.append(part)
        return b"".join(pieces)


class _Sentinels:
    """Slot markers for one build: ``"\\u0000<nonce>:<slot>\\u0000"`` once serialized."""

    def __init__(self) -> None:
        nonce = secrets.token_hex(8)
        self._prefix = f"\x00{nonce}:"
        # How a marker starts and ends in pydantic's JSON. The nonce is this build's
        # secret, so every occurrence of the start is a slot of ours; splitting on it
        # (no regular expression to compile per build) finds them all.
        self._start = b'"\\u0000' + nonce.encode("ascii") + b":"
        self._end = b'\\u0000"'

    def __call__(self, slot: str) -> str:
        return f"{self._prefix}{slot}\x00"

    def template(self, model: BaseModel) -> Template:
        # warnings=False: the sentinels sit in int and bool fields on purpose.
        raw = model.model_dump_json(warnings=False).encode("utf-8")
        chunks = raw.split(self._start)
        parts = [chunks[0]]
        slots = []
        for chunk in chunks[1:]:
            slot, _, rest = chunk.partition(self._end)
            slots.append(slot.decode("ascii"))
            parts.append(rest)
        return Template(tuple(parts), tuple(slots))


@dataclass(frozen=True)
class AlertCandidate:
    """An alert rule an event matches; raised or suppressed by the worker's state."""

    rule_id: str
    severity: str
    key: bytes
    value: Template  # slots: alert_id, alert_update, event (the rendered event), raised_at


@dataclass(frozen=True)
class EventRecord:
    story_id: str
    event_hash: str
    source_hash: str
    key: bytes
    headers: Headers
    value: Template  # slots: mentions, sources, update
    plover_type: str
    quad_class: int
    source_country: str | None
    target_country: str | None
    alerts: tuple[AlertCandidate, ...] = ()


@dataclass(frozen=True)
class ArticleRecords:
    """Everything one enriched article publishes, less what the worker's state decides."""

    article_id: str
    key: bytes
    headers: Headers
    value: Template  # one slot, events: filled by ``article_value``
    events: tuple[EventRecord, ...]


def _linked_for_template(
    event: Event, story_id: str, article_source: str | None, sentinel: _Sentinels
) -> Event:
    # model_copy does not validate: the sentinels may sit in int and bool fields.
    return event.model_copy(
        update={
            "story_id": story_id,
            "article_source": event.article_source or article_source,
            "mentions": sentinel(MENTIONS),
            "sources": sentinel(SOURCES),
            "is_update": sentinel(UPDATE),
        }
    )


def build_records(
    enriched: EnrichedArticle, rules: Sequence[AlertRule] = (), source: str = DEFAULT_SOURCE
) -> ArticleRecords:
    """Every output record of one enriched article (runs in the NLP process)."""
    sentinel = _Sentinels()
    article = enriched.article
    article_source = article.source
    events: list[EventRecord] = []
    now = datetime.now(UTC)
    for event in enriched.events:
        story_id, event_hash, source_hash = link_keys(event, article_source)
        alone = _linked_for_template(event, story_id, article_source, sentinel)
        key = dyad_key(event)
        # The event's one serialization: its record's value, rendered by the worker and
        # spliced from there into its alerts and the article (``alert_record``,
        # ``article_value``).
        value = sentinel.template(alone)
        candidates = tuple(
            AlertCandidate(
                rule_id=rule.id,
                severity=rule.severity.value,
                key=key.encode("utf-8"),
                value=sentinel.template(
                    Alert.model_construct(
                        alert_id=sentinel(ALERT_ID),
                        rule_id=rule.id,
                        severity=rule.severity,
                        is_update=sentinel(ALERT_UPDATE),
                        summary=event_summary(event),
                        event=sentinel(EVENT),
                        raised_at=sentinel(RAISED_AT),
                    )
                ),
            )
            for rule in rules
            if rule.matches(event)
        )
        events.append(
            EventRecord(
                story_id=story_id,
                event_hash=event_hash,
                source_hash=source_hash,
                key=key.encode("utf-8"),
                headers=envelope_headers(
                    RecordKind.EVENT,
                    id=event.event_id,
                    subject=key,
                    time=event.published_at or now,
                    source=source,
                ),
                value=value,
                plover_type=event.plover.type or "none",
                quad_class=event.quad_class,
                source_country=event.source.country if event.source else None,
                target_country=event.target.country if event.target else None,
                alerts=candidates,
            )
        )
    outer = sentinel.template(enriched.model_copy(update={"events": sentinel(EVENTS)}))
    if outer.slots != (EVENTS,):
        raise ValueError(f"enriched article template has slots {outer.slots}, not ({EVENTS!r},)")
    headers = envelope_headers(
        RecordKind.ENRICHED,
        id=_article_ce_id(article.article_id, article.version),
        subject=article.url,
        time=enriched.enriched_at,
        source=source,
    )
    return ArticleRecords(
        article_id=article.article_id,
        key=article.article_id.encode("utf-8"),
        headers=headers,
        value=outer,
        events=tuple(events),
    )


# ------------------------------------------------------------ worker side
_TRUE, _FALSE = b"true", b"false"


def link_values(mentions: int, sources: int, is_update: bool) -> dict[str, bytes]:
    """Slot values of one linked event, for its ``EventRecord.value``."""
    return {
        MENTIONS: str(mentions).encode("ascii"),
        SOURCES: str(sources).encode("ascii"),
        UPDATE: _TRUE if is_update else _FALSE,
    }


def article_value(template: Template, events: Sequence[bytes]) -> bytes:
    """The enriched article's value: its template with the rendered events' array spliced in.

    ``events`` are the event records' values, in the article's order: the bytes
    pydantic writes for each event inside the article's ``events`` list.
    """
    before, after = template.parts
    return b"".join((before, b"[", b",".join(events), b"]", after))


@dataclass(frozen=True)
class RaisedAt:
    """One batch's alert time, in both encodings (JSON value and ``ce_time`` header)."""

    when: datetime
    json: bytes

    @classmethod
    def at(cls, epoch_s: float) -> RaisedAt:
        when = datetime.fromtimestamp(epoch_s, UTC)
        return cls(when, _DATETIME.dump_json(when))


def alert_record(
    candidate: AlertCandidate,
    story_id: str,
    update: int,
    event_value: bytes,
    raised_at: RaisedAt,
    source: str = DEFAULT_SOURCE,
) -> tuple[str, EncodedRecord]:
    """The alert id and record of a raised alert (update 0: the first).

    ``event_value`` is the rendered event record's value, spliced in as the alert's event.
    """
    alert_id = alert_id_for(candidate.rule_id, story_id, update)
    values = {
        EVENT: event_value,
        ALERT_ID: b'"' + alert_id.encode("ascii") + b'"',
        ALERT_UPDATE: _TRUE if update > 0 else _FALSE,
        RAISED_AT: raised_at.json,
    }
    headers = envelope_headers(
        RecordKind.ALERT,
        id=alert_id,
        subject=candidate.rule_id,
        time=raised_at.when,
        source=source,
    )
    return alert_id, EncodedRecord(candidate.key, candidate.value.render(values), headers)
