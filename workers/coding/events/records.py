"""Record building: Event objects, deterministic ids, per-sentence dedupe."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from spacy.tokens import Span

from schemas.models import (
    Actor,
    Article,
    Cameo,
    Event,
    Modality,
    Plover,
    Temporal,
)
from workers.coding.events.actors import ActorRef
from workers.coding.events.scoring import confidence
from workers.coding.events.triggers import Match
from workers.coding.place import event_location
from workers.coding.tables import CameoCode, cameo
from workers.nlp.types import Mention


def _actor_key(mention: Mention | None) -> str:
    if mention is None:
        return "-"
    return mention.actor_code or mention.country or mention.canonical


def event_id(
    article_id: str, sentence_index: int, code: str, source: str, target: str, trigger_start: int
) -> str:
    """Deterministic id: the same article coded twice gives the same ids."""
    key = f"{article_id}|{sentence_index}|{code}|{source}|{target}|{trigger_start}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def dedupe_events(events: list[Event]) -> list[Event]:
    """One event per (sentence, PLOVER type, source, target); an event with no target is
    dropped when another of its type in the sentence involves its source ("received Xi in
    Tehran, the first visit by a Chinese head of state", "met Assad to discuss ...")."""

    def country(actor: Actor | None) -> str | None:
        return None if actor is None else (actor.country or actor.canonical)

    out: list[Event] = []
    keys: set[tuple[int, str, str | None, str | None, bool]] = set()
    by_sentence: dict[int, list[Event]] = {}  # the others an event is compared with
    for event in events:
        by_sentence.setdefault(event.evidence.sentence_index, []).append(event)
    for event in events:
        kind = event.plover.type or event.cameo.root
        key = (
            event.evidence.sentence_index,
            kind,
            country(event.source),
            country(event.target),
            event.modality.negated,
        )
        if key in keys:
            continue
        if event.target is None and any(
            other is not event
            and (other.plover.type or other.cameo.root) == kind
            and other.target is not None
            and country(event.source) in {country(other.source), country(other.target)}
            for other in by_sentence[event.evidence.sentence_index]
        ):
            continue
        keys.add(key)
        out.append(event)
    return out


@dataclass(slots=True)
class SentenceView:
    """A sentence as the coder reads it, computed once: its span, text, length in
    tokens, and the actor mentions and DATE expressions inside it. (Not frozen: made per
    sentence and read only, and a frozen dataclass's ``__init__`` costs about 2% of
    the coder's time here.)"""

    span: Span
    index: int
    text: str
    length: int
    mentions: list[Mention]
    dates: list[str]


# An article's events are validated together (``validated_events``): one call into
# pydantic-core for the list instead of two Python-level ``__init__`` per event (the
# Event and its Evidence), about 30% of the records' validation time. The same
# validators run on every field, so nothing invalid gets through that ``Event(...)``
# would refuse; ``model_construct`` was not used because it checks nothing.
_EVENTS: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def validated_events(fields: list[dict[str, Any]]) -> list[Event]:
    """The Events of ``event_fields`` records, validated in one call (a ValidationError
    names the record by its index)."""
    return _EVENTS.validate_python(fields)


def event_fields(
    article: Article,
    sentence: SentenceView,
    match: Match,
    code: str,
    source: ActorRef,
    target: Mention | None,
    reciprocal: bool,
    modality: Modality,
    temporal: Temporal,
    mode: str | None = None,
    plover_code: str | None = None,
) -> dict[str, Any]:
    """One event's fields, as ``Event`` takes them: nested parts that recur (Cameo,
    Plover, Actor) as models made once each, the rest plain values."""
    row = cameo(code)
    plover_row = cameo(plover_code) if plover_code is not None else row
    token = match.token
    trigger_start = token.idx
    trigger_end = trigger_start + len(token.text)
    actors: list[Mention] = [source.mention] + ([target] if target is not None else [])
    return {
        "event_id": event_id(
            article.article_id,
            sentence.index,
            code,
            _actor_key(source.mention),
            _actor_key(target),
            trigger_start,
        ),
        "article_id": article.article_id,
        "cameo": _cameo(code),
        "plover": _plover(plover_row.plover_type or "", mode or plover_row.plover_mode, plover_row),
        "quad_class": row.quad_class,
        "goldstein": row.goldstein,
        "source": _to_actor(source.mention),
        "target": _to_actor(target) if target is not None else None,
        "reciprocal": reciprocal,
        "modality": modality,
        "temporal": temporal,
        "location": event_location(sentence.mentions, article.dateline, exclude=actors),
        "evidence": {
            "sentence": sentence.text,
            "sentence_index": sentence.index,
            "trigger": token.text,
            "start": trigger_start,
            "end": trigger_end,
            "source_start": source.mention.start,
            "source_end": source.mention.end,
            "target_start": target.start if target is not None else None,
            "target_end": target.end if target is not None else None,
        },
        "confidence": confidence(match.trigger, source, target, modality, sentence.length),
        "published_at": article.published_at,
        "article_url": article.url,
        "article_source": article.source,
    }


_CAMEO_PARTS: dict[str, Cameo] = {}
_PLOVER_PARTS: dict[tuple[str, str | None, str | None], Plover] = {}


def _cameo(code: str) -> Cameo:
    """The (validated, frozen) Cameo part of a code, made once per code."""
    part = _CAMEO_PARTS.get(code)
    if part is None:
        row = cameo(code)
        part = _CAMEO_PARTS[code] = Cameo(code=code, root=row.root, label=row.name)
    return part


def _plover(kind: str, mode: str | None, row: CameoCode) -> Plover:
    """The (validated, frozen) Plover part, made once per type, mode and context."""
    key = (kind, mode, row.plover_context)
    part = _PLOVER_PARTS.get(key)
    if part is None:
        part = _PLOVER_PARTS[key] = Plover(type=kind, mode=mode, context=row.plover_context)
    return part


_ACTORS: dict[tuple[str, str, str | None, str | None, str | None], Actor] = {}
_ACTORS_KEPT = 10_000


def _to_actor(mention: Mention) -> Actor:
    """The mention's Actor (``Mention.to_actor``), made once per distinct actor: the
    same actors recur through a story and a stream."""
    key = (mention.text, mention.canonical, mention.country, mention.role, mention.actor_code)
    actor = _ACTORS.get(key)
    if actor is None:
        if len(_ACTORS) >= _ACTORS_KEPT:
            _ACTORS.clear()
        actor = _ACTORS[key] = mention.to_actor()
    return actor
