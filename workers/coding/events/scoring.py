"""Confidence of a coded event (documented factors; see the package docstring)."""

from __future__ import annotations

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
    score = 0.45
    if trigger.constrained:
        score += 0.15
    elif trigger.general:
        score -= 0.10
    score += {"parse": 0.15, "speaker": 0.05}.get(source.via, 0.0)
    if source.mention.country:
        score += 0.10
    if target is not None and target.country:
        score += 0.05
    if modality.negated or modality.hypothetical:
        score -= 0.10
    if sentence_tokens > LONG_SENTENCE:
        score -= 0.05
    return round(min(0.99, max(0.05, score)), 3)
