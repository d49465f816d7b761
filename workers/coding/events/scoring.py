"""Confidence of a coded event (documented factors; see the package docstring)."""

from __future__ import annotations

from functools import lru_cache

from schemas.models import (
    Modality,
)
from workers.coding.events.actors import ActorRef
from workers.coding.tables import Trigger
from workers.nlp.types import Mention

LONG_SENTENCE = 40
# What a governing trigger verb becomes when its complement is itself a trigger.


def confidence(
    trigger: Trigger,
    source: ActorRef,
    target: Mention | None,
    modality: Modality,
    sentence_tokens: int,
) -> float:
    return _score(
        trigger.constrained,
        trigger.general,
        source.via,
        bool(source.mention.country),
        target is not None and bool(target.country),
        modality.negated or modality.hypothetical,
        sentence_tokens > LONG_SENTENCE,
    )


@lru_cache(maxsize=1024)  # a few dozen combinations of the factors occur
def _score(
    constrained: bool,
    general: bool,
    via: str,
    source_country: bool,
    target_country: bool,
    unreal: bool,
    long_sentence: bool,
) -> float:
    score = 0.45
    if constrained:
        score += 0.15
    elif general:
        score -= 0.10
    score += {"parse": 0.15, "speaker": 0.05}.get(via, 0.0)
    if source_country:
        score += 0.10
    if target_country:
        score += 0.05
    if unreal:
        score -= 0.10
    if long_sentence:
        score -= 0.05
    return round(min(0.99, max(0.05, score)), 3)
